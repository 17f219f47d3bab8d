//! Raid mode in the mod log, in the server's language: the alert when it starts (what set it
//! off, the members and their account ages, the steps taken and those Discord refused, when it
//! ends, a button to end it now), the alert as it reads once ended, and the summary.

use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateButton, CreateEmbed, CreateMessage,
};

use super::{EMBED_DESCRIPTION_MAX, EMBED_FIELD_MAX, fit};
use crate::charter::format_duration;
use crate::charter::raid::{RaidSettings, RaidStep};
use crate::discord::raid::RAID_END_BUTTON;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::moderation::raid::{Detection, RaidSignal};
use crate::moderation::raid_mode::{ActiveRaid, Setting};
use crate::tr;

/// How many of the raid's members the alert names.
const NAMED: usize = 30;

/// What the alert says.
pub struct Alert<'a> {
    pub raid: &'a ActiveRaid,
    pub detection: Option<&'a Detection>,
    /// An excerpt of the message that completed the signal.
    pub sample: Option<&'a str>,
    pub settings: &'a RaidSettings,
    /// The settings changed, as they are during the raid.
    pub applied: &'a [Setting],
    /// The settings Discord refused to change, with its error.
    pub refused: &'a [(Setting, String)],
    pub ends_at_ms: i64,
}

/// The alert posted when raid mode starts, with the button that ends it.
pub fn alert(lang: Lang, a: &Alert<'_>, now_ms: i64) -> CreateMessage {
    let mut embed = CreateEmbed::new()
        .title(tr!(lang, "raid-alert-title"))
        .description(fit(&why(lang, a), EMBED_DESCRIPTION_MAX))
        .colour(Colour::RED);
    if let Some(detection) = a.detection.filter(|d| !d.members.is_empty()) {
        let mut named: Vec<String> = detection
            .members
            .iter()
            .take(NAMED)
            .map(|u| format!("<@{u}>"))
            .collect();
        if detection.members.len() > NAMED {
            named.push("…".into());
        }
        let mut ages: Vec<i64> = detection
            .members
            .iter()
            .map(|u| (now_ms - u.created_at_ms()).max(0))
            .collect();
        ages.sort_unstable();
        let value = format!(
            "{}\n{}",
            named.join(" "),
            tr!(
                lang,
                "raid-alert-ages",
                youngest = age(ages[0]),
                median = age(ages[ages.len() / 2])
            )
        );
        embed = embed.field(
            tr!(lang, "raid-alert-members", count = detection.members.len()),
            fit(&value, EMBED_FIELD_MAX),
            false,
        );
    }
    let steps = steps(lang, a.settings, a.applied);
    embed = embed.field(
        tr!(lang, "raid-alert-steps"),
        fit(&steps, EMBED_FIELD_MAX),
        false,
    );
    if !a.refused.is_empty() {
        let names: Vec<String> = a.refused.iter().map(|(s, _)| setting(lang, s)).collect();
        let value = format!(
            "{}\n{}",
            names.join(", "),
            tr!(lang, "raid-alert-refused-hint")
        );
        embed = embed.field(
            tr!(lang, "raid-alert-refused"),
            fit(&value, EMBED_FIELD_MAX),
            false,
        );
    }
    let ends = tr!(
        lang,
        "raid-alert-ends",
        quiet = format_duration(a.settings.quiet),
        at = format!("<t:{}:R>", a.ends_at_ms / 1000)
    );
    embed = embed.field("\u{200b}", ends, false);
    let button = CreateButton::new(RAID_END_BUTTON)
        .style(ButtonStyle::Danger)
        .label(tr!(lang, "raid-button-end"));
    CreateMessage::new()
        .content("@here")
        .embed(embed)
        .components(vec![CreateActionRow::Buttons(vec![button])])
}

/// What set raid mode off, in a sentence.
fn why(lang: Lang, a: &Alert<'_>) -> String {
    let Some(detection) = a.detection else {
        let moderator = a.raid.started_by.map_or_else(String::new, mention);
        return tr!(lang, "raid-alert-manual", moderator = moderator);
    };
    match &detection.signal {
        RaidSignal::JoinWave {
            joins,
            young,
            window,
        } => match a.settings.joins.as_ref().and_then(|j| j.young) {
            Some((limit, _)) => tr!(
                lang,
                "raid-alert-joins-young",
                joins = *joins,
                window = format_duration(*window),
                young = *young,
                age = format_duration(limit)
            ),
            None => tr!(
                lang,
                "raid-alert-joins",
                joins = *joins,
                window = format_duration(*window)
            ),
        },
        RaidSignal::RepeatedContent {
            members,
            window,
            link,
        } => match link {
            Some(link) => tr!(
                lang,
                "raid-alert-repeated-link",
                members = *members,
                window = format_duration(*window),
                link = format!("`{link}`")
            ),
            None => tr!(
                lang,
                "raid-alert-repeated-text",
                members = *members,
                window = format_duration(*window),
                sample = a.sample.unwrap_or_default().to_string()
            ),
        },
        RaidSignal::MentionStorm {
            mentions,
            members,
            window,
        } => tr!(
            lang,
            "raid-alert-mentions",
            mentions = *mentions,
            members = *members,
            window = format_duration(*window)
        ),
    }
}

/// The steps taken, one per line: the settings changed, then the holds and sanctions.
fn steps(lang: Lang, settings: &RaidSettings, applied: &[Setting]) -> String {
    let mut lines = Vec::new();
    let slowed: Vec<u32> = applied
        .iter()
        .filter_map(|s| match s {
            Setting::SlowMode { secs, .. } => Some(*secs),
            _ => None,
        })
        .collect();
    if let Some(secs) = slowed.first() {
        lines.push(tr!(
            lang,
            "raid-step-slowmode",
            secs = *secs,
            count = slowed.len()
        ));
    }
    for setting in applied {
        match *setting {
            Setting::Verification(level) => lines.push(tr!(
                lang,
                "raid-step-verification",
                level = tr!(lang, "raid-level", level = level)
            )),
            Setting::InvitesPausedUntil(Some(until)) => lines.push(tr!(
                lang,
                "raid-step-invites",
                until = format!("<t:{}:t>", until / 1000)
            )),
            Setting::DmsPausedUntil(Some(until)) => lines.push(tr!(
                lang,
                "raid-step-dms",
                until = format!("<t:{}:t>", until / 1000)
            )),
            _ => {}
        }
    }
    for step in &settings.steps {
        match step {
            RaidStep::HoldNewerThan(d) => {
                lines.push(tr!(lang, "raid-step-hold", newer = format_duration(*d)))
            }
            RaidStep::TimeoutMatching(d) if !settings.steps.contains(&RaidStep::KickMatching) => {
                lines.push(tr!(
                    lang,
                    "raid-step-timeout",
                    duration = format_duration(*d)
                ));
            }
            RaidStep::KickMatching => lines.push(tr!(lang, "raid-step-kick")),
            _ => {}
        }
    }
    if lines.is_empty() {
        return tr!(lang, "raid-steps-none");
    }
    lines
        .iter()
        .map(|l| format!("• {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A setting named in a sentence ("the slow mode of #general").
pub fn setting(lang: Lang, setting: &Setting) -> String {
    match setting {
        Setting::SlowMode { channel, .. } => tr!(
            lang,
            "raid-setting-slowmode",
            channel = format!("<#{channel}>")
        ),
        Setting::Verification(_) => tr!(lang, "raid-setting-verification"),
        Setting::InvitesPausedUntil(_) => tr!(lang, "raid-setting-invites"),
        Setting::DmsPausedUntil(_) => tr!(lang, "raid-setting-dms"),
    }
}

/// The alert once raid mode has ended (its button removed).
pub fn ended_alert(lang: Lang, raid: &ActiveRaid, ended_at_ms: i64) -> CreateEmbed {
    CreateEmbed::new()
        .title(tr!(lang, "raid-ended-title"))
        .description(tr!(
            lang,
            "raid-ended",
            start = format!("<t:{}:f>", raid.started_at_ms / 1000),
            end = format!("<t:{}:f>", ended_at_ms / 1000)
        ))
        .colour(Colour::DARK_GREY)
}

/// What the summary says.
pub struct Summary<'a> {
    pub raid: &'a ActiveRaid,
    pub ended_by: Option<UserId>,
    pub ended_at_ms: i64,
    /// Members who joined during the raid.
    pub members: usize,
    /// Of them, those timed out or kicked.
    pub actioned: usize,
    /// Settings put back.
    pub restored: usize,
    /// Settings Discord refused to put back.
    pub refused: &'a [(Setting, String)],
}

/// The summary's text, posted when raid mode ends.
pub fn summary(lang: Lang, s: &Summary<'_>) -> String {
    let lasted = std::time::Duration::from_secs(
        u64::try_from((s.ended_at_ms - s.raid.started_at_ms) / 1000).unwrap_or(0),
    );
    let mut lines = vec![
        tr!(
            lang,
            "raid-summary-lasted",
            duration = format_duration(lasted)
        ),
        match s.ended_by {
            Some(moderator) => tr!(lang, "raid-summary-by", moderator = mention(moderator)),
            None => tr!(lang, "raid-summary-quiet"),
        },
        tr!(
            lang,
            "raid-summary-members",
            members = s.members,
            actioned = s.actioned
        ),
        tr!(lang, "raid-summary-held", held = s.raid.held),
        tr!(lang, "raid-summary-restored", count = s.restored),
    ];
    if !s.refused.is_empty() {
        let names: Vec<String> = s.refused.iter().map(|(x, _)| setting(lang, x)).collect();
        lines.push(tr!(
            lang,
            "raid-summary-refused",
            settings = names.join(", ")
        ));
    }
    lines.join("\n")
}

fn mention(user: UserId) -> String {
    format!("<@{user}>")
}

/// An account's age, rounded to a readable unit.
fn age(ms: i64) -> String {
    let secs = u64::try_from(ms / 1000).unwrap_or(0);
    let rounded = match secs {
        s if s >= 86_400 => s / 86_400 * 86_400,
        s if s >= 3600 => s / 3600 * 3600,
        s if s >= 60 => s / 60 * 60,
        s => s.max(1),
    };
    format_duration(std::time::Duration::from_secs(rounded))
}
