//! Provably fair giveaway draws. At the start Steward draws a secret 32-byte [`Seed`] from the
//! operating system's RNG and publishes its [`commitment`], the SHA-256 of the seed, in hex. At
//! the end it reveals the seed, and anyone can re-run [`draw`] over the published entrant list
//! (`steward verify-draw`).
//!
//! **The algorithm** (version 1), for a giveaway `id`, a round `r` (0 for the first draw, 1 for
//! the first reroll, ...) and `k` winners:
//! 1. the entrants are the members' ids as unsigned 64-bit integers, sorted ascending, without
//!    duplicates; the excluded ids (past winners, on a reroll) are removed;
//! 2. the round key is `SHA-256(seed || id as 8 bytes big-endian || r as 4 bytes big-endian)`;
//! 3. a ChaCha20 stream (`rand_chacha::ChaCha20Rng::from_seed(round key)`) gives 64-bit numbers
//!    (`next_u64`, two little-endian 32-bit words);
//! 4. partial Fisher-Yates: for `i` in `0..min(k, n)`, pick `j = i + u(n - i)` and swap
//!    positions `i` and `j`; position `i` is the `i`-th winner. `u(b)` takes the next number `x`,
//!    draws again while `x >= b * floor(2^64 / b)` (so that every value is equally likely), and
//!    returns `x mod b`.
//!
//! Costs: sorting the list (`O(n log n)`), one copy of it (8 bytes per entrant), `O(k)` draws.

use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};

use crate::ids::UserId;

/// A giveaway's secret seed: 32 bytes, revealed at the end.
pub type Seed = [u8; 32];

/// A fresh secret seed from a cryptographic RNG (Steward passes the operating system's).
pub fn new_seed(rng: &mut impl CryptoRng) -> Seed {
    let mut seed = [0; 32];
    rng.fill_bytes(&mut seed);
    seed
}

/// The public commitment to `seed`: its SHA-256, in lowercase hex (64 characters).
pub fn commitment(seed: &Seed) -> String {
    hex::encode(Sha256::digest(seed))
}

/// Whether `seed` is the one `commitment` (hex, any case) was made for.
pub fn verify_commitment(seed: &Seed, commitment_hex: &str) -> bool {
    commitment(seed).eq_ignore_ascii_case(commitment_hex.trim())
}

/// A seed read from its hex form (64 hex digits).
pub fn parse_seed(text: &str) -> Option<Seed> {
    let bytes = hex::decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

/// What a draw is keyed by: the revealed seed, the giveaway and the round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrawKey {
    /// The giveaway's seed.
    pub seed: Seed,
    /// The giveaway's id.
    pub giveaway: i64,
    /// 0 for the first draw, then one more for each reroll.
    pub round: u32,
}

impl DrawKey {
    /// The round key: `SHA-256(seed || giveaway (8 bytes BE) || round (4 bytes BE))`.
    pub fn round_key(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(self.seed);
        hasher.update(self.giveaway.to_be_bytes());
        hasher.update(self.round.to_be_bytes());
        hasher.finalize().into()
    }
}

/// Draws up to `k` winners among `entrants` (any order, duplicates ignored), never one of
/// `excluded`, by the algorithm of the module doc. Fewer than `k` entrants left: all of them,
/// in drawn order.
pub fn draw(key: &DrawKey, entrants: &[UserId], k: usize, excluded: &[UserId]) -> Vec<UserId> {
    let mut excluded: Vec<u64> = excluded.iter().map(|u| u.0).collect();
    excluded.sort_unstable();
    // One allocation of the list's size: the only copy the draw makes.
    let mut pool: Vec<u64> = Vec::with_capacity(entrants.len());
    pool.extend(
        entrants
            .iter()
            .map(|u| u.0)
            .filter(|id| excluded.binary_search(id).is_err()),
    );
    pool.sort_unstable();
    pool.dedup();
    let n = pool.len();
    let k = k.min(n);
    let mut rng = ChaCha20Rng::from_seed(key.round_key());
    for i in 0..k {
        let j = i + uniform(&mut rng, (n - i) as u64) as usize;
        pool.swap(i, j);
    }
    pool.truncate(k);
    pool.into_iter().map(UserId).collect()
}

/// An unbiased number in `0..bound` (`bound >= 1`) by rejection.
fn uniform(rng: &mut ChaCha20Rng, bound: u64) -> u64 {
    let zone = (u64::MAX / bound) * bound;
    loop {
        let x = rng.next_u64();
        if x < zone {
            return x % bound;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8, round: u32) -> DrawKey {
        DrawKey {
            seed: [byte; 32],
            giveaway: 7,
            round,
        }
    }

    fn users(ids: impl IntoIterator<Item = u64>) -> Vec<UserId> {
        ids.into_iter().map(UserId).collect()
    }

    #[test]
    fn a_draw_is_reproducible_and_ignores_the_list_order() {
        let entrants = users(1..=50);
        let first = draw(&key(1, 0), &entrants, 3, &[]);
        assert_eq!(first.len(), 3);
        assert_eq!(first, draw(&key(1, 0), &entrants, 3, &[]));
        let mut shuffled = entrants.clone();
        shuffled.reverse();
        shuffled.extend(users([5, 5, 9]));
        assert_eq!(first, draw(&key(1, 0), &shuffled, 3, &[]));
        // Another seed, giveaway or round draws otherwise.
        assert_ne!(first, draw(&key(2, 0), &entrants, 3, &[]));
        assert_ne!(first, draw(&key(1, 1), &entrants, 3, &[]));
        let other = DrawKey {
            giveaway: 8,
            ..key(1, 0)
        };
        assert_ne!(first, draw(&other, &entrants, 3, &[]));
        let mut distinct = first.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 3);
    }

    #[test]
    fn the_algorithm_is_pinned_by_a_known_answer() {
        // Changing the algorithm breaks every published verification: this must not move.
        let winners = draw(&key(0, 0), &users(1..=10), 3, &[]);
        assert_eq!(winners, users(KNOWN_ANSWER));
    }

    const KNOWN_ANSWER: [u64; 3] = [9, 8, 3];

    #[test]
    fn more_winners_than_entrants_gives_everyone_once() {
        let mut all = draw(&key(3, 0), &users([30, 10, 20]), 10, &[]);
        assert_eq!(all.len(), 3);
        all.sort();
        assert_eq!(all, users([10, 20, 30]));
        assert!(draw(&key(3, 0), &[], 2, &[]).is_empty());
        assert!(draw(&key(3, 0), &users([1]), 0, &[]).is_empty());
    }

    #[test]
    fn an_excluded_member_is_never_drawn() {
        let entrants = users(1..=20);
        let excluded = users([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
        for byte in 0..100 {
            let winners = draw(&key(byte, 1), &entrants, 5, &excluded);
            assert_eq!(winners.len(), 5);
            assert!(winners.iter().all(|w| w.0 % 2 == 1), "{winners:?}");
        }
        let left = draw(&key(9, 2), &users([1, 2]), 3, &users([1]));
        assert_eq!(left, users([2]));
    }

    #[test]
    fn every_entrant_wins_about_as_often_over_many_seeds() {
        // 10 entrants, 2 winners, 20,000 draws: each is drawn 4,000 times on average; a biased
        // draw (say, always keeping the first) would be far outside 3,700..4,300.
        let entrants = users(100..110);
        let mut wins = [0_u32; 10];
        let mut firsts = [0_u32; 10];
        for n in 0..20_000_u32 {
            let mut seed = [0; 32];
            seed[..4].copy_from_slice(&n.to_le_bytes());
            let key = DrawKey {
                seed,
                giveaway: 1,
                round: 0,
            };
            let winners = draw(&key, &entrants, 2, &[]);
            for w in &winners {
                wins[(w.0 - 100) as usize] += 1;
            }
            firsts[(winners[0].0 - 100) as usize] += 1;
        }
        for (i, count) in wins.iter().enumerate() {
            assert!((3_700..=4_300).contains(count), "entrant {i}: {wins:?}");
        }
        for count in firsts {
            assert!((1_800..=2_200).contains(&count), "{firsts:?}");
        }
    }

    #[test]
    fn the_commitment_is_the_seeds_sha256_and_checks_it() {
        let seed = [0_u8; 32];
        let c = commitment(&seed);
        assert_eq!(
            c,
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
        assert!(verify_commitment(&seed, &c.to_uppercase()));
        assert!(!verify_commitment(&[1; 32], &c));
        assert_eq!(parse_seed(&hex::encode(seed)), Some(seed));
        assert_eq!(parse_seed("abcd"), None);
        assert_eq!(parse_seed("zz"), None);
        let mut rng = ChaCha20Rng::from_seed([5; 32]);
        assert_ne!(new_seed(&mut rng), new_seed(&mut rng));
    }
}
