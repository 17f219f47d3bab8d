//! Triggers that look at one message: links, invites, shouting, mentions, emoji, length,
//! attachments and zalgo text. Each returns the span that broke the rule, in original bytes.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use unicode_normalization::char::is_combining_mark;
use unicode_properties::{EmojiStatus, UnicodeEmoji};

use super::Attachment;

/// Text searched by regexes and link triggers: the message itself when it is ASCII without
/// control characters (regexes are case-insensitive), otherwise its folded form or its leet
/// reading with, per byte, the original range.
pub(crate) struct Haystack<'a> {
    pub text: &'a str,
    pub spans: Option<&'a [(u32, u32)]>,
}

impl Haystack<'_> {
    /// The original byte range of `text[start..end]` (the smallest covering every character:
    /// text under a right-to-left override is read reversed).
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        match self.spans {
            None => (start, end),
            Some(spans) if start < end => {
                let covered = &spans[start..end];
                let from = covered.iter().map(|s| s.0).min().unwrap_or(0);
                let to = covered.iter().map(|s| s.1).max().unwrap_or(from);
                (from as usize, to as usize)
            }
            Some(spans) => spans
                .get(start)
                .map_or((0, 0), |s| (s.0 as usize, s.0 as usize)),
        }
    }
}

/// Domains, each also covering its subdomains.
#[derive(Clone, Debug, Default)]
pub(crate) struct DomainList {
    pub allow: Vec<String>,
    /// Finds denied domains anywhere in a text, bare or in a URL.
    deny_finder: Option<AhoCorasick>,
}

impl DomainList {
    /// Lists of lowercase domains, as validated by [`valid_domain`].
    pub fn new(allow: Vec<String>, deny: Vec<String>) -> DomainList {
        let deny_finder = (!deny.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&deny)
                .expect("domain automaton builds")
        });
        DomainList { allow, deny_finder }
    }
}

fn domain_in(domain: &str, list: &[String]) -> bool {
    list.iter().any(|d| {
        domain == d
            || (domain.ends_with(d.as_str()) && domain[..domain.len() - d.len()].ends_with('.'))
    })
}

/// Checks a domain as written in a rule file.
pub(crate) fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b >= 0x80
}

fn ends_url(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'<' | b'>' | b'"' | b'`')
}

/// The whitespace-delimited token around `text[start..end]`.
fn token_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let from = bytes[..start]
        .iter()
        .rposition(|&b| ends_url(b))
        .map_or(0, |i| i + 1);
    let to = bytes[end..]
        .iter()
        .position(|&b| ends_url(b))
        .map_or(text.len(), |i| end + i);
    (from, to)
}

/// Starts of explicit links.
static LINK_START: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(["http://", "https://", "www."])
        .expect("link automaton builds")
});

/// The first link that breaks `list`. Denied domains count bare (`grabify.link/x`) or in a URL;
/// allow lists only judge links written with `http(s)://` or `www.`, so `file.txt` is no link.
pub(crate) fn find_link(hay: &Haystack<'_>, list: &DomainList) -> Option<(usize, usize)> {
    let text = hay.text;
    // Every domain has a dot.
    if !text.contains('.') {
        return None;
    }
    let bytes = text.as_bytes();
    // A denied domain has a label after its dot: text without one is not searched for them.
    let dot_label = || bytes.windows(2).any(|w| w[0] == b'.' && is_host_byte(w[1]));
    if let Some(finder) = &list.deny_finder
        && dot_label()
    {
        for m in finder.find_iter(text) {
            let left_ok = m.start() == 0 || !is_host_byte(bytes[m.start() - 1]);
            let right_ok = match bytes.get(m.end()) {
                None => true,
                Some(b'.') => !bytes.get(m.end() + 1).is_some_and(|&b| is_host_byte(b)),
                Some(&b) => !is_host_byte(b),
            };
            if left_ok && right_ok {
                let (from, to) = token_around(text, m.start(), m.end());
                return Some(hay.original(from, to));
            }
        }
    }
    if list.allow.is_empty() {
        return None;
    }
    for m in LINK_START.find_iter(text) {
        let host_start = if bytes[m.start()] == b'w' || bytes[m.start()] == b'W' {
            m.start()
        } else {
            m.end()
        };
        let host_end = bytes[host_start..]
            .iter()
            .position(|&b| ends_url(b) || matches!(b, b'/' | b':' | b'?' | b'#'))
            .map_or(text.len(), |i| host_start + i);
        let host = text[host_start..host_end].to_lowercase();
        let host = host.rsplit('@').next().unwrap_or("");
        let host = host.trim_start_matches("www.").trim_end_matches('.');
        if host.is_empty() || !host.contains('.') || domain_in(host, &list.allow) {
            continue;
        }
        let (_, to) = token_around(text, m.start(), host_end);
        return Some(hay.original(m.start(), to));
    }
    None
}

/// A Discord invite; group 1 is the code. Spaces around the dots and slash are tolerated.
static INVITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:discord(?:app)?\s*\.\s*com\s*/\s*invite|discord\s*\.\s*(?:gg|io|me|li)|dsc\s*\.\s*gg|invite\s*\.\s*gg)\s*/\s*([a-z0-9-]{2,32})",
    )
    .expect("invite pattern compiles")
});

/// The first invite whose code is not allowed.
pub(crate) fn find_invite(hay: &Haystack<'_>, allowed: &[String]) -> Option<(usize, usize)> {
    // Every invite form has a slash; most messages have none.
    if !hay.text.contains('/') {
        return None;
    }
    INVITE.captures_iter(hay.text).find_map(|caps| {
        let code = &caps[1];
        if allowed.iter().any(|a| a.eq_ignore_ascii_case(code)) {
            return None;
        }
        let whole = caps.get(0).expect("group 0");
        Some(hay.original(whole.start(), whole.end()))
    })
}

/// Whether the message shouts: at least `min_letters` letters, of which `min_ratio` uppercase.
pub(crate) fn is_shouting(content: &str, min_ratio: f64, min_letters: u32) -> bool {
    // No more letters than bytes.
    if content.len() < min_letters as usize {
        return false;
    }
    let (letters, upper) = if content.is_ascii() {
        content.bytes().fold((0u32, 0u32), |(l, u), b| {
            (
                l + u32::from(b.is_ascii_alphabetic()),
                u + u32::from(b.is_ascii_uppercase()),
            )
        })
    } else {
        content
            .chars()
            .filter(|c| c.is_alphabetic())
            .fold((0, 0), |(l, u), c| (l + 1, u + u32::from(c.is_uppercase())))
    };
    letters >= min_letters && f64::from(upper) >= min_ratio * f64::from(letters)
}

static MENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<@[!&]?\d+>|@everyone|@here").expect("mention pattern compiles"));

/// User, role, `@everyone` and `@here` mentions in the message.
pub fn count_mentions(content: &str) -> u32 {
    if !content.contains('@') {
        return 0;
    }
    MENTION.find_iter(content).count() as u32
}

static CUSTOM_EMOJI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<a?:\w+:\d+>").expect("emoji pattern compiles"));

/// Custom and Unicode emoji in the message (skin tones, joiners and selectors not counted).
pub(crate) fn count_emoji(content: &str) -> u32 {
    let custom = if content.contains("<") {
        CUSTOM_EMOJI.find_iter(content).count() as u32
    } else {
        0
    };
    if content.is_ascii() {
        return custom;
    }
    let unicode = content
        .chars()
        .filter(|c| {
            !c.is_ascii()
                && matches!(
                    c.emoji_status(),
                    EmojiStatus::EmojiPresentation
                        | EmojiStatus::EmojiModifierBase
                        | EmojiStatus::EmojiPresentationAndModifierBase
                        | EmojiStatus::EmojiOther
                )
        })
        .count() as u32;
    custom + unicode
}

/// The first character carrying more than `max` combining marks, with its marks.
pub(crate) fn find_zalgo(content: &str, max: u32) -> Option<(usize, usize)> {
    if content.is_ascii() {
        return None;
    }
    let mut base = 0;
    let mut marks = 0;
    for (i, c) in content.char_indices() {
        if is_combining_mark(c) {
            marks += 1;
            if marks > max {
                let end = content[i..]
                    .char_indices()
                    .find(|(_, c)| !is_combining_mark(*c))
                    .map_or(content.len(), |(k, _)| i + k);
                return Some((base, end));
            }
        } else {
            base = i;
            marks = 0;
        }
    }
    None
}

/// File extensions, lowercase, without the dot.
#[derive(Clone, Debug, Default)]
pub(crate) struct ExtensionList {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

/// The first attachment the list refuses, by index.
pub(crate) fn find_attachment(
    attachments: &[Attachment<'_>],
    list: &ExtensionList,
) -> Option<usize> {
    attachments.iter().position(|a| {
        let ext = a
            .filename
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        list.deny.contains(&ext) || (!list.allow.is_empty() && !list.allow.contains(&ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hay(text: &str) -> Haystack<'_> {
        Haystack { text, spans: None }
    }

    #[test]
    fn links_by_deny_and_allow_lists() {
        let deny = DomainList::new(vec![], vec!["grabify.link".into()]);
        let found = |text: &str| find_link(&hay(text), &deny);
        assert_eq!(found("see grabify.link/abc"), Some((4, 20)));
        assert_eq!(found("https://x.GRABIFY.link"), Some((0, 22)));
        assert_eq!(found("grabify.link."), Some((0, 13)));
        assert_eq!(found("notgrabify.link"), None);
        assert_eq!(found("grabify.linked.com"), None);
        assert_eq!(found("grabify.link.evil.com"), None);
        let allow = DomainList::new(vec!["ubuntu.com".into()], vec![]);
        let found = |text: &str| find_link(&hay(text), &allow);
        assert_eq!(found("https://help.ubuntu.com/x"), None);
        assert_eq!(found("www.ubuntu.com"), None);
        assert_eq!(found("go to https://evil.example/x y"), Some((6, 28)));
        assert_eq!(found("https://ubuntu.com@evil.example"), Some((0, 31)));
        assert_eq!(found("edit file.txt"), None);
    }

    #[test]
    fn invites_except_allowed_codes() {
        assert!(find_invite(&hay("join discord.gg/abc123"), &[]).is_some());
        assert!(find_invite(&hay("https://discord.com/invite/xyz"), &[]).is_some());
        assert!(find_invite(&hay("discord . gg / spam"), &[]).is_some());
        assert_eq!(find_invite(&hay("discord.gg/ours"), &["ours".into()]), None);
        assert_eq!(find_invite(&hay("I like discord"), &[]), None);
    }

    #[test]
    fn shouting_needs_enough_letters() {
        assert!(is_shouting("WHY IS NOTHING WORKING TODAY", 0.8, 20));
        assert!(!is_shouting("OK FINE", 0.8, 20));
        assert!(!is_shouting("Why is nothing working today at all", 0.8, 20));
    }

    #[test]
    fn mentions_and_emoji() {
        assert_eq!(count_mentions("<@1> <@!2> <@&3> @everyone @here a@b"), 5);
        assert_eq!(count_emoji("hi 😀😀 <:pog:123> <a:x:4> 👍🏽"), 5);
        assert_eq!(count_emoji("plain text 123 #"), 0);
    }

    #[test]
    fn zalgo_counts_stacked_marks() {
        let zalgo = "he\u{0301}\u{0302}\u{0303}\u{0304}llo";
        assert_eq!(find_zalgo(zalgo, 3), Some((1, 10)));
        assert_eq!(find_zalgo("café", 3), None);
    }

    #[test]
    fn attachments_by_extension() {
        let files = [
            Attachment {
                filename: "cat.png",
                url: "",
            },
            Attachment {
                filename: "setup.EXE",
                url: "",
            },
        ];
        let deny = ExtensionList {
            deny: vec!["exe".into()],
            ..Default::default()
        };
        assert_eq!(find_attachment(&files, &deny), Some(1));
        let allow = ExtensionList {
            allow: vec!["png".into(), "exe".into()],
            ..Default::default()
        };
        assert_eq!(find_attachment(&files, &allow), None);
    }
}
