//! The charter parser on any text: as a rule file beside the shipped charter.toml, or as
//! charter.toml itself beside a valid rule file (the first byte chooses). It may refuse, never
//! panic, hang or run out of memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steward::charter::Charter;

const CHARTER: &str = include_str!("../../rules/charter.toml");
const RULE: &str = "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n";

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let files: [(&str, &str); 2] = if which % 2 == 0 {
        [("charter.toml", CHARTER), ("fuzzed.toml", &text)]
    } else {
        [("charter.toml", &text), ("rules.toml", RULE)]
    };
    if let Ok(charter) = Charter::parse(&files) {
        let _ = charter.check_examples();
    }
});
