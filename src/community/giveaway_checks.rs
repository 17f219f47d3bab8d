//! The checks of a giveaway, before anything is recorded or sent: a moderator's start request
//! ([`check_start`]) and a member's entry ([`check_entry`]). Facts in, `Ok` or a typed
//! [`GiveawayRefusal`] out, rendered in the reader's language through the catalogue.

use std::time::Duration;

use crate::charter::format_duration;
use crate::i18n::Lang;
use crate::ids::{RoleId, UserId};
use crate::tr;

/// The shortest giveaway.
pub const MIN_DURATION: Duration = Duration::from_secs(1);
/// The longest giveaway: 60 days.
pub const MAX_DURATION: Duration = Duration::from_secs(60 * 86_400);
/// The shortest claim deadline.
pub const MIN_CLAIM: Duration = Duration::from_secs(60);
/// The longest claim deadline: 7 days.
pub const MAX_CLAIM: Duration = Duration::from_secs(7 * 86_400);
/// The most winners one draw gives.
pub const MAX_WINNERS: u32 = 50;
/// The longest prize text (it is an embed title, at most 256 characters, with a prefix).
pub const PRIZE_MAX: usize = 200;
/// The window of the "minimum messages" requirement: the last 30 days.
pub const MESSAGES_WINDOW: Duration = Duration::from_secs(30 * 86_400);
/// The window of the "clean record" requirement: no case with points within 30 days.
pub const CLEAN_WINDOW: Duration = Duration::from_secs(30 * 86_400);

const DAY_MS: i64 = 86_400_000;

/// What a member must meet to enter; `None` or `false` asks nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirements {
    /// A role the member must have.
    pub role: Option<RoleId>,
    /// The account's minimum age, in days.
    pub account_days: Option<u32>,
    /// The minimum time in the server, in days.
    pub member_days: Option<u32>,
    /// The minimum messages in the server over the last 30 days.
    pub messages_30d: Option<u32>,
    /// No active timeout, and no case with points within the last 30 days.
    pub clean_record: bool,
}

/// A moderator's request to start a giveaway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartRequest {
    /// What is won.
    pub prize: String,
    /// How long entries are open.
    pub duration: Duration,
    /// How many winners are drawn.
    pub winners: u32,
    /// How long a winner has to claim (`None`: no claim needed).
    pub claim: Option<Duration>,
}

/// What Steward knows about a member who presses "Enter" (only what the requirements need is
/// filled in by the adapter).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntrantFacts {
    /// The member.
    pub user: UserId,
    /// Whether they are a bot.
    pub is_bot: bool,
    /// When their account was made (from their id), ms since the epoch.
    pub account_created_ms: i64,
    /// When they joined the server, if known.
    pub joined_at_ms: Option<i64>,
    /// Their roles.
    pub roles: Vec<RoleId>,
    /// Until when they are timed out, if they are.
    pub timed_out_until_ms: Option<i64>,
    /// Their messages in the server over the last 30 days (as flushed).
    pub messages_30d: u64,
    /// Their escalation points from cases within the last 30 days.
    pub recent_points: i64,
}

/// Why a giveaway is not started or an entry not taken; nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GiveawayRefusal {
    /// The prize is empty.
    EmptyPrize,
    /// The prize is longer than [`PRIZE_MAX`].
    PrizeTooLong,
    /// The duration is outside [`MIN_DURATION`]..=[`MAX_DURATION`].
    BadDuration,
    /// Zero winners, or more than [`MAX_WINNERS`].
    BadWinners,
    /// The claim deadline is outside [`MIN_CLAIM`]..=[`MAX_CLAIM`].
    BadClaim,
    /// Steward cannot post in the chosen channel.
    CannotPost,
    /// The giveaway is no longer open.
    Closed,
    /// The member already entered.
    AlreadyEntered,
    /// Bots do not enter.
    Bot,
    /// The member lacks the required role.
    MissingRole { role: RoleId },
    /// The account is younger than required.
    AccountTooNew { days: u32 },
    /// The member joined too recently.
    JoinedTooRecently { days: u32 },
    /// Too few messages over the last 30 days.
    TooFewMessages { has: u64, needed: u32 },
    /// The member is timed out.
    TimedOut,
    /// A case with points within the last 30 days.
    RecentCase,
    /// No such giveaway in this server.
    Unknown,
    /// The giveaway is not ended yet (a reroll needs a draw first).
    NotEnded,
    /// Every entrant has already won: nobody is left to draw.
    NobodyLeft,
}

/// Checks a start request.
pub fn check_start(request: &StartRequest, bot_can_post: bool) -> Result<(), GiveawayRefusal> {
    let prize = request.prize.trim();
    if prize.is_empty() {
        return Err(GiveawayRefusal::EmptyPrize);
    }
    if prize.chars().count() > PRIZE_MAX {
        return Err(GiveawayRefusal::PrizeTooLong);
    }
    if !(MIN_DURATION..=MAX_DURATION).contains(&request.duration) {
        return Err(GiveawayRefusal::BadDuration);
    }
    if request.winners == 0 || request.winners > MAX_WINNERS {
        return Err(GiveawayRefusal::BadWinners);
    }
    if let Some(claim) = request.claim
        && !(MIN_CLAIM..=MAX_CLAIM).contains(&claim)
    {
        return Err(GiveawayRefusal::BadClaim);
    }
    if !bot_can_post {
        return Err(GiveawayRefusal::CannotPost);
    }
    Ok(())
}

/// Checks an entry at `now_ms` into a giveaway that is `open`, against its requirements. The
/// one-entry-per-member rule is the database's (a unique key); this checks the rest.
pub fn check_entry(
    open: bool,
    requirements: &Requirements,
    member: &EntrantFacts,
    now_ms: i64,
) -> Result<(), GiveawayRefusal> {
    if !open {
        return Err(GiveawayRefusal::Closed);
    }
    if member.is_bot {
        return Err(GiveawayRefusal::Bot);
    }
    if let Some(role) = requirements.role
        && !member.roles.contains(&role)
    {
        return Err(GiveawayRefusal::MissingRole { role });
    }
    if let Some(days) = requirements.account_days
        && now_ms - member.account_created_ms < i64::from(days) * DAY_MS
    {
        return Err(GiveawayRefusal::AccountTooNew { days });
    }
    if let Some(days) = requirements.member_days {
        let since = member.joined_at_ms.unwrap_or(now_ms);
        if now_ms - since < i64::from(days) * DAY_MS {
            return Err(GiveawayRefusal::JoinedTooRecently { days });
        }
    }
    if let Some(needed) = requirements.messages_30d
        && member.messages_30d < u64::from(needed)
    {
        return Err(GiveawayRefusal::TooFewMessages {
            has: member.messages_30d,
            needed,
        });
    }
    if requirements.clean_record {
        if member
            .timed_out_until_ms
            .is_some_and(|until| until > now_ms)
        {
            return Err(GiveawayRefusal::TimedOut);
        }
        if member.recent_points > 0 {
            return Err(GiveawayRefusal::RecentCase);
        }
    }
    Ok(())
}

impl GiveawayRefusal {
    /// The refusal in `lang`, from the catalogue (`locales/*/giveaway.ftl`).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            GiveawayRefusal::EmptyPrize => tr!(lang, "giveaway-refusal-empty-prize"),
            GiveawayRefusal::PrizeTooLong => {
                tr!(lang, "giveaway-refusal-prize-too-long", max = PRIZE_MAX)
            }
            GiveawayRefusal::BadDuration => tr!(
                lang,
                "giveaway-refusal-bad-duration",
                min = format_duration(MIN_DURATION),
                max = format_duration(MAX_DURATION)
            ),
            GiveawayRefusal::BadWinners => {
                tr!(lang, "giveaway-refusal-bad-winners", max = MAX_WINNERS)
            }
            GiveawayRefusal::BadClaim => tr!(
                lang,
                "giveaway-refusal-bad-claim",
                min = format_duration(MIN_CLAIM),
                max = format_duration(MAX_CLAIM)
            ),
            GiveawayRefusal::CannotPost => tr!(lang, "giveaway-refusal-cannot-post"),
            GiveawayRefusal::Closed => tr!(lang, "giveaway-refusal-closed"),
            GiveawayRefusal::AlreadyEntered => tr!(lang, "giveaway-refusal-already-entered"),
            GiveawayRefusal::Bot => tr!(lang, "giveaway-refusal-bot"),
            GiveawayRefusal::MissingRole { role } => {
                tr!(
                    lang,
                    "giveaway-refusal-missing-role",
                    role = format!("<@&{role}>")
                )
            }
            GiveawayRefusal::AccountTooNew { days } => {
                tr!(lang, "giveaway-refusal-account-too-new", days = *days)
            }
            GiveawayRefusal::JoinedTooRecently { days } => {
                tr!(lang, "giveaway-refusal-joined-too-recently", days = *days)
            }
            GiveawayRefusal::TooFewMessages { has, needed } => tr!(
                lang,
                "giveaway-refusal-too-few-messages",
                has = *has,
                needed = *needed
            ),
            GiveawayRefusal::TimedOut => tr!(lang, "giveaway-refusal-timed-out"),
            GiveawayRefusal::RecentCase => tr!(lang, "giveaway-refusal-recent-case"),
            GiveawayRefusal::Unknown => tr!(lang, "giveaway-refusal-unknown"),
            GiveawayRefusal::NotEnded => tr!(lang, "giveaway-refusal-not-ended"),
            GiveawayRefusal::NobodyLeft => tr!(lang, "giveaway-refusal-nobody-left"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn veteran() -> EntrantFacts {
        EntrantFacts {
            user: UserId(5),
            account_created_ms: NOW - 400 * DAY_MS,
            joined_at_ms: Some(NOW - 100 * DAY_MS),
            roles: vec![RoleId(9)],
            messages_30d: 40,
            ..EntrantFacts::default()
        }
    }

    fn strict() -> Requirements {
        Requirements {
            role: Some(RoleId(9)),
            account_days: Some(30),
            member_days: Some(7),
            messages_30d: Some(10),
            clean_record: true,
        }
    }

    #[test]
    fn a_member_meeting_every_requirement_enters() {
        assert_eq!(check_entry(true, &strict(), &veteran(), NOW), Ok(()));
        let newcomer = EntrantFacts {
            account_created_ms: NOW - 1000,
            ..EntrantFacts::default()
        };
        assert_eq!(
            check_entry(true, &Requirements::default(), &newcomer, NOW),
            Ok(())
        );
    }

    #[test]
    fn each_unmet_requirement_is_refused_with_its_reason() {
        let r = strict();
        let with = |change: fn(&mut EntrantFacts)| {
            let mut m = veteran();
            change(&mut m);
            check_entry(true, &r, &m, NOW)
        };
        assert_eq!(
            check_entry(false, &r, &veteran(), NOW),
            Err(GiveawayRefusal::Closed)
        );
        assert_eq!(with(|m| m.is_bot = true), Err(GiveawayRefusal::Bot));
        assert_eq!(
            with(|m| m.roles.clear()),
            Err(GiveawayRefusal::MissingRole { role: RoleId(9) })
        );
        assert_eq!(
            with(|m| m.account_created_ms = NOW - 29 * DAY_MS),
            Err(GiveawayRefusal::AccountTooNew { days: 30 })
        );
        // Exactly 30 days old is old enough.
        assert_eq!(with(|m| m.account_created_ms = NOW - 30 * DAY_MS), Ok(()));
        assert_eq!(
            with(|m| m.joined_at_ms = Some(NOW - DAY_MS)),
            Err(GiveawayRefusal::JoinedTooRecently { days: 7 })
        );
        assert_eq!(
            with(|m| m.joined_at_ms = None),
            Err(GiveawayRefusal::JoinedTooRecently { days: 7 })
        );
        assert_eq!(
            with(|m| m.messages_30d = 9),
            Err(GiveawayRefusal::TooFewMessages { has: 9, needed: 10 })
        );
        assert_eq!(
            with(|m| m.timed_out_until_ms = Some(NOW + 1)),
            Err(GiveawayRefusal::TimedOut)
        );
        assert_eq!(with(|m| m.timed_out_until_ms = Some(NOW - 1)), Ok(()));
        assert_eq!(
            with(|m| m.recent_points = 1),
            Err(GiveawayRefusal::RecentCase)
        );
    }

    #[test]
    fn a_start_request_is_checked_at_its_limits() {
        let ok = StartRequest {
            prize: "Nitro".into(),
            duration: Duration::from_secs(2),
            winners: 1,
            claim: None,
        };
        assert_eq!(check_start(&ok, true), Ok(()));
        assert_eq!(check_start(&ok, false), Err(GiveawayRefusal::CannotPost));
        let with = |change: fn(&mut StartRequest)| {
            let mut r = ok.clone();
            change(&mut r);
            check_start(&r, true)
        };
        assert_eq!(
            with(|r| r.prize = "  ".into()),
            Err(GiveawayRefusal::EmptyPrize)
        );
        assert_eq!(with(|r| r.prize = "a".repeat(PRIZE_MAX)), Ok(()));
        assert_eq!(
            with(|r| r.prize = "a".repeat(PRIZE_MAX + 1)),
            Err(GiveawayRefusal::PrizeTooLong)
        );
        assert_eq!(
            with(|r| r.duration = Duration::ZERO),
            Err(GiveawayRefusal::BadDuration)
        );
        assert_eq!(with(|r| r.duration = MAX_DURATION), Ok(()));
        assert_eq!(
            with(|r| r.duration = MAX_DURATION + Duration::from_secs(1)),
            Err(GiveawayRefusal::BadDuration)
        );
        assert_eq!(with(|r| r.winners = 0), Err(GiveawayRefusal::BadWinners));
        assert_eq!(with(|r| r.winners = MAX_WINNERS), Ok(()));
        assert_eq!(
            with(|r| r.winners = MAX_WINNERS + 1),
            Err(GiveawayRefusal::BadWinners)
        );
    }

    #[test]
    fn a_claim_deadline_is_between_a_minute_and_a_week() {
        let with = |claim: Duration| {
            let r = StartRequest {
                prize: "Nitro".into(),
                duration: Duration::from_secs(60),
                winners: 1,
                claim: Some(claim),
            };
            check_start(&r, true)
        };
        assert_eq!(with(MIN_CLAIM), Ok(()));
        assert_eq!(with(MAX_CLAIM), Ok(()));
        assert_eq!(
            with(MIN_CLAIM - Duration::from_secs(1)),
            Err(GiveawayRefusal::BadClaim)
        );
        assert_eq!(
            with(MAX_CLAIM + Duration::from_secs(1)),
            Err(GiveawayRefusal::BadClaim)
        );
        assert_eq!(
            GiveawayRefusal::BadClaim.text(Lang::EN),
            "A winner has between 1m and 7d to claim."
        );
    }

    #[test]
    fn refusals_are_told_in_the_readers_language() {
        let r = GiveawayRefusal::AccountTooNew { days: 30 };
        assert_eq!(
            r.text(Lang::EN),
            "Your account must be at least 30 days old to enter this giveaway."
        );
        assert_eq!(
            r.text(Lang::FR),
            "Votre compte doit avoir au moins 30 jours pour participer à ce tirage au sort."
        );
    }
}
