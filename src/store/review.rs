//! The review queue: messages the charter held or flagged, and messages members reported, each
//! waiting for one moderator's decision. There is at most one open item per message (a partial
//! unique index), so later holds, flags and reports merge into it. The first decision wins: it is
//! one `UPDATE .. WHERE status = 'open' RETURNING`, so of two moderators deciding at once exactly
//! one gets the row back; the other reads who decided and when. Items are numbered 1, 2, 3...
//! without gaps: a merge looks the open item up before inserting, so it spends no number (only
//! two processes opening an item for the same message at the same instant can lose one).

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::review::{Decided, Decision, NewReviewItem, ReviewItem, ReviewSource, ReviewStatus};

/// The `source` column read back ([`ReviewSource::as_str`] written).
pub(super) fn source_from_column(text: &str) -> ReviewSource {
    match text {
        "hold" => ReviewSource::Hold,
        "flag" => ReviewSource::Flag,
        _ => ReviewSource::Report,
    }
}

/// The `status` column.
fn status_column(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Open => "open",
        ReviewStatus::Approved => "approved",
        ReviewStatus::Removed => "removed",
        ReviewStatus::Dismissed => "dismissed",
    }
}

pub(super) fn status_from_column(text: &str) -> Result<ReviewStatus, StoreError> {
    Ok(match text {
        "open" => ReviewStatus::Open,
        "approved" => ReviewStatus::Approved,
        "removed" => ReviewStatus::Removed,
        "dismissed" => ReviewStatus::Dismissed,
        other => return Err(corrupt(format!("unknown review status `{other}`"))),
    })
}

/// A row that does not read back as an item.
fn corrupt(what: String) -> StoreError {
    StoreError::Query {
        op: "read review item",
        source: sqlx::Error::Decode(what.into()),
    }
}

fn decision_from_column(text: Option<String>) -> Result<Option<Decision>, StoreError> {
    text.map(|t| Decision::parse(&t).ok_or_else(|| corrupt(format!("unknown decision `{t}`"))))
        .transpose()
}

const ITEM_COLUMNS: &str = "id, guild_id, channel_id, message_id, author_id, author_name, \
    author_avatar, content, attachments, rules, matched, source, status, decision, \
    review_channel_id, review_message_id, created_at_ms, decided_at_ms, decided_by, report_count";

#[derive(FromRow)]
struct ItemRow {
    id: i64,
    guild_id: i64,
    channel_id: i64,
    message_id: i64,
    author_id: i64,
    author_name: String,
    author_avatar: Option<String>,
    content: String,
    attachments: String,
    rules: String,
    matched: String,
    source: String,
    status: String,
    decision: Option<String>,
    review_channel_id: Option<i64>,
    review_message_id: Option<i64>,
    created_at_ms: i64,
    decided_at_ms: Option<i64>,
    decided_by: Option<i64>,
    report_count: i64,
}

impl ItemRow {
    fn into_item(self) -> Result<ReviewItem, StoreError> {
        let r = self;
        Ok(ReviewItem {
            id: r.id,
            guild: GuildId::from_db(r.guild_id),
            channel: ChannelId::from_db(r.channel_id),
            message: MessageId::from_db(r.message_id),
            author: UserId::from_db(r.author_id),
            author_name: r.author_name,
            author_avatar: r.author_avatar,
            content: r.content,
            attachments: r
                .attachments
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(n, u)| (n.to_string(), u.to_string()))
                .collect(),
            rules: r
                .rules
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            matched: r.matched,
            source: source_from_column(&r.source),
            status: status_from_column(&r.status)?,
            decision: decision_from_column(r.decision)?,
            review_channel: r.review_channel_id.map(ChannelId::from_db),
            review_message: r.review_message_id.map(MessageId::from_db),
            created_at_ms: r.created_at_ms,
            decided_at_ms: r.decided_at_ms,
            decided_by: r.decided_by.map(UserId::from_db),
            report_count: r.report_count,
        })
    }
}

impl Store {
    /// Puts a message in the queue, or finds the open item it already has. `true` when created.
    pub async fn open_review_item(
        &self,
        item: &NewReviewItem,
    ) -> Result<(ReviewItem, bool), StoreError> {
        let op = "open review item";
        // Look for the open item first: an insert that conflicts still spends an id (SQLite's
        // AUTOINCREMENT and PostgreSQL's identity both advance), and item numbers must not skip.
        if let Some(open) = self.open_item_of(item.guild, item.message).await? {
            return Ok((open, false));
        }
        let attachments: Vec<String> = item
            .attachments
            .iter()
            .map(|(n, u)| format!("{}\t{}", n.replace(['\t', '\n'], " "), u))
            .collect();
        let created: Option<ItemRow> = sqlx::query_as(&format!(
            "INSERT INTO review_items (guild_id, channel_id, message_id, author_id, author_name, \
             author_avatar, content, attachments, rule, rules, matched, source, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (guild_id, message_id) WHERE status = 'open' DO NOTHING \
             RETURNING {ITEM_COLUMNS}"
        ))
        .bind(item.guild.to_db())
        .bind(item.channel.to_db())
        .bind(item.message.to_db())
        .bind(item.author.to_db())
        .bind(&item.author_name)
        .bind(item.author_avatar.as_deref())
        .bind(&item.content)
        .bind(attachments.join("\n"))
        .bind(item.rules.first().map(String::as_str))
        .bind(item.rules.join(","))
        .bind(&item.matched)
        .bind(item.source().as_str())
        .bind(item.created_at_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        if let Some(row) = created {
            return Ok((row.into_item()?, true));
        }
        // Another process opened it between the look-up and the insert.
        let open = self.open_item_of(item.guild, item.message).await?;
        let open = open.ok_or_else(|| corrupt("the open item vanished".into()))?;
        Ok((open, false))
    }

    /// The open item of `message`, if any.
    async fn open_item_of(
        &self,
        guild: GuildId,
        message: MessageId,
    ) -> Result<Option<ReviewItem>, StoreError> {
        let row: Option<ItemRow> = sqlx::query_as(&format!(
            "SELECT {ITEM_COLUMNS} FROM review_items \
             WHERE guild_id = $1 AND message_id = $2 AND status = 'open'"
        ))
        .bind(guild.to_db())
        .bind(message.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("find open review item"))?;
        row.map(ItemRow::into_item).transpose()
    }

    /// Remembers where an item was posted for moderators.
    pub async fn set_review_message(
        &self,
        id: i64,
        channel: ChannelId,
        message: MessageId,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE review_items SET review_channel_id = $1, review_message_id = $2 WHERE id = $3",
        )
        .bind(channel.to_db())
        .bind(message.to_db())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("set review message"))?;
        Ok(())
    }

    /// Adds `reporter`'s report to item `id`; `false` when they had already reported it (the
    /// count is unchanged).
    pub async fn add_report(
        &self,
        guild: GuildId,
        id: i64,
        reporter: UserId,
        reason: &str,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        let op = "add report";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        let inserted = sqlx::query(
            "INSERT INTO review_reports (item_id, guild_id, reporter_id, reason, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id, reporter_id) DO NOTHING",
        )
        .bind(id)
        .bind(guild.to_db())
        .bind(reporter.to_db())
        .bind(reason)
        .bind(at_ms)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?
        .rows_affected()
            == 1;
        if inserted {
            sqlx::query("UPDATE review_items SET report_count = report_count + 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
        }
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(inserted)
    }

    /// How many reports `reporter` made in `guild` since `since_ms`.
    pub async fn reports_since(
        &self,
        guild: GuildId,
        reporter: UserId,
        since_ms: i64,
    ) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM review_reports \
             WHERE guild_id = $1 AND reporter_id = $2 AND created_at_ms >= $3",
        )
        .bind(guild.to_db())
        .bind(reporter.to_db())
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("count reports"))?;
        Ok(n)
    }

    /// The reasons members gave for reporting item `id`, oldest first (reporters withheld).
    pub async fn report_reasons(&self, id: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT reason FROM review_reports WHERE item_id = $1 ORDER BY created_at_ms, reporter_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list report reasons"))?;
        Ok(rows.into_iter().map(|(r,)| r).collect())
    }

    /// Decides item `id` of `guild` if it is still open. Atomic: of concurrent deciders exactly
    /// one gets [`Decided::Won`].
    pub async fn decide_review(
        &self,
        guild: GuildId,
        id: i64,
        decision: Decision,
        by: UserId,
        at_ms: i64,
    ) -> Result<Decided, StoreError> {
        let op = "decide review item";
        let won: Option<ItemRow> = sqlx::query_as(&format!(
            "UPDATE review_items SET status = $1, decision = $2, decided_by = $3, decided_at_ms = $4 \
             WHERE id = $5 AND guild_id = $6 AND status = 'open' RETURNING {ITEM_COLUMNS}"
        ))
        .bind(status_column(decision.status()))
        .bind(decision.as_str())
        .bind(by.to_db())
        .bind(at_ms)
        .bind(id)
        .bind(guild.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        if let Some(row) = won {
            return Ok(Decided::Won(row.into_item()?));
        }
        Ok(match self.review_item(guild, id).await? {
            Some(item) => Decided::Already(item),
            None => Decided::Missing,
        })
    }

    /// Item `id` of `guild`.
    pub async fn review_item(
        &self,
        guild: GuildId,
        id: i64,
    ) -> Result<Option<ReviewItem>, StoreError> {
        let row: Option<ItemRow> = sqlx::query_as(&format!(
            "SELECT {ITEM_COLUMNS} FROM review_items WHERE id = $1 AND guild_id = $2"
        ))
        .bind(id)
        .bind(guild.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read review item"))?;
        row.map(ItemRow::into_item).transpose()
    }

    /// Open items of `guild`, oldest first, `limit` from `offset`; and how many are open.
    pub async fn open_review_items(
        &self,
        guild: GuildId,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ReviewItem>, i64), StoreError> {
        let op = "list open review items";
        let rows: Vec<ItemRow> = sqlx::query_as(&format!(
            "SELECT {ITEM_COLUMNS} FROM review_items WHERE guild_id = $1 AND status = 'open' \
             ORDER BY created_at_ms, id LIMIT $2 OFFSET $3"
        ))
        .bind(guild.to_db())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM review_items WHERE guild_id = $1 AND status = 'open'",
        )
        .bind(guild.to_db())
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        let items = rows.into_iter().map(ItemRow::into_item);
        Ok((items.collect::<Result<_, _>>()?, total))
    }

    /// Open items of `guild` created before `before_ms` that no reminder mentioned yet; marks
    /// them reminded at `now_ms`.
    pub async fn take_items_to_remind(
        &self,
        guild: GuildId,
        before_ms: i64,
        now_ms: i64,
    ) -> Result<Vec<ReviewItem>, StoreError> {
        let rows: Vec<ItemRow> = sqlx::query_as(&format!(
            "UPDATE review_items SET reminded_at_ms = $1 WHERE guild_id = $2 AND status = 'open' \
             AND reminded_at_ms IS NULL AND created_at_ms < $3 RETURNING {ITEM_COLUMNS}"
        ))
        .bind(now_ms)
        .bind(guild.to_db())
        .bind(before_ms)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("take items to remind"))?;
        let mut items = rows
            .into_iter()
            .map(ItemRow::into_item)
            .collect::<Result<Vec<_>, _>>()?;
        items.sort_by_key(|i| (i.created_at_ms, i.id));
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_sources_and_decisions_round_trip_through_their_columns() {
        for status in [
            ReviewStatus::Open,
            ReviewStatus::Approved,
            ReviewStatus::Removed,
            ReviewStatus::Dismissed,
        ] {
            assert_eq!(status_from_column(status_column(status)).unwrap(), status);
        }
        assert!(status_from_column("closed").is_err());
        for source in [ReviewSource::Hold, ReviewSource::Flag, ReviewSource::Report] {
            assert_eq!(source_from_column(source.as_str()), source);
        }
        for decision in Decision::ALL {
            let column = Some(decision.as_str().to_string());
            assert_eq!(decision_from_column(column).unwrap(), Some(decision));
        }
        assert!(decision_from_column(Some("shrug".into())).is_err());
    }
}
