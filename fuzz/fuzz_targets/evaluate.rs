//! The shipped charter judging any message text: never a panic, and every match's byte offsets
//! inside the original text on character boundaries.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use steward::charter::{Charter, Message};

static CHARTER: LazyLock<Charter> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");
    Charter::load(std::path::Path::new(dir)).expect("the shipped charter compiles")
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let verdict = CHARTER.evaluate(&Message::text(&text));
    for m in &verdict.matches {
        assert!(
            m.start <= m.end && m.end <= text.len(),
            "{m:?} outside the text"
        );
        assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "{m:?} splits a character"
        );
    }
});
