//! The review queue: messages the charter held or flagged, and messages members reported, each
//! waiting for one moderator's decision. There is at most one open item per message (a partial
//! unique index), so later holds, flags and reports merge into it. The first decision wins: it is
//! one `UPDATE .. WHERE status = 'open' RETURNING`, so of two moderators deciding at once exactly
//! one gets the row back; the other reads who decided and when.

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::ids::{ChannelId, GuildId, MessageId, UserId};

/// Why a message is in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewSource {
    /// The charter removed it and kept it for review.
    Hold,
    /// The charter left it in place and asked for a look.
    Flag,
    /// Members reported it.
    Report,
}

impl ReviewSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSource::Hold => "hold",
            ReviewSource::Flag => "flag",
            ReviewSource::Report => "report",
        }
    }

    fn parse(text: &str) -> ReviewSource {
        match text {
            "hold" => ReviewSource::Hold,
            "flag" => ReviewSource::Flag,
            _ => ReviewSource::Report,
        }
    }
}

/// What a moderator decided about an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The message was fine: a held one is restored, a flagged or reported one stays.
    Approve,
    /// The message breaks the charter: removed.
    Remove,
    /// Removed, and the author warned.
    Warn,
    /// Removed, and the author timed out.
    Timeout,
    /// Removed, and the author banned.
    Ban,
    /// Closed without a verdict on the message.
    Dismiss,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Remove => "remove",
            Decision::Warn => "warn",
            Decision::Timeout => "timeout",
            Decision::Ban => "ban",
            Decision::Dismiss => "dismiss",
        }
    }

    /// The decision a custom-id word names.
    pub fn parse(text: &str) -> Option<Decision> {
        Some(match text {
            "approve" => Decision::Approve,
            "remove" => Decision::Remove,
            "warn" => Decision::Warn,
            "timeout" => Decision::Timeout,
            "ban" => Decision::Ban,
            "dismiss" => Decision::Dismiss,
            _ => return None,
        })
    }

    /// The item's status after this decision: `approved`, `removed` or `dismissed`.
    pub fn status(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Dismiss => "dismissed",
            _ => "removed",
        }
    }
}

/// A message entering the queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewReviewItem {
    pub guild: GuildId,
    pub channel: ChannelId,
    pub message: MessageId,
    pub author: UserId,
    pub author_name: String,
    pub author_avatar: Option<String>,
    pub content: String,
    /// Attachments as (file name, URL).
    pub attachments: Vec<(String, String)>,
    /// Every rule that matched, the deciding one first; empty for a report.
    pub rules: Vec<String>,
    /// The matched text, for moderators.
    pub matched: String,
    /// `None` means [`ReviewSource::Report`].
    pub held: Option<bool>,
    pub created_at_ms: i64,
}

/// An item of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewItem {
    pub id: i64,
    pub guild: GuildId,
    pub channel: ChannelId,
    pub message: MessageId,
    pub author: UserId,
    pub author_name: String,
    pub author_avatar: Option<String>,
    pub content: String,
    pub attachments: Vec<(String, String)>,
    pub rules: Vec<String>,
    pub matched: String,
    pub source: ReviewSource,
    /// `open`, `approved`, `removed` or `dismissed`.
    pub status: String,
    pub decision: Option<String>,
    pub review_channel: Option<ChannelId>,
    pub review_message: Option<MessageId>,
    pub created_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<UserId>,
    pub report_count: i64,
}

impl ReviewItem {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
}

/// The outcome of [`Store::decide_review`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decided {
    /// This decision was the first: the item as decided.
    Won(ReviewItem),
    /// Someone decided first: the item as they left it.
    Already(ReviewItem),
    /// No such item in this guild.
    Missing,
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

impl From<ItemRow> for ReviewItem {
    fn from(r: ItemRow) -> ReviewItem {
        ReviewItem {
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
            source: ReviewSource::parse(&r.source),
            status: r.status,
            decision: r.decision,
            review_channel: r.review_channel_id.map(ChannelId::from_db),
            review_message: r.review_message_id.map(MessageId::from_db),
            created_at_ms: r.created_at_ms,
            decided_at_ms: r.decided_at_ms,
            decided_by: r.decided_by.map(UserId::from_db),
            report_count: r.report_count,
        }
    }
}

impl Store {
    /// Puts a message in the queue, or finds the open item it already has. `true` when created.
    pub async fn open_review_item(
        &self,
        item: &NewReviewItem,
    ) -> Result<(ReviewItem, bool), StoreError> {
        let op = "open review item";
        let source = match item.held {
            Some(true) => ReviewSource::Hold,
            Some(false) => ReviewSource::Flag,
            None => ReviewSource::Report,
        };
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
        .bind(source.as_str())
        .bind(item.created_at_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        if let Some(row) = created {
            return Ok((row.into(), true));
        }
        let row: ItemRow = sqlx::query_as(&format!(
            "SELECT {ITEM_COLUMNS} FROM review_items \
             WHERE guild_id = $1 AND message_id = $2 AND status = 'open'"
        ))
        .bind(item.guild.to_db())
        .bind(item.message.to_db())
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        Ok((row.into(), false))
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
        .bind(decision.status())
        .bind(decision.as_str())
        .bind(by.to_db())
        .bind(at_ms)
        .bind(id)
        .bind(guild.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        if let Some(row) = won {
            return Ok(Decided::Won(row.into()));
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
        Ok(row.map(Into::into))
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
        Ok((rows.into_iter().map(Into::into).collect(), total))
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
        let mut items: Vec<ReviewItem> = rows.into_iter().map(Into::into).collect();
        items.sort_by_key(|i| (i.created_at_ms, i.id));
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip_and_map_to_statuses() {
        for d in [
            Decision::Approve,
            Decision::Remove,
            Decision::Warn,
            Decision::Timeout,
            Decision::Ban,
            Decision::Dismiss,
        ] {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
        }
        assert_eq!(Decision::Approve.status(), "approved");
        assert_eq!(Decision::Ban.status(), "removed");
        assert_eq!(Decision::parse("nope"), None);
    }
}
