//! Replay input (JSON Lines or a DiscordChatExporter export) from any bytes: every problem is a
//! reported error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steward::replay::input::parse_bytes;

fuzz_target!(|data: &[u8]| {
    let input = parse_bytes(data);
    for message in &input.messages {
        let _ = message.facts();
    }
});
