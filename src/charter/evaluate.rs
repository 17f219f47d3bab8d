//! Applying a compiled charter to a message: keyword automaton, regex set, message triggers and
//! member windows, then one [`Verdict`].

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use regex::{Regex, RegexSet};

use super::Message;
use super::keyword_index::{KeywordIndex, apply_allow_lists};
use super::model::{Outcome, Rule};
use super::scratch::{Scratch, Start};
use super::triggers::{self, Haystack};
use super::values::Sanction;
use super::window::{Tracker, WindowKind};

/// At most this many matches are reported for one message.
pub const MAX_MATCHES: usize = 32;

/// What kind of trigger matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    Keyword,
    Regex,
    Link,
    Invite,
    Caps,
    Mentions,
    Emoji,
    Length,
    Attachment,
    Zalgo,
    Rate,
    Duplicates,
    MentionSpam,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Keyword => "keyword",
            Trigger::Regex => "regex",
            Trigger::Link => "link",
            Trigger::Invite => "invite",
            Trigger::Caps => "caps",
            Trigger::Mentions => "mentions",
            Trigger::Emoji => "emoji",
            Trigger::Length => "length",
            Trigger::Attachment => "attachment",
            Trigger::Zalgo => "zalgo",
            Trigger::Rate => "rate",
            Trigger::Duplicates => "duplicates",
            Trigger::MentionSpam => "mention_spam",
        }
    }
}

/// One rule that matched, with what matched and where (byte offsets in the original content;
/// for attachments, `text` is the file name and the span is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMatch {
    /// Index into [`Charter::rules`].
    pub rule: usize,
    pub trigger: Trigger,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The charter's judgement of one message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// The strictest outcome among the matched rules.
    pub outcome: Outcome,
    /// The strictest sanction among the matched rules.
    pub sanction: Option<Sanction>,
    /// Escalation points: the sum over matched rules, each rule counted once.
    pub points: u32,
    pub matches: Vec<RuleMatch>,
}

impl Verdict {
    /// Whether any rule matched.
    pub fn is_flagged(&self) -> bool {
        !self.matches.is_empty()
    }

    /// The matched rules, each once, in order of first match.
    pub fn rules(&self) -> Vec<usize> {
        let mut rules: Vec<usize> = Vec::new();
        for m in &self.matches {
            if !rules.contains(&m.rule) {
                rules.push(m.rule);
            }
        }
        rules
    }
}

/// Everything compiled for matching.
#[derive(Debug, Default)]
pub(crate) struct Matcher {
    pub keywords: KeywordIndex,
    pub regex_set: Option<RegexSet>,
    /// Each regex of the set, alone (for spans), with its rule.
    pub regexes: Vec<(usize, Regex)>,
    /// Rules with message triggers, and rules with window triggers.
    pub message_rules: Vec<usize>,
    pub window_rules: Vec<usize>,
    /// The longest window of any stateful trigger.
    pub horizon: Duration,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Matcher {
    pub(crate) fn evaluate(
        &self,
        rules: &[Rule],
        msg: &Message<'_>,
        tracker: Option<&mut Tracker>,
        ignore_scope: bool,
    ) -> Verdict {
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            self.evaluate_in(scratch, rules, msg, tracker, ignore_scope)
        })
    }

    fn evaluate_in(
        &self,
        s: &mut Scratch,
        rules: &[Rule],
        msg: &Message<'_>,
        tracker: Option<&mut Tracker>,
        ignore_scope: bool,
    ) -> Verdict {
        let content = msg.content;
        let applies = |rule: usize| ignore_scope || rules[rule].scope.applies(msg);
        let mut matches: Vec<RuleMatch> = Vec::new();
        let mut push = |m: RuleMatch| {
            if matches.len() < MAX_MATCHES {
                matches.push(m);
            }
        };

        let start = s.start(content, &self.keywords);
        let tracking = tracker.is_some() && !self.window_rules.is_empty();
        let keywords = start.keywords;
        if keywords || tracking {
            s.build_skeleton(content, start);
        }
        if keywords {
            s.hits.clear();
            self.keywords.scan(&s.skeleton, &mut s.hits);
            apply_allow_lists(&mut s.hits);
            for hit in &s.hits {
                if applies(hit.rule) {
                    let (start, end) = s.skeleton.original_span(hit.start, hit.end);
                    push(RuleMatch {
                        rule: hit.rule,
                        trigger: Trigger::Keyword,
                        text: content[start..end].to_string(),
                        start,
                        end,
                    });
                }
            }
        }

        // Control characters read as spaces: ASCII text that holds one is searched folded too.
        // Regexes run on the folded text and, when leetspeak changes it, on the leet reading.
        let leet = self.regex_set.is_some() && s.build_leet(content, start);
        let plain = start.ascii && !start.facts.hidden_control;
        if !plain && (self.regex_set.is_some() || !self.message_rules.is_empty()) {
            s.build_folded(content);
        }
        let hay = if plain {
            Haystack {
                text: content,
                spans: None,
            }
        } else {
            Haystack {
                text: &s.folded,
                spans: Some(&s.spans),
            }
        };

        if let Some(set) = &self.regex_set {
            let leet = leet.then(|| Haystack {
                text: &s.leet,
                spans: Some(&s.leet_spans),
            });
            let mut seen: Vec<usize> = Vec::new();
            for reading in std::iter::once(&hay).chain(leet.as_ref()) {
                if !set.is_match(reading.text) {
                    continue;
                }
                for index in set.matches(reading.text).iter() {
                    let (rule, regex) = &self.regexes[index];
                    if seen.contains(&index) || !applies(*rule) {
                        continue;
                    }
                    if let Some(m) = regex.find(reading.text) {
                        seen.push(index);
                        let (start, end) = reading.original(m.start(), m.end());
                        push(RuleMatch {
                            rule: *rule,
                            trigger: Trigger::Regex,
                            text: content[start..end].to_string(),
                            start,
                            end,
                        });
                    }
                }
            }
        }

        let possible = Possible::new(start);
        for &rule in &self.message_rules {
            // The scope is checked only when a trigger fires: most messages fire none.
            message_triggers(rule, &rules[rule], msg, &hay, possible, &mut |m| {
                if applies(m.rule) {
                    push(m);
                }
            });
        }

        if let Some(tracker) = tracker
            && !self.window_rules.is_empty()
        {
            let hash = duplicate_key(&s.skeleton.text);
            let mentions = triggers::count_mentions(content);
            tracker.record(msg.author, msg.timestamp_ms, hash, mentions);
            for &rule in &self.window_rules {
                if !applies(rule) {
                    continue;
                }
                if let Some(kind) = tracker.check(msg.author, &rules[rule].window_triggers) {
                    let trigger = match kind {
                        WindowKind::Rate => Trigger::Rate,
                        WindowKind::Duplicates => Trigger::Duplicates,
                        WindowKind::MentionSpam => Trigger::MentionSpam,
                    };
                    push(RuleMatch {
                        rule,
                        trigger,
                        text: content.to_string(),
                        start: 0,
                        end: content.len(),
                    });
                }
            }
        }

        verdict(rules, matches)
    }
}

/// What makes two messages "the same" for the duplicates trigger: their letters and digits after
/// normalisation (case, spacing, punctuation and evasions do not count); 0 for none.
fn duplicate_key(skeleton: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut any = false;
    for c in skeleton.chars().filter(|c| c.is_alphanumeric()) {
        c.hash(&mut h);
        any = true;
    }
    if any { h.finish() | 1 } else { 0 }
}

/// Which message triggers can fire at all, from what the first pass over an ASCII message saw
/// (for other text, all can).
#[derive(Clone, Copy)]
struct Possible {
    link: bool,
    invite: bool,
    mention: bool,
    emoji: bool,
    zalgo: bool,
    /// The number of capital letters, when known.
    capitals: Option<u32>,
}

impl Possible {
    fn new(start: Start) -> Possible {
        let f = start.facts;
        let other = !start.ascii;
        Possible {
            link: other || f.dot,
            invite: other || f.slash,
            mention: other || f.at,
            emoji: other || f.angle,
            zalgo: other,
            capitals: start.ascii.then_some(f.capitals),
        }
    }

    /// Whether there are enough capitals for shouting (`min_ratio` of at least `min_letters`).
    fn shouting(self, min_ratio: f64, min_letters: u32) -> bool {
        self.capitals
            .is_none_or(|c| f64::from(c) >= min_ratio * f64::from(min_letters))
    }
}

/// Checks the message triggers of one rule.
fn message_triggers(
    index: usize,
    rule: &Rule,
    msg: &Message<'_>,
    hay: &Haystack<'_>,
    possible: Possible,
    push: &mut impl FnMut(RuleMatch),
) {
    let t = &rule.message_triggers;
    let content = msg.content;
    let span = |trigger: Trigger, (start, end): (usize, usize)| RuleMatch {
        rule: index,
        trigger,
        text: content[start..end].to_string(),
        start,
        end,
    };
    let whole = (0, content.len());
    if let Some(list) = &t.links
        && possible.link
        && let Some(at) = triggers::find_link(hay, list)
    {
        push(span(Trigger::Link, at));
    }
    if let Some(allowed) = &t.invites
        && possible.invite
        && let Some(at) = triggers::find_invite(hay, allowed)
    {
        push(span(Trigger::Invite, at));
    }
    if let Some((ratio, letters)) = t.caps
        && possible.shouting(ratio, letters)
        && triggers::is_shouting(content, ratio, letters)
    {
        push(span(Trigger::Caps, whole));
    }
    if let Some(max) = t.mentions
        && possible.mention
        && triggers::count_mentions(content) > max
    {
        push(span(Trigger::Mentions, whole));
    }
    if let Some(max) = t.emoji
        && possible.emoji
        && triggers::count_emoji(content) > max
    {
        push(span(Trigger::Emoji, whole));
    }
    // A text has no more characters, and no more lines, than bytes.
    let too_long = t
        .max_chars
        .is_some_and(|max| content.len() > max as usize && content.chars().count() > max as usize);
    let too_many_lines = t
        .max_lines
        .is_some_and(|max| content.len() > max as usize && content.lines().count() > max as usize);
    if too_long || too_many_lines {
        push(span(Trigger::Length, whole));
    }
    if let Some(list) = &t.attachments
        && let Some(i) = triggers::find_attachment(msg.attachments, list)
    {
        push(RuleMatch {
            rule: index,
            trigger: Trigger::Attachment,
            text: msg.attachments[i].filename.to_string(),
            start: 0,
            end: 0,
        });
    }
    if let Some(max) = t.zalgo
        && possible.zalgo
        && let Some(at) = triggers::find_zalgo(content, max)
    {
        push(span(Trigger::Zalgo, at));
    }
}

fn verdict(rules: &[Rule], matches: Vec<RuleMatch>) -> Verdict {
    let mut verdict = Verdict {
        matches,
        ..Verdict::default()
    };
    for index in verdict.rules() {
        let rule = &rules[index];
        verdict.outcome = verdict.outcome.max(rule.outcome);
        verdict.sanction = verdict.sanction.max(rule.sanction);
        verdict.points += rule.points;
    }
    verdict
}
