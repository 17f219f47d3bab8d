//! Polls: the poll, its options, its voters. Rows and SQL only; what a valid poll or vote is
//! lives in [`crate::community::poll`].
//!
//! **One vote per member** is the primary key of `poll_voters` (`poll_id, user_id`): a vote
//! inserts the member's row with `ON CONFLICT DO NOTHING`, so of two presses at once (two
//! processes, or a double click) one inserts and the other finds the row.
//!
//! **Public polls** keep the member's choices in that row; changing a vote rewrites it, and the
//! tally counts the rows, so a changed vote counts once by construction.
//!
//! **Anonymous polls** never store who voted for what: the voter row has no choices (it only
//! says the member voted, which one vote per member needs), and the votes are per-option
//! counters in `poll_options`, bumped in the same transaction as the insert. A changed vote would
//! have to take one off the old options, which nothing records, so in an anonymous poll a vote
//! is final ([`VoteOutcome::AlreadyVoted`]); the member is told so before voting.
//!
//! **Native polls** (Discord's own) have no voter rows: Discord counts, and their final counts
//! are written into the same per-option counters ([`Store::record_native_counts`]).
//!
//! **Closing** is `UPDATE .. WHERE status = 'open' RETURNING`: of the scheduler's job and a
//! moderator's `/poll close` (or two processes), exactly one gets the poll back and posts the
//! results. Votes are recorded in [`super::poll_votes`].

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::community::poll::{Ballot, PollFacts, PollSpec};
use crate::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};

/// A poll to store.
#[derive(Clone, Debug)]
pub struct NewPoll<'a> {
    /// The guild.
    pub guild: GuildId,
    /// The channel it is posted in.
    pub channel: ChannelId,
    /// The moderator who created it.
    pub author: UserId,
    /// What was validated.
    pub spec: &'a PollSpec,
    /// When it was created, in ms since the epoch.
    pub created_at_ms: i64,
}

/// A poll as stored, with its options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRow {
    /// The poll's id (global, shown to moderators).
    pub id: i64,
    /// The guild.
    pub guild: GuildId,
    /// Where it is posted.
    pub channel: ChannelId,
    /// Its message, once posted.
    pub message: Option<MessageId>,
    /// Who created it.
    pub author: UserId,
    /// The question.
    pub question: String,
    /// The options, in order.
    pub options: Vec<String>,
    /// Whether several options may be chosen.
    pub multiple: bool,
    /// Whether who voted for what is never stored.
    pub anonymous: bool,
    /// Whether the bars show while it is open.
    pub live: bool,
    /// The role a voter must have.
    pub role: Option<RoleId>,
    /// Whether it is a Discord native poll.
    pub native: bool,
    /// Whether it is still open.
    pub open: bool,
    /// When it was created.
    pub created_at_ms: i64,
    /// When it closes (or was due to).
    pub closes_at_ms: i64,
    /// When it was closed.
    pub closed_at_ms: Option<i64>,
}

impl PollRow {
    /// What a vote is checked against.
    pub fn facts(&self) -> PollFacts {
        PollFacts {
            options: self.options.len(),
            multiple: self.multiple,
            open: self.open,
            closes_at_ms: self.closes_at_ms,
            role: self.role,
        }
    }
}

/// What became of a vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteOutcome {
    /// The member's first vote.
    Recorded,
    /// A public poll's vote replaced the member's earlier one.
    Changed,
    /// An anonymous poll where the member already voted: nothing changed.
    AlreadyVoted,
    /// The poll is closed: nothing recorded.
    Closed,
}

/// A public poll's vote, for the CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteRow {
    /// The voter.
    pub user: UserId,
    /// What they chose.
    pub ballot: Ballot,
    /// When they last voted.
    pub voted_at_ms: i64,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    guild_id: i64,
    channel_id: i64,
    message_id: Option<i64>,
    author_id: i64,
    question: String,
    multiple: i64,
    anonymous: i64,
    live: i64,
    role_id: Option<i64>,
    native: i64,
    status: String,
    created_at_ms: i64,
    closes_at_ms: i64,
    closed_at_ms: Option<i64>,
}

const COLUMNS: &str = "id, guild_id, channel_id, message_id, author_id, question, multiple, \
                       anonymous, live, role_id, native, status, created_at_ms, closes_at_ms, closed_at_ms";

impl Row {
    fn with_options(self, options: Vec<String>) -> PollRow {
        PollRow {
            id: self.id,
            guild: GuildId::from_db(self.guild_id),
            channel: ChannelId::from_db(self.channel_id),
            message: self.message_id.map(MessageId::from_db),
            author: UserId::from_db(self.author_id),
            question: self.question,
            options,
            multiple: self.multiple != 0,
            anonymous: self.anonymous != 0,
            live: self.live != 0,
            role: self.role_id.map(RoleId::from_db),
            native: self.native != 0,
            open: self.status == "open",
            created_at_ms: self.created_at_ms,
            closes_at_ms: self.closes_at_ms,
            closed_at_ms: self.closed_at_ms,
        }
    }
}

impl Store {
    /// Stores a poll and its options in one transaction; returns it.
    pub async fn create_poll(&self, new: &NewPoll<'_>) -> Result<PollRow, StoreError> {
        let op = "create poll";
        let spec = new.spec;
        let closes_at_ms = new
            .created_at_ms
            .saturating_add(i64::try_from(spec.duration.as_millis()).unwrap_or(i64::MAX));
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        let row: Row = sqlx::query_as(&format!(
            "INSERT INTO polls (guild_id, channel_id, author_id, question, multiple, anonymous, \
             live, role_id, native, created_at_ms, closes_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
        ))
        .bind(new.guild.to_db())
        .bind(new.channel.to_db())
        .bind(new.author.to_db())
        .bind(&spec.question)
        .bind(i64::from(spec.multiple))
        .bind(i64::from(spec.anonymous))
        .bind(i64::from(spec.live))
        .bind(spec.role.map(RoleId::to_db))
        .bind(i64::from(spec.native))
        .bind(new.created_at_ms)
        .bind(closes_at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        for (position, label) in spec.options.iter().enumerate() {
            sqlx::query("INSERT INTO poll_options (poll_id, position, label) VALUES ($1, $2, $3)")
                .bind(row.id)
                .bind(position as i64)
                .bind(label)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
        }
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(row.with_options(spec.options.clone()))
    }

    /// Remembers the message a poll was posted as.
    pub async fn set_poll_message(&self, poll: i64, message: MessageId) -> Result<(), StoreError> {
        sqlx::query("UPDATE polls SET message_id = $1 WHERE id = $2")
            .bind(message.to_db())
            .bind(poll)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("set poll message"))?;
        Ok(())
    }

    async fn options_of(&self, row: Row) -> Result<PollRow, StoreError> {
        let labels: Vec<(String,)> =
            sqlx::query_as("SELECT label FROM poll_options WHERE poll_id = $1 ORDER BY position")
                .bind(row.id)
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("read poll options"))?;
        Ok(row.with_options(labels.into_iter().map(|(l,)| l).collect()))
    }

    /// Poll `id` of `guild`, if there is one.
    pub async fn poll(&self, guild: GuildId, id: i64) -> Result<Option<PollRow>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM polls WHERE guild_id = $1 AND id = $2"
        ))
        .bind(guild.to_db())
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read poll"))?;
        match row {
            Some(row) => Ok(Some(self.options_of(row).await?)),
            None => Ok(None),
        }
    }

    /// Closes poll `id` of `guild` at `now_ms` if it is open; returns it only to the one caller
    /// that closed it.
    pub async fn close_poll(
        &self,
        guild: GuildId,
        id: i64,
        now_ms: i64,
    ) -> Result<Option<PollRow>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "UPDATE polls SET status = 'closed', closed_at_ms = $3 \
             WHERE guild_id = $1 AND id = $2 AND status = 'open' RETURNING {COLUMNS}"
        ))
        .bind(guild.to_db())
        .bind(id)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("close poll"))?;
        match row {
            Some(row) => Ok(Some(self.options_of(row).await?)),
            None => Ok(None),
        }
    }
}
