//! Giveaways, their entries and their winners. Rows and SQL only; the draw itself is
//! [`crate::community::giveaway::draw`], passed in by the caller.
//!
//! **One entry per member**: the primary key `(giveaway_id, user_id)` of `giveaway_entries`;
//! [`Store::enter_giveaway`] inserts only while the giveaway is open, and a second press of the
//! same member changes nothing. **Ending once**: [`Store::end_giveaway`] is one transaction that
//! starts with `UPDATE .. WHERE status = 'open' RETURNING`, so of two processes (or a job and
//! `/giveaway end`) exactly one gets the row, reads the entrants and records the winners; the
//! other gets `None`. A reroll bumps the round the same way, on an ended giveaway only.

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::community::giveaway::{Seed, parse_seed};
use crate::community::giveaway_checks::Requirements;
use crate::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};

/// Where a giveaway stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveawayStatus {
    /// Entries are open.
    Open,
    /// Drawn: winners are recorded.
    Ended,
    /// Stopped without a draw.
    Cancelled,
}

impl GiveawayStatus {
    pub(super) fn column(self) -> &'static str {
        match self {
            GiveawayStatus::Open => "open",
            GiveawayStatus::Ended => "ended",
            GiveawayStatus::Cancelled => "cancelled",
        }
    }
}

/// A giveaway to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGiveaway {
    pub guild: GuildId,
    pub channel: ChannelId,
    pub host: UserId,
    pub prize: String,
    pub winners: u32,
    pub requirements: Requirements,
    /// The secret seed, kept until the end reveals it.
    pub seed: Seed,
    /// Its SHA-256, published at the start.
    pub commitment: String,
    pub created_at_ms: i64,
    pub ends_at_ms: i64,
    /// How long a winner has to claim, in seconds (`None`: no claim needed).
    pub claim_secs: Option<u32>,
}

/// A recorded giveaway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Giveaway {
    /// Its id, unique across servers (it keys the draw).
    pub id: i64,
    pub guild: GuildId,
    pub channel: ChannelId,
    /// The giveaway message, once posted.
    pub message: Option<MessageId>,
    pub host: UserId,
    pub prize: String,
    /// How many winners the first draw gives.
    pub winners: u32,
    pub requirements: Requirements,
    /// Secret while open: never shown before the end.
    pub seed: Seed,
    pub commitment: String,
    pub status: GiveawayStatus,
    /// The round of the latest draw (0: the first; each reroll one more).
    pub round: u32,
    pub created_at_ms: i64,
    pub ends_at_ms: i64,
    pub ended_at_ms: Option<i64>,
    pub announced_at_ms: Option<i64>,
    /// How long a winner has to claim, in seconds (`None`: no claim needed).
    pub claim_secs: Option<u32>,
}

/// What a press on "Claim" did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Recorded.
    Claimed,
    /// Claimed before: nothing changed.
    Already,
    /// Not a winner of this giveaway: nothing changed.
    NotWinner,
    /// The deadline has passed (or the place was forfeited): nothing changed.
    TooLate,
}

/// What a claim deadline did: the winners of the round who had not claimed forfeited, and
/// `winners` were drawn in their place for `round` (empty: nobody was left to draw).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forfeit {
    pub giveaway: Box<Giveaway>,
    pub forfeited: Vec<UserId>,
    pub round: u32,
    pub winners: Vec<UserId>,
}

/// What a press on "Enter" did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Recorded.
    Entered,
    /// The member had entered already: nothing changed.
    Already,
    /// The giveaway is not open (or does not exist): nothing changed.
    Closed,
}

/// What a reroll did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rerolled {
    /// New winners, recorded for `round`.
    Drawn {
        giveaway: Box<Giveaway>,
        round: u32,
        winners: Vec<UserId>,
    },
    /// Nobody left to draw: nothing changed.
    NobodyLeft,
    /// Not ended (open or cancelled): nothing changed.
    NotEnded,
    /// No such giveaway in the guild.
    Missing,
}

#[derive(FromRow)]
pub(super) struct Row {
    id: i64,
    guild_id: i64,
    channel_id: i64,
    message_id: Option<i64>,
    host_id: i64,
    prize: String,
    winners: i64,
    req_role_id: Option<i64>,
    req_account_days: Option<i64>,
    req_member_days: Option<i64>,
    req_messages: Option<i64>,
    req_clean: i64,
    seed: String,
    commitment: String,
    status: String,
    rounds: i64,
    created_at_ms: i64,
    ends_at_ms: i64,
    ended_at_ms: Option<i64>,
    announced_at_ms: Option<i64>,
    claim_secs: Option<i64>,
}

pub(super) const COLUMNS: &str = "id, guild_id, channel_id, message_id, host_id, prize, winners, \
    req_role_id, req_account_days, req_member_days, req_messages, req_clean, seed, commitment, \
    status, rounds, created_at_ms, ends_at_ms, ended_at_ms, announced_at_ms, claim_secs";

fn corrupt(what: String) -> StoreError {
    StoreError::Query {
        op: "read giveaway",
        source: sqlx::Error::Decode(what.into()),
    }
}

fn days(v: Option<i64>) -> Option<u32> {
    v.map(|d| u32::try_from(d).unwrap_or(u32::MAX))
}

impl TryFrom<Row> for Giveaway {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Giveaway, StoreError> {
        let status = match r.status.as_str() {
            "open" => GiveawayStatus::Open,
            "ended" => GiveawayStatus::Ended,
            "cancelled" => GiveawayStatus::Cancelled,
            other => return Err(corrupt(format!("unknown giveaway status `{other}`"))),
        };
        let seed = parse_seed(&r.seed).ok_or_else(|| corrupt("unreadable seed".into()))?;
        Ok(Giveaway {
            id: r.id,
            guild: GuildId::from_db(r.guild_id),
            channel: ChannelId::from_db(r.channel_id),
            message: r.message_id.map(MessageId::from_db),
            host: UserId::from_db(r.host_id),
            prize: r.prize,
            winners: u32::try_from(r.winners).unwrap_or(0),
            requirements: Requirements {
                role: r.req_role_id.map(RoleId::from_db),
                account_days: days(r.req_account_days),
                member_days: days(r.req_member_days),
                messages_30d: days(r.req_messages),
                clean_record: r.req_clean != 0,
            },
            seed,
            commitment: r.commitment,
            status,
            round: u32::try_from(r.rounds).unwrap_or(0),
            created_at_ms: r.created_at_ms,
            ends_at_ms: r.ends_at_ms,
            ended_at_ms: r.ended_at_ms,
            announced_at_ms: r.announced_at_ms,
            claim_secs: r.claim_secs.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
        })
    }
}

fn users(rows: Vec<(i64,)>) -> Vec<UserId> {
    rows.into_iter().map(|(u,)| UserId::from_db(u)).collect()
}

impl Store {
    /// Records a new, open giveaway.
    pub async fn create_giveaway(&self, g: &NewGiveaway) -> Result<Giveaway, StoreError> {
        let r = &g.requirements;
        let row: Row = sqlx::query_as(&format!(
            "INSERT INTO giveaways (guild_id, channel_id, host_id, prize, winners, req_role_id, \
             req_account_days, req_member_days, req_messages, req_clean, seed, commitment, \
             created_at_ms, ends_at_ms, claim_secs) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             RETURNING {COLUMNS}"
        ))
        .bind(g.guild.to_db())
        .bind(g.channel.to_db())
        .bind(g.host.to_db())
        .bind(&g.prize)
        .bind(i64::from(g.winners))
        .bind(r.role.map(RoleId::to_db))
        .bind(r.account_days.map(i64::from))
        .bind(r.member_days.map(i64::from))
        .bind(r.messages_30d.map(i64::from))
        .bind(i64::from(r.clean_record))
        .bind(hex::encode(g.seed))
        .bind(&g.commitment)
        .bind(g.created_at_ms)
        .bind(g.ends_at_ms)
        .bind(g.claim_secs.map(i64::from))
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("create giveaway"))?;
        row.try_into()
    }

    /// Remembers the giveaway's message.
    pub async fn set_giveaway_message(
        &self,
        id: i64,
        message: MessageId,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE giveaways SET message_id = $2 WHERE id = $1")
            .bind(id)
            .bind(message.to_db())
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("set giveaway message"))?;
        Ok(())
    }

    /// Giveaway `id` of `guild`.
    pub async fn giveaway(&self, guild: GuildId, id: i64) -> Result<Option<Giveaway>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM giveaways WHERE id = $1 AND guild_id = $2"
        ))
        .bind(id)
        .bind(guild.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read giveaway"))?;
        row.map(Giveaway::try_from).transpose()
    }

    /// The latest `limit` giveaways of `guild` with their entrant counts, latest first.
    pub async fn giveaways_of(
        &self,
        guild: GuildId,
        limit: i64,
    ) -> Result<Vec<(Giveaway, u64)>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM giveaways WHERE guild_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(guild.to_db())
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list giveaways"))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let g = Giveaway::try_from(row)?;
            let count = self.entry_count(g.id).await?;
            out.push((g, count));
        }
        Ok(out)
    }

    /// Records `user`'s entry at `now_ms` if the giveaway is open and they have not entered.
    ///
    /// The entry first touches its open giveaway's row, in the entry's transaction: on
    /// PostgreSQL that row lock makes an end (its `UPDATE .. WHERE status = 'open'`) wait for
    /// entries under way, so an entry told "entered" is always in the draw; on SQLite the
    /// transaction holds the write lock from its first statement.
    pub async fn enter_giveaway(
        &self,
        id: i64,
        user: UserId,
        now_ms: i64,
    ) -> Result<Entry, StoreError> {
        let op = "enter giveaway";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        let open =
            sqlx::query("UPDATE giveaways SET status = status WHERE id = $1 AND status = 'open'")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
        let done = if open.rows_affected() == 0 {
            None
        } else {
            Some(
                sqlx::query(
                    "INSERT INTO giveaway_entries (giveaway_id, user_id, entered_at_ms) \
                     VALUES ($1, $2, $3) ON CONFLICT (giveaway_id, user_id) DO NOTHING",
                )
                .bind(id)
                .bind(user.to_db())
                .bind(now_ms)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?,
            )
        };
        tx.commit().await.map_err(StoreError::query(op))?;
        let Some(done) = done else {
            return Ok(Entry::Closed);
        };
        if done.rows_affected() > 0 {
            return Ok(Entry::Entered);
        }
        let already: Option<(i64,)> = sqlx::query_as(
            "SELECT user_id FROM giveaway_entries WHERE giveaway_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        Ok(if already.is_some() {
            Entry::Already
        } else {
            Entry::Closed
        })
    }

    /// How many members entered giveaway `id`.
    pub async fn entry_count(&self, id: i64) -> Result<u64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM giveaway_entries WHERE giveaway_id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::query("count giveaway entries"))?;
        Ok(n.max(0) as u64)
    }

    /// Giveaway `id`'s entrants, sorted by id (the order the draw is defined on).
    pub async fn giveaway_entrants(&self, id: i64) -> Result<Vec<UserId>, StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT user_id FROM giveaway_entries WHERE giveaway_id = $1 ORDER BY user_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read giveaway entrants"))?;
        Ok(users(rows))
    }

    /// Every winner of giveaway `id` with the round they were drawn in, in drawn order.
    pub async fn giveaway_winners(&self, id: i64) -> Result<Vec<(UserId, u32)>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id, round FROM giveaway_winners WHERE giveaway_id = $1 \
             ORDER BY round, position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read giveaway winners"))?;
        Ok(rows
            .into_iter()
            .map(|(u, r)| (UserId::from_db(u), u32::try_from(r).unwrap_or(0)))
            .collect())
    }
}
