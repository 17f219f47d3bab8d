//! What the reports read: a period's counts, grouped by the database ([`Store::period_facts`]),
//! with the community's other facts (`stats_community.rs`) and the members who opted out of
//! rankings (`stats_privacy.rs`).

use jiff::tz::TimeZone;

use super::{Store, StoreError};
use crate::ids::{ChannelId, GuildId, UserId};
use crate::stats::facts::{PeriodFacts, ReportFacts};
use crate::stats::period::{Period, Span};

/// One member's activity over a period.
struct MemberActivity {
    user: UserId,
    messages: u64,
    replies: u64,
    /// Bit `d` set: they posted on day `d` of the period.
    days: u64,
}

/// The user id per-member rows are folded into: counted in totals, never a member.
pub const FOLDED_USER: i64 = 0;

/// A count from the database (never negative).
pub(super) fn count(n: i64) -> u64 {
    n.max(0) as u64
}

fn counted(rows: Vec<(String, i64)>) -> Vec<(String, u64)> {
    rows.into_iter().map(|(k, n)| (k, count(n))).collect()
}

impl Store {
    /// The facts of `period` and of the period before, in time zone `tz`, and who opted out of
    /// rankings: everything [`ReportFacts::report`] needs.
    pub async fn report_facts(
        &self,
        guild: GuildId,
        period: Period,
        tz: &TimeZone,
    ) -> Result<ReportFacts, StoreError> {
        let facts = |p: Period| {
            let days: Vec<Span> = p.days(tz).iter().map(|d| d.span).collect();
            (p.span(tz), days, p.previous().span(tz))
        };
        let (span, days, before) = facts(period);
        let current = self.period_facts(guild, span, &days, before, true).await?;
        let (span, days, before) = facts(period.previous());
        let previous = self.period_facts(guild, span, &days, before, false).await?;
        Ok(ReportFacts {
            current,
            previous,
            opted_out: self.ranking_opt_outs(guild).await?,
        })
    }

    pub(super) async fn sum_of(
        &self,
        op: &'static str,
        sql: &str,
        guild: GuildId,
        a: i64,
        b: i64,
    ) -> Result<u64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(guild.to_db())
            .bind(a)
            .bind(b)
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query(op))?;
        Ok(count(n))
    }

    pub(super) async fn keyed(
        &self,
        op: &'static str,
        sql: &str,
        guild: GuildId,
        a: i64,
        b: i64,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(sql)
            .bind(guild.to_db())
            .bind(a)
            .bind(b)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(op))?;
        Ok(counted(rows))
    }

    /// Everything recorded about `guild` during `span` (whose local days are `days`), with the
    /// retention of the newcomers of `before`. With `detail` false, only what the headline
    /// figures need (the period before a report's): no per-day, per-channel or per-member rows.
    pub async fn period_facts(
        &self,
        guild: GuildId,
        span: Span,
        days: &[Span],
        before: Span,
        detail: bool,
    ) -> Result<PeriodFacts, StoreError> {
        let (from, to) = span.hours();
        let g = guild.to_db();
        let hourly: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT hour, CAST(SUM(messages) AS BIGINT) FROM message_activity \
             WHERE guild_id = $1 AND hour >= $2 AND hour < $3 GROUP BY hour ORDER BY hour",
        )
        .bind(g)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("messages per hour"))?;
        let members: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT hour, CAST(joins AS BIGINT), CAST(leaves AS BIGINT) FROM member_activity \
             WHERE guild_id = $1 AND hour >= $2 AND hour < $3 ORDER BY hour",
        )
        .bind(g)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("members per hour"))?;
        let mut facts = PeriodFacts {
            hourly_messages: hourly.into_iter().map(|(h, n)| (h, count(n))).collect(),
            hourly_members: members
                .into_iter()
                .map(|(h, j, l)| (h, count(j), count(l)))
                .collect(),
            retention: self.retention(guild, before, (from, to)).await?,
            first_messages: self.first_messages(guild, span).await?,
            moderation: self.moderation_facts(guild, span).await?,
            engagement: self.engagement_facts(guild, span).await?,
            referrals: self.referral_facts(guild, span).await?,
            ..PeriodFacts::default()
        };
        if !detail {
            facts.active_members = self
                .sum_of(
                    "active members",
                    "SELECT CAST(COUNT(DISTINCT user_id) AS BIGINT) FROM message_activity \
                     WHERE guild_id = $1 AND hour >= $2 AND hour < $3 AND user_id <> 0",
                    guild,
                    from,
                    to,
                )
                .await?;
            return Ok(facts);
        }
        // One pass groups by member: who posted at all, the rankings, and on which days.
        let members = self.members_of(guild, (from, to), days).await?;
        facts.active_members = members.len() as u64;
        facts.daily_active = (0..days.len())
            .map(|d| members.iter().filter(|m| m.days >> d & 1 == 1).count() as u64)
            .collect();
        let mut answerers: Vec<(UserId, u64)> = members
            .iter()
            .filter(|m| m.replies > 0)
            .map(|m| (m.user, m.replies))
            .collect();
        answerers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        facts.answerers = answerers;
        facts.contributors = members.iter().map(|m| (m.user, m.messages)).collect();
        let channels: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT channel_id, CAST(SUM(messages) AS BIGINT) AS n FROM message_activity \
             WHERE guild_id = $1 AND hour >= $2 AND hour < $3 \
             GROUP BY channel_id ORDER BY n DESC, channel_id LIMIT 25",
        )
        .bind(g)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("messages per channel"))?;
        facts.channels = channels
            .into_iter()
            .map(|(c, n)| (ChannelId::from_db(c), count(n)))
            .collect();
        Ok(facts)
    }

    /// Every member who posted during the hours `from..to`, most messages first, with their
    /// answers and the days of `days` they posted on, in one pass: each hour is given its day by
    /// a `CASE` over the days' first hours, and a member's days are the sum of their distinct
    /// day bits.
    async fn members_of(
        &self,
        guild: GuildId,
        (from, to): (i64, i64),
        days: &[Span],
    ) -> Result<Vec<MemberActivity>, StoreError> {
        // $1 guild, $2 and $3 the whole range, then one bound per day after the first.
        let branches: String = (1..days.len())
            .map(|i| format!("WHEN hour < ${} THEN {} ", i + 3, i - 1))
            .collect();
        let day = if days.is_empty() {
            "0".to_string()
        } else {
            format!("CASE {branches}ELSE {} END", days.len() - 1)
        };
        let sql = format!(
            "SELECT user_id, CAST(SUM(messages) AS BIGINT) AS n, CAST(SUM(replies) AS BIGINT), \
                    CAST(SUM(DISTINCT CAST(1 AS BIGINT) << ({day})) AS BIGINT) \
             FROM message_activity WHERE guild_id = $1 AND hour >= $2 AND hour < $3 AND user_id <> 0 \
             GROUP BY user_id ORDER BY n DESC, user_id"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64, i64)>(&sql)
            .bind(guild.to_db())
            .bind(from)
            .bind(to);
        for day in days.iter().skip(1) {
            query = query.bind(day.hours().0);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("activity per member"))?;
        Ok(rows
            .into_iter()
            .map(|(user, messages, replies, days)| MemberActivity {
                user: UserId::from_db(user),
                messages: count(messages),
                replies: count(replies),
                days: count(days),
            })
            .collect())
    }

    /// Newcomers whose first message fell in `span`, and how many of them were answered within
    /// the hour.
    async fn first_messages(&self, guild: GuildId, span: Span) -> Result<(u64, u64), StoreError> {
        let (posted, answered): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN first_answer_at_ms IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM joins WHERE guild_id = $1 AND first_message_at_ms >= $2 AND first_message_at_ms < $3",
        )
        .bind(guild.to_db())
        .bind(span.start_ms)
        .bind(span.end_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("newcomers' first messages"))?;
        Ok((count(posted), count(answered)))
    }

    /// Of the members who joined during `before`, how many, and how many posted during the
    /// hours `now`.
    async fn retention(
        &self,
        guild: GuildId,
        before: Span,
        now: (i64, i64),
    ) -> Result<(u64, u64), StoreError> {
        let newcomers = self
            .sum_of(
                "newcomers",
                "SELECT CAST(COUNT(DISTINCT user_id) AS BIGINT) FROM joins \
                 WHERE guild_id = $1 AND joined_at_ms >= $2 AND joined_at_ms < $3",
                guild,
                before.start_ms,
                before.end_ms,
            )
            .await?;
        let (stayed,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(DISTINCT j.user_id) AS BIGINT) FROM joins j \
             WHERE j.guild_id = $1 AND j.joined_at_ms >= $2 AND j.joined_at_ms < $3 \
             AND EXISTS (SELECT 1 FROM message_activity a WHERE a.guild_id = j.guild_id \
                         AND a.user_id = j.user_id AND a.hour >= $4 AND a.hour < $5)",
        )
        .bind(guild.to_db())
        .bind(before.start_ms)
        .bind(before.end_ms)
        .bind(now.0)
        .bind(now.1)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("retained newcomers"))?;
        Ok((newcomers, count(stayed).min(newcomers)))
    }
}
