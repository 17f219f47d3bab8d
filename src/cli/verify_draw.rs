//! `steward verify-draw`: a giveaway's draw re-run from its published data (the revealed seed,
//! the commitment, the entrant list), so that anyone can check the winners.

use std::io::{self, Write};
use std::path::Path;

use super::{FAILED, OK, UNUSABLE};
use crate::community::giveaway::{DrawKey, draw, parse_seed, verify_commitment};
use crate::ids::UserId;

/// `steward verify-draw`: checks that `seed` (hex) is the one `commitment` was published for,
/// then re-runs the draw of giveaway `giveaway`, round `round`, for `winners` winners among the
/// ids in `entrants` (one per line; blank lines ignored), excluding the ids in `exclude` (past
/// winners, for a reroll), and prints the winners, one per line.
pub fn verify_draw(
    seed: &str,
    commitment: &str,
    giveaway: i64,
    round: u32,
    entrants: &Path,
    winners: usize,
    exclude: &[u64],
) -> u8 {
    let Some(seed) = parse_seed(seed) else {
        eprintln!("steward: the seed must be 64 hexadecimal digits");
        return UNUSABLE;
    };
    if !verify_commitment(&seed, commitment) {
        eprintln!("commitment mismatch: this seed is not the one the giveaway committed to");
        return FAILED;
    }
    let text = match std::fs::read_to_string(entrants) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("steward: {}: {e}", entrants.display());
            return UNUSABLE;
        }
    };
    let mut ids = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.parse::<u64>() {
            Ok(id) => ids.push(UserId(id)),
            Err(_) => {
                eprintln!(
                    "steward: {}:{}: not a user id: {line:?}",
                    entrants.display(),
                    n + 1
                );
                return UNUSABLE;
            }
        }
    }
    let excluded: Vec<UserId> = exclude.iter().copied().map(UserId).collect();
    let key = DrawKey {
        seed,
        giveaway,
        round,
    };
    eprintln!("commitment verified; {} entrants", ids.len());
    let mut out = io::stdout().lock();
    for winner in draw(&key, &ids, winners, &excluded) {
        if writeln!(out, "{winner}").is_err() {
            return FAILED;
        }
    }
    OK
}
