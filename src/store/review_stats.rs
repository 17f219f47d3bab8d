//! What the review queue teaches: per charter rule, how many items moderators approved (false
//! positives) or removed, and the queue's health (open items, the oldest one, the median time to
//! a decision). Read by `/review stats` and `steward stats rules`.

use super::review::{source_from_column, status_from_column};
use super::{Store, StoreError};
use crate::ids::GuildId;
use crate::review::{QueueHealth, ReviewSource, ReviewStatus, RuleFeedback};

impl Store {
    /// Per rule (member reports as `report`): items and decisions, by rule id.
    pub async fn rule_feedback(&self, guild: GuildId) -> Result<Vec<RuleFeedback>, StoreError> {
        let rows: Vec<(Option<String>, String, String, i64)> = sqlx::query_as(
            "SELECT rule, source, status, COUNT(*) FROM review_items WHERE guild_id = $1 \
             GROUP BY rule, source, status",
        )
        .bind(guild.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("rule feedback"))?;
        let mut out: Vec<RuleFeedback> = Vec::new();
        for (rule, source, status, n) in rows {
            let rule = rule.unwrap_or_else(|| "report".to_string());
            let at = match out.iter().position(|f| f.rule == rule) {
                Some(at) => at,
                None => {
                    out.push(RuleFeedback {
                        rule,
                        ..RuleFeedback::default()
                    });
                    out.len() - 1
                }
            };
            let f = &mut out[at];
            match source_from_column(&source) {
                ReviewSource::Hold => f.held += n,
                ReviewSource::Flag => f.flagged += n,
                ReviewSource::Report => f.reported += n,
            }
            match status_from_column(&status)? {
                ReviewStatus::Approved => f.approved += n,
                ReviewStatus::Removed => f.removed += n,
                ReviewStatus::Dismissed => f.dismissed += n,
                ReviewStatus::Open => f.open += n,
            }
        }
        out.sort_by(|a, b| a.rule.cmp(&b.rule));
        Ok(out)
    }

    /// Open items in every server, and when the oldest was queued: the operator's view.
    pub async fn open_review_totals(&self) -> Result<(i64, Option<i64>), StoreError> {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at_ms) FROM review_items WHERE status = 'open'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("open review totals"))
    }

    /// Open items, the oldest's age, and the median time to a decision in `guild`.
    pub async fn queue_health(&self, guild: GuildId) -> Result<QueueHealth, StoreError> {
        let op = "queue health";
        let (open, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at_ms) FROM review_items \
             WHERE guild_id = $1 AND status = 'open'",
        )
        .bind(guild.to_db())
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        let waits: Vec<(i64,)> = sqlx::query_as(
            "SELECT decided_at_ms - created_at_ms AS waited FROM review_items \
             WHERE guild_id = $1 AND decided_at_ms IS NOT NULL ORDER BY waited",
        )
        .bind(guild.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        Ok(QueueHealth {
            open,
            oldest_open_at_ms: oldest,
            median_decision_ms: median(&waits.into_iter().map(|(w,)| w).collect::<Vec<_>>()),
        })
    }
}

/// The median of sorted values (the mean of the middle two for an even count).
fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5]), Some(5));
        assert_eq!(median(&[1, 3, 10]), Some(3));
        assert_eq!(median(&[1, 3, 5, 100]), Some(4));
    }
}
