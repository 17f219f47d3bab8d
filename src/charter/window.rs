//! Per-member windows for the stateful triggers: message rate, repeated messages and mentions
//! summed over recent messages. Time is passed in; nothing here reads the clock.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use super::model::WindowTriggers;

/// Events kept per member, whatever the windows: enough for any sensible threshold.
pub const MAX_EVENTS_PER_MEMBER: usize = 64;

/// Idle members are swept at least this many messages apart.
pub const SWEEP_AT_LEAST_EVERY: usize = 4096;

#[derive(Clone, Copy, Debug)]
struct Event {
    at_ms: i64,
    content_hash: u64,
    mentions: u32,
}

/// Recent messages of every member seen, bounded in time and count.
#[derive(Debug, Default)]
pub struct Tracker {
    members: HashMap<u64, VecDeque<Event>>,
    /// The longest window any rule looks at.
    horizon_ms: i64,
    /// Number of messages since the last sweep of idle members.
    since_sweep: usize,
    /// Members left by the last sweep: the next one comes after as many messages (at least
    /// [`SWEEP_AT_LEAST_EVERY`]), so sweeping costs O(1) per message on average and the map stays
    /// under about twice the members active within the horizon.
    after_last_sweep: usize,
    /// Precision of the timestamps: a window only counts messages certainly inside it.
    resolution_ms: i64,
}

/// Which window trigger fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowKind {
    Rate,
    Duplicates,
    MentionSpam,
}

impl Tracker {
    /// A tracker for windows up to `horizon`.
    pub fn new(horizon: Duration) -> Tracker {
        Tracker {
            horizon_ms: horizon.as_millis() as i64,
            ..Tracker::default()
        }
    }

    /// Declares that timestamps are only precise to `resolution` (exports with whole minutes,
    /// for instance). Messages count within a window only when they certainly fall inside it, so
    /// a window shorter than the resolution never fires.
    pub fn set_resolution(&mut self, resolution: Duration) {
        self.resolution_ms = resolution.as_millis() as i64;
    }

    /// Members currently tracked.
    pub fn members(&self) -> usize {
        self.members.len()
    }

    /// Records a message and returns the member's recent events, oldest first.
    pub(crate) fn record(&mut self, author: u64, at_ms: i64, content_hash: u64, mentions: u32) {
        self.since_sweep += 1;
        if self.since_sweep >= SWEEP_AT_LEAST_EVERY.max(self.after_last_sweep) {
            self.sweep(at_ms);
        }
        let horizon = self.horizon_ms;
        let events = self.members.entry(author).or_default();
        while events
            .front()
            .is_some_and(|e| e.at_ms < at_ms - horizon || events.len() >= MAX_EVENTS_PER_MEMBER)
        {
            events.pop_front();
        }
        events.push_back(Event {
            at_ms,
            content_hash,
            mentions,
        });
    }

    /// Forgets members with nothing within the horizon.
    pub fn sweep(&mut self, now_ms: i64) {
        let horizon = self.horizon_ms;
        self.members
            .retain(|_, events| events.back().is_some_and(|e| e.at_ms >= now_ms - horizon));
        self.since_sweep = 0;
        self.after_last_sweep = self.members.len();
    }

    /// The first window trigger of `triggers` that the member's latest message fires.
    pub(crate) fn check(&self, author: u64, triggers: &WindowTriggers) -> Option<WindowKind> {
        let events = self.members.get(&author)?;
        let latest = *events.back()?;
        let within = |window: Duration| {
            let certain = window.as_millis() as i64 - self.resolution_ms;
            let from = latest.at_ms - certain;
            events
                .iter()
                .rev()
                .take_while(move |e| certain >= 0 && e.at_ms >= from)
        };
        if let Some((messages, window)) = triggers.rate
            && within(window).count() as u32 >= messages
        {
            return Some(WindowKind::Rate);
        }
        if let Some((count, window)) = triggers.duplicates
            && latest.content_hash != 0
            && within(window)
                .filter(|e| e.content_hash == latest.content_hash)
                .count() as u32
                >= count
        {
            return Some(WindowKind::Duplicates);
        }
        if let Some((mentions, window)) = triggers.mention_spam
            && latest.mentions > 0
            && within(window).map(|e| e.mentions).sum::<u32>() >= mentions
        {
            return Some(WindowKind::MentionSpam);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triggers() -> WindowTriggers {
        WindowTriggers {
            rate: Some((5, Duration::from_secs(5))),
            duplicates: Some((3, Duration::from_secs(60))),
            mention_spam: Some((10, Duration::from_secs(30))),
        }
    }

    #[test]
    fn rate_counts_messages_within_the_window() {
        let mut t = Tracker::new(Duration::from_secs(60));
        for i in 0..4 {
            t.record(1, i * 1000, i as u64 + 1, 0);
            assert_eq!(t.check(1, &triggers()), None);
        }
        t.record(1, 4000, 99, 0);
        assert_eq!(t.check(1, &triggers()), Some(WindowKind::Rate));
        // Another member is unaffected, and slow messages never add up.
        t.record(2, 4000, 5, 0);
        assert_eq!(t.check(2, &triggers()), None);
        let mut slow = Tracker::new(Duration::from_secs(60));
        for i in 0..20 {
            slow.record(1, i * 2000, i as u64 + 1, 0);
            assert_eq!(slow.check(1, &triggers()), None);
        }
    }

    #[test]
    fn duplicates_and_mention_spam() {
        let mut t = Tracker::new(Duration::from_secs(60));
        t.record(1, 0, 42, 0);
        t.record(1, 10_000, 42, 0);
        assert_eq!(t.check(1, &triggers()), None);
        t.record(1, 20_000, 42, 0);
        assert_eq!(t.check(1, &triggers()), Some(WindowKind::Duplicates));
        t.record(3, 0, 1, 6);
        t.record(3, 10_000, 2, 6);
        assert_eq!(t.check(3, &triggers()), Some(WindowKind::MentionSpam));
    }

    #[test]
    fn coarse_timestamps_never_fire_shorter_windows() {
        let mut t = Tracker::new(Duration::from_secs(60));
        t.set_resolution(Duration::from_secs(60));
        for _ in 0..10 {
            t.record(1, 60_000, 7, 0);
        }
        // Ten messages stamped with the same minute may be a minute apart: not certainly a
        // burst within 5 s, but certainly three repeats within a minute.
        assert_eq!(t.check(1, &triggers()), Some(WindowKind::Duplicates));
        let rate_only = WindowTriggers {
            rate: Some((5, Duration::from_secs(5))),
            ..WindowTriggers::default()
        };
        assert_eq!(t.check(1, &rate_only), None);
    }

    #[test]
    fn a_stream_of_new_members_stays_bounded() {
        // A raid of fresh accounts, each posting once, one message every 10 ms: only the last
        // minute's authors matter.
        let mut t = Tracker::new(Duration::from_secs(60));
        for i in 0..100_000u64 {
            t.record(i, i as i64 * 10, 1, 0);
            assert!(
                t.members() <= 2 * SWEEP_AT_LEAST_EVERY.max(6_000) + 1,
                "{}",
                t.members()
            );
        }
    }

    #[test]
    fn idle_members_are_forgotten() {
        let mut t = Tracker::new(Duration::from_secs(60));
        for user in 0..1000 {
            t.record(user, 0, 1, 0);
        }
        t.sweep(120_000);
        assert_eq!(t.members(), 0);
    }
}
