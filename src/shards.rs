//! Shard ranges (pure): which of the bot's shards this process runs (`SHARDS=0-3` of
//! `SHARD_COUNT=8`), and the identify rate-limit buckets a range uses, so that several
//! processes space their identifies. (Which shard a guild lives on, Discord's
//! `(guild_id >> 22) % shards`, is the scheduler's claim condition in `store::jobs`.)

use std::fmt;

/// The shards `first..=last` of `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

/// The most shards Steward accepts in `SHARD_COUNT` (Discord's own limits are far below).
pub const MAX_SHARDS: u32 = 4096;

impl ShardRange {
    /// Reads `SHARDS` (`3`, or `0-3`) and `SHARD_COUNT` (`8`); both are needed together.
    pub fn parse(shards: &str, count: &str) -> Result<ShardRange, String> {
        let total: u32 = count
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=MAX_SHARDS).contains(n))
            .ok_or_else(|| format!("\"{count}\" is not a shard count (1 to {MAX_SHARDS})"))?;
        let number = |text: &str| -> Result<u32, String> {
            text.trim()
                .parse()
                .map_err(|_| format!("\"{shards}\" is not a shard or a range such as 0-3"))
        };
        let (first, last) = match shards.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(shards)?;
                (n, n)
            }
        };
        if first > last {
            return Err(format!(
                "\"{shards}\": the range goes from low to high, such as 0-3"
            ));
        }
        if last >= total {
            return Err(format!(
                "\"{shards}\": shards are numbered 0 to {} for a count of {total}",
                total - 1
            ));
        }
        Ok(ShardRange { first, last, total })
    }

    /// The identify buckets this range uses (`shard % max_concurrency`), in order.
    pub fn buckets(&self, max_concurrency: u32) -> Vec<u32> {
        let m = max_concurrency.max(1);
        let mut buckets: Vec<u32> = (self.first..=self.last).map(|s| s % m).collect();
        buckets.sort_unstable();
        buckets.dedup();
        buckets
    }

    /// How many shards the range holds.
    pub fn count(&self) -> u32 {
        self.last - self.first + 1
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{} of {}", self.first, self.last, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_single_shards_are_read_and_checked() {
        assert_eq!(
            ShardRange::parse("0-3", "8"),
            Ok(ShardRange {
                first: 0,
                last: 3,
                total: 8
            })
        );
        assert_eq!(ShardRange::parse(" 5 ", "8").unwrap().count(), 1);
        for (shards, count) in [
            ("3-1", "8"),
            ("0-8", "8"),
            ("a", "2"),
            ("0", "0"),
            ("0", "x"),
        ] {
            assert!(
                ShardRange::parse(shards, count).is_err(),
                "{shards} of {count}"
            );
        }
    }

    #[test]
    fn a_range_uses_the_buckets_of_its_shards() {
        let range = ShardRange::parse("2-5", "8").unwrap();
        assert_eq!(range.buckets(1), vec![0]);
        assert_eq!(range.buckets(4), vec![0, 1, 2, 3]);
        assert_eq!(range.buckets(16), vec![2, 3, 4, 5]);
    }
}
