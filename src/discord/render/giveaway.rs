//! A giveaway's public message (embed and Enter button), the announcement of a draw with its
//! proof, a winner's DM, and the entrant list attached to the announcement: in the server's
//! language, within Discord's limits.

use serenity::all::{ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter};

use super::{EMBED_FIELD_MAX, EMBED_TITLE_MAX, MESSAGE_CONTENT_MAX, fit};
use crate::community::giveaway::DrawKey;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::store::{Giveaway, GiveawayStatus};
use crate::tr;

/// The custom id prefix of a giveaway's buttons (`giveaway:ID:enter`).
pub const GIVEAWAY_PREFIX: &str = "giveaway:";

/// The custom id of giveaway `id`'s Enter button.
pub fn enter_id(id: i64) -> String {
    format!("{GIVEAWAY_PREFIX}{id}:enter")
}

/// The custom id of giveaway `id`'s Claim button (under its announcements).
pub fn claim_id(id: i64) -> String {
    format!("{GIVEAWAY_PREFIX}claim:{id}")
}

/// The Claim button of giveaway `id`'s announcement.
pub fn claim_button(id: i64, lang: Lang) -> Vec<CreateActionRow> {
    vec![CreateActionRow::Buttons(vec![
        CreateButton::new(claim_id(id))
            .style(ButtonStyle::Success)
            .label(tr!(lang, "giveaway-claim-button")),
    ])]
}

/// Mentions of `users`, comma separated.
pub fn mentions(users: &[UserId]) -> String {
    users
        .iter()
        .map(|u| format!("<@{u}>"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The requirements, one per line; empty when there are none.
fn requirements(g: &Giveaway, lang: Lang) -> String {
    let r = &g.requirements;
    let mut lines = Vec::new();
    if let Some(role) = r.role {
        lines.push(tr!(lang, "giveaway-req-role", role = format!("<@&{role}>")));
    }
    if let Some(days) = r.account_days {
        lines.push(tr!(lang, "giveaway-req-account-days", days = days));
    }
    if let Some(days) = r.member_days {
        lines.push(tr!(lang, "giveaway-req-member-days", days = days));
    }
    if let Some(count) = r.messages_30d {
        lines.push(tr!(lang, "giveaway-req-messages", count = count));
    }
    if r.clean_record {
        lines.push(tr!(lang, "giveaway-req-clean"));
    }
    lines
        .iter()
        .map(|l| format!("• {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The giveaway message: what is won, when it ends, how many entered, the requirements and the
/// commitment; once ended, the winners and the revealed seed. Open, it has the Enter button.
pub fn message(
    g: &Giveaway,
    entrants: u64,
    winners: &[UserId],
    lang: Lang,
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let title = tr!(lang, "giveaway-title", prize = g.prize.as_str());
    let when = |ms: i64| format!("<t:{}:R>", ms.div_euclid(1000));
    let description = match g.status {
        GiveawayStatus::Open => tr!(lang, "giveaway-ends", when = when(g.ends_at_ms)),
        GiveawayStatus::Ended => tr!(
            lang,
            "giveaway-ended-at",
            when = when(g.ended_at_ms.unwrap_or(g.ends_at_ms))
        ),
        GiveawayStatus::Cancelled => tr!(lang, "giveaway-cancelled"),
    };
    let winners_value = if g.status == GiveawayStatus::Ended && !winners.is_empty() {
        mentions(winners)
    } else {
        g.winners.to_string()
    };
    let mut embed = CreateEmbed::new()
        .title(fit(&title, EMBED_TITLE_MAX))
        .description(description)
        .field(
            tr!(lang, "giveaway-field-winners"),
            fit(&winners_value, EMBED_FIELD_MAX),
            true,
        )
        .field(
            tr!(lang, "giveaway-field-entrants"),
            entrants.to_string(),
            true,
        )
        .field(
            tr!(lang, "giveaway-field-host"),
            format!("<@{}>", g.host),
            true,
        );
    let reqs = requirements(g, lang);
    if !reqs.is_empty() {
        embed = embed.field(
            tr!(lang, "giveaway-field-requirements"),
            fit(&reqs, EMBED_FIELD_MAX),
            false,
        );
    }
    embed = embed.field(
        tr!(lang, "giveaway-field-commitment"),
        format!("`{}`", g.commitment),
        false,
    );
    if g.status == GiveawayStatus::Ended {
        embed = embed.field(
            tr!(lang, "giveaway-field-seed"),
            format!("`{}`", hex::encode(g.seed)),
            false,
        );
    }
    embed = embed.footer(CreateEmbedFooter::new(tr!(
        lang,
        "giveaway-footer",
        id = g.id
    )));
    let components = if g.status == GiveawayStatus::Open {
        vec![CreateActionRow::Buttons(vec![
            CreateButton::new(enter_id(g.id))
                .style(ButtonStyle::Primary)
                .label(tr!(lang, "giveaway-enter-button")),
        ])]
    } else {
        Vec::new()
    };
    (embed, components)
}

/// The announcement of a draw of `k` winners for `key.round` (0: the end; more: a reroll),
/// with what anyone needs to check it.
pub fn announcement(
    g: &Giveaway,
    key: &DrawKey,
    k: usize,
    entrants: usize,
    winners: &[UserId],
    lang: Lang,
) -> String {
    let prize = g.prize.as_str();
    let head = if winners.is_empty() {
        tr!(lang, "giveaway-announce-none", id = g.id, prize = prize)
    } else if key.round == 0 {
        tr!(
            lang,
            "giveaway-announce",
            id = g.id,
            prize = prize,
            winners = mentions(winners)
        )
    } else {
        tr!(
            lang,
            "giveaway-reroll-announce",
            id = g.id,
            prize = prize,
            round = key.round,
            winners = mentions(winners)
        )
    };
    let proof = tr!(
        lang,
        "giveaway-proof",
        seed = hex::encode(key.seed),
        commitment = g.commitment.as_str(),
        count = entrants,
        round = key.round,
        id = g.id,
        winners = k
    );
    fit(&format!("{head}\n{proof}"), MESSAGE_CONTENT_MAX)
}

/// The DM to a winner; with a claim deadline (`claim_by_ms`), when they must claim by.
pub fn winner_dm(g: &Giveaway, guild_name: &str, claim_by_ms: Option<i64>, lang: Lang) -> String {
    let won = tr!(
        lang,
        "giveaway-dm-winner",
        id = g.id,
        guild = guild_name,
        prize = g.prize.as_str()
    );
    match claim_by_ms {
        Some(by) => {
            let when = format!("<t:{}:R>", by.div_euclid(1000));
            format!("{won} {}", tr!(lang, "giveaway-dm-claim", when = when))
        }
        None => won,
    }
}

/// The entrant list as attached (and as `steward verify-draw` reads it): one id per line.
pub fn entrants_file(entrants: &[UserId]) -> Vec<u8> {
    let mut out = String::with_capacity(entrants.len() * 20);
    for e in entrants {
        out.push_str(&e.to_string());
        out.push('\n');
    }
    out.into_bytes()
}

/// The attachment's file name.
pub fn entrants_file_name(id: i64) -> String {
    format!("giveaway-{id}-entrants.txt")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::giveaway::commitment;
    use crate::community::giveaway_checks::Requirements;
    use crate::ids::{ChannelId, GuildId, RoleId};

    fn giveaway(status: GiveawayStatus) -> Giveaway {
        Giveaway {
            id: 3,
            guild: GuildId(1),
            channel: ChannelId(2),
            message: None,
            host: UserId(4),
            prize: "Nitro".into(),
            winners: 2,
            requirements: Requirements {
                role: Some(RoleId(9)),
                account_days: Some(30),
                ..Requirements::default()
            },
            seed: [0xab; 32],
            commitment: commitment(&[0xab; 32]),
            status,
            round: 0,
            created_at_ms: 0,
            ends_at_ms: 60_000,
            ended_at_ms: None,
            announced_at_ms: None,
            claim_secs: None,
        }
    }

    #[test]
    fn an_open_giveaway_shows_its_commitment_and_button_never_its_seed() {
        let (embed, components) = message(&giveaway(GiveawayStatus::Open), 7, &[], Lang::EN);
        let json = serde_json::to_string(&embed).unwrap();
        assert!(json.contains(&commitment(&[0xab; 32])), "{json}");
        assert!(!json.contains(&hex::encode([0xab; 32])), "{json}");
        assert!(
            json.contains("• the role <@&9>\\n• an account at least 30 days old"),
            "{json}"
        );
        assert!(json.contains("\"value\":\"7\""), "{json}");
        let buttons = serde_json::to_string(&components).unwrap();
        assert!(buttons.contains("giveaway:3:enter"), "{buttons}");
        assert!(buttons.contains("\"label\":\"Enter\""), "{buttons}");

        let (ended, none) = message(&giveaway(GiveawayStatus::Ended), 7, &[UserId(5)], Lang::FR);
        let json = serde_json::to_string(&ended).unwrap();
        assert!(json.contains(&hex::encode([0xab; 32])), "{json}");
        assert!(json.contains("<@5>"), "{json}");
        assert!(none.is_empty());
    }

    #[test]
    fn the_announcement_fits_a_message_and_the_list_is_one_id_per_line() {
        let mut g = giveaway(GiveawayStatus::Ended);
        g.prize = "é".repeat(PRIZE_LIMIT);
        let key = DrawKey {
            seed: g.seed,
            giveaway: 3,
            round: 1,
        };
        let winners: Vec<UserId> = (0..50)
            .map(|n| UserId(1_100_000_000_000_000_000 + n))
            .collect();
        let text = announcement(&g, &key, 50, 100, &winners, Lang::EN);
        assert!(text.chars().count() <= MESSAGE_CONTENT_MAX);
        assert!(text.starts_with("🎲 Giveaway #3"), "{text}");
        assert_eq!(entrants_file(&[UserId(1), UserId(22)]), b"1\n22\n");
        assert_eq!(entrants_file_name(3), "giveaway-3-entrants.txt");
    }

    const PRIZE_LIMIT: usize = crate::community::giveaway_checks::PRIZE_MAX;
}
