//! What a period's report reads of the community's life beside messages: moderation (cases by
//! kind and rule, review work and decisions), polls and giveaways, and where newcomers came from.

use super::stats::count;
use super::{Store, StoreError};
use crate::ids::{GuildId, UserId};
use crate::stats::facts::{EngagementFacts, ModerationFacts, ReferralFacts};
use crate::stats::period::Span;

/// How many referrers a period's facts rank at most.
const RANKING_ROWS: i64 = 50;

impl Store {
    pub(super) async fn moderation_facts(
        &self,
        guild: GuildId,
        span: Span,
    ) -> Result<ModerationFacts, StoreError> {
        let (a, b) = (span.start_ms, span.end_ms);
        let cases_by_kind = self
            .keyed(
                "cases by kind",
                "SELECT kind, CAST(COUNT(*) AS BIGINT) AS n FROM cases WHERE guild_id = $1 \
                 AND created_at_ms >= $2 AND created_at_ms < $3 GROUP BY kind ORDER BY n DESC, kind",
                guild,
                a,
                b,
            )
            .await?;
        let cases_by_rule = self
            .keyed(
                "cases by rule",
                "SELECT rule, CAST(COUNT(*) AS BIGINT) AS n FROM cases WHERE guild_id = $1 \
                 AND created_at_ms >= $2 AND created_at_ms < $3 AND rule IS NOT NULL \
                 GROUP BY rule ORDER BY n DESC, rule",
                guild,
                a,
                b,
            )
            .await?;
        let review_items = self
            .sum_of(
                "review items",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM review_items WHERE guild_id = $1 \
                 AND created_at_ms >= $2 AND created_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        let reports = self
            .sum_of(
                "member reports",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM review_reports WHERE guild_id = $1 \
                 AND created_at_ms >= $2 AND created_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        let times: Vec<(i64,)> = sqlx::query_as(
            "SELECT decided_at_ms - created_at_ms FROM review_items WHERE guild_id = $1 \
             AND decided_at_ms >= $2 AND decided_at_ms < $3",
        )
        .bind(guild.to_db())
        .bind(a)
        .bind(b)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("review decision times"))?;
        let decisions: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT rule, CAST(COUNT(*) AS BIGINT), \
                    CAST(SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END) AS BIGINT) \
             FROM review_items WHERE guild_id = $1 AND decided_at_ms >= $2 AND decided_at_ms < $3 \
             AND rule IS NOT NULL AND source <> 'report' GROUP BY rule ORDER BY rule",
        )
        .bind(guild.to_db())
        .bind(a)
        .bind(b)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("review decisions per rule"))?;
        Ok(ModerationFacts {
            cases_by_kind,
            cases_by_rule,
            review_items,
            reports,
            decision_times_ms: times.into_iter().map(|(t,)| t.max(0)).collect(),
            rule_decisions: decisions
                .into_iter()
                .map(|(r, d, ok)| (r, count(d), count(ok)))
                .collect(),
        })
    }

    pub(super) async fn engagement_facts(
        &self,
        guild: GuildId,
        span: Span,
    ) -> Result<EngagementFacts, StoreError> {
        let (a, b) = (span.start_ms, span.end_ms);
        let polls = self
            .sum_of(
                "polls",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM polls WHERE guild_id = $1 \
                 AND created_at_ms >= $2 AND created_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        let voters = self
            .sum_of(
                "poll voters",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM poll_voters v JOIN polls p ON p.id = v.poll_id \
                 WHERE p.guild_id = $1 AND p.created_at_ms >= $2 AND p.created_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        let native = self
            .sum_of(
                "native poll votes",
                "SELECT CAST(COALESCE(SUM(o.votes), 0) AS BIGINT) FROM poll_options o \
                 JOIN polls p ON p.id = o.poll_id WHERE p.guild_id = $1 AND p.native = 1 \
                 AND p.created_at_ms >= $2 AND p.created_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        let giveaways = self
            .sum_of(
                "giveaways",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM giveaways WHERE guild_id = $1 \
                 AND created_at_ms >= $2 AND created_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        let giveaway_entries = self
            .sum_of(
                "giveaway entries",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM giveaway_entries e \
                 JOIN giveaways g ON g.id = e.giveaway_id WHERE g.guild_id = $1 \
                 AND g.created_at_ms >= $2 AND g.created_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        Ok(EngagementFacts {
            polls,
            poll_votes: voters + native,
            giveaways,
            giveaway_entries,
        })
    }

    pub(super) async fn referral_facts(
        &self,
        guild: GuildId,
        span: Span,
    ) -> Result<ReferralFacts, StoreError> {
        let (a, b) = (span.start_ms, span.end_ms);
        let joins_by_source = self
            .keyed(
                "joins by source",
                "SELECT confidence, CAST(COUNT(*) AS BIGINT) AS n FROM joins WHERE guild_id = $1 \
                 AND joined_at_ms >= $2 AND joined_at_ms < $3 GROUP BY confidence ORDER BY n DESC, confidence",
                guild,
                a,
                b,
            )
            .await?;
        let referrers: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT inviter_id, CAST(COUNT(*) AS BIGINT) AS n FROM joins WHERE guild_id = $1 \
             AND referral = 'qualified' AND settled_at_ms >= $2 AND settled_at_ms < $3 \
             AND inviter_id IS NOT NULL \
             AND inviter_id NOT IN (SELECT user_id FROM stats_optouts WHERE guild_id = $1) \
             GROUP BY inviter_id ORDER BY n DESC, inviter_id LIMIT $4",
        )
        .bind(guild.to_db())
        .bind(a)
        .bind(b)
        .bind(RANKING_ROWS)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("referrers"))?;
        let qualified = self
            .sum_of(
                "qualified referrals",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM joins WHERE guild_id = $1 \
                 AND referral = 'qualified' AND settled_at_ms >= $2 AND settled_at_ms < $3",
                guild,
                a,
                b,
            )
            .await?;
        Ok(ReferralFacts {
            joins_by_source,
            qualified,
            referrers: referrers
                .into_iter()
                .map(|(u, n)| (UserId::from_db(u), count(n)))
                .collect(),
        })
    }
}
