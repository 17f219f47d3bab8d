//! The state changes of a giveaway that must happen once: its end with the first draw, a
//! reroll, a cancellation, the announcement mark. Each starts with an `UPDATE .. WHERE status
//! = ..  RETURNING`, so of two processes exactly one wins; the draw is passed in by the caller
//! (the pure [`crate::community::giveaway::draw`]) and runs inside the transaction, so the
//! status change and the winners are recorded together or not at all.

use super::giveaways::{COLUMNS, Claim, Forfeit, Giveaway, GiveawayStatus, Rerolled, Row};
use super::{Store, StoreError};
use crate::ids::{GuildId, UserId};

impl Store {
    /// Ends giveaway `id` of `guild` at `now_ms` if it is open: the winners are
    /// `draw(giveaway, sorted entrants)`, recorded as round 0. `None` when it was not open (ended
    /// by someone else, cancelled, or missing).
    pub async fn end_giveaway(
        &self,
        guild: GuildId,
        id: i64,
        now_ms: i64,
        draw: impl FnOnce(&Giveaway, &[UserId]) -> Vec<UserId>,
    ) -> Result<Option<(Giveaway, Vec<UserId>, Vec<UserId>)>, StoreError> {
        let op = "end giveaway";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        let row: Option<Row> = sqlx::query_as(&format!(
            "UPDATE giveaways SET status = 'ended', ended_at_ms = $3 \
             WHERE id = $1 AND guild_id = $2 AND status = 'open' RETURNING {COLUMNS}"
        ))
        .bind(id)
        .bind(guild.to_db())
        .bind(now_ms)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let giveaway = Giveaway::try_from(row)?;
        let entrants = user_ids(&mut tx, ENTRANTS, id, op).await?;
        let winners = draw(&giveaway, &entrants);
        insert_winners(&mut tx, id, 0, &winners).await?;
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(Some((giveaway, entrants, winners)))
    }

    /// Draws again for giveaway `id` of `guild`, if it is ended: the round goes up by one and
    /// the winners are `draw(giveaway, round, sorted entrants, past winners)`, recorded for that
    /// round. Nobody drawn changes nothing.
    pub async fn reroll_giveaway(
        &self,
        guild: GuildId,
        id: i64,
        draw: impl FnOnce(&Giveaway, &[UserId], &[UserId]) -> Vec<UserId>,
    ) -> Result<Rerolled, StoreError> {
        let op = "reroll giveaway";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        let row = next_round(&mut tx, guild, id, op).await?;
        let Some(row) = row else {
            drop(tx);
            return Ok(match self.giveaway(guild, id).await? {
                Some(_) => Rerolled::NotEnded,
                None => Rerolled::Missing,
            });
        };
        let giveaway = Giveaway::try_from(row)?;
        let entrants = user_ids(&mut tx, ENTRANTS, id, op).await?;
        let past = user_ids(&mut tx, PAST_WINNERS, id, op).await?;
        let winners = draw(&giveaway, &entrants, &past);
        if winners.is_empty() {
            return Ok(Rerolled::NobodyLeft);
        }
        insert_winners(&mut tx, id, giveaway.round, &winners).await?;
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(Rerolled::Drawn {
            round: giveaway.round,
            giveaway: Box::new(giveaway),
            winners,
        })
    }

    /// Cancels giveaway `id` of `guild` at `now_ms` if it is open; the cancelled giveaway.
    pub async fn cancel_giveaway(
        &self,
        guild: GuildId,
        id: i64,
        now_ms: i64,
    ) -> Result<Option<Giveaway>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "UPDATE giveaways SET status = '{}', ended_at_ms = $3 \
             WHERE id = $1 AND guild_id = $2 AND status = 'open' RETURNING {COLUMNS}",
            GiveawayStatus::Cancelled.column()
        ))
        .bind(id)
        .bind(guild.to_db())
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("cancel giveaway"))?;
        row.map(Giveaway::try_from).transpose()
    }

    /// Marks the end of giveaway `id` announced at `now_ms`.
    pub async fn mark_giveaway_announced(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE giveaways SET announced_at_ms = $2 WHERE id = $1")
            .bind(id)
            .bind(now_ms)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("mark giveaway announced"))?;
        Ok(())
    }
}

impl Store {
    /// Sets the claim deadline of round `round`'s winners of giveaway `id` to `by_ms`, unless
    /// it was set already (a retried announcement keeps the first).
    pub async fn set_claim_deadline(
        &self,
        id: i64,
        round: u32,
        by_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE giveaway_winners SET claim_by_ms = $3 \
             WHERE giveaway_id = $1 AND round = $2 AND claim_by_ms IS NULL",
        )
        .bind(id)
        .bind(i64::from(round))
        .bind(by_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("set claim deadline"))?;
        Ok(())
    }

    /// `user` claims their win of giveaway `id` at `now_ms`: recorded once, only for a winner
    /// whose deadline has not passed and who has not forfeited.
    pub async fn claim_giveaway(
        &self,
        id: i64,
        user: UserId,
        now_ms: i64,
    ) -> Result<Claim, StoreError> {
        let op = "claim giveaway";
        let done = sqlx::query(
            "UPDATE giveaway_winners SET claimed_at_ms = $1 \
             WHERE giveaway_id = $2 AND user_id = $3 AND claimed_at_ms IS NULL \
             AND forfeited = 0 AND claim_by_ms IS NOT NULL AND claim_by_ms > $1",
        )
        .bind(now_ms)
        .bind(id)
        .bind(user.to_db())
        .execute(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        if done.rows_affected() > 0 {
            return Ok(Claim::Claimed);
        }
        let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT claim_by_ms, claimed_at_ms FROM giveaway_winners \
             WHERE giveaway_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        Ok(match row {
            None | Some((None, None)) => Claim::NotWinner,
            Some((_, Some(_))) => Claim::Already,
            Some((Some(_), None)) => Claim::TooLate,
        })
    }

    /// The claim deadline of round `round` of giveaway `id` of `guild`: its winners who have
    /// not claimed forfeit (once: a conditional update), and as many new winners are drawn by
    /// `draw(giveaway, new round, sorted entrants, past winners)`, in one transaction. `None`
    /// when nobody forfeited (everyone claimed, or this ran already).
    pub async fn forfeit_unclaimed(
        &self,
        guild: GuildId,
        id: i64,
        round: u32,
        draw: impl FnOnce(&Giveaway, usize, &[UserId], &[UserId]) -> Vec<UserId>,
    ) -> Result<Option<Forfeit>, StoreError> {
        let op = "forfeit unclaimed giveaway wins";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        // Locks the giveaway's row first, as a reroll does, so rounds never collide.
        let row = next_round(&mut tx, guild, id, op).await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let giveaway = Giveaway::try_from(row)?;
        let forfeited: Vec<(i64,)> = sqlx::query_as(
            "UPDATE giveaway_winners SET forfeited = 1 \
             WHERE giveaway_id = $1 AND round = $2 AND claimed_at_ms IS NULL AND forfeited = 0 \
             RETURNING user_id",
        )
        .bind(id)
        .bind(i64::from(round))
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        if forfeited.is_empty() {
            return Ok(None);
        }
        let mut forfeited: Vec<UserId> = forfeited
            .into_iter()
            .map(|(u,)| UserId::from_db(u))
            .collect();
        forfeited.sort();
        let entrants = user_ids(&mut tx, ENTRANTS, id, op).await?;
        let past = user_ids(&mut tx, PAST_WINNERS, id, op).await?;
        let winners = draw(&giveaway, forfeited.len(), &entrants, &past);
        let mut round = giveaway.round;
        if winners.is_empty() {
            // No draw: the round is not used.
            sqlx::query("UPDATE giveaways SET rounds = rounds - 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
            round -= 1;
        } else {
            insert_winners(&mut tx, id, round, &winners).await?;
        }
        tx.commit().await.map_err(StoreError::query(op))?;
        let mut giveaway = giveaway;
        giveaway.round = round;
        Ok(Some(Forfeit {
            giveaway: Box::new(giveaway),
            forfeited,
            round,
            winners,
        }))
    }
}

/// Starts the next draw round of an ended giveaway, locking its row for the transaction (so
/// rerolls and forfeits never share a round); `None` when it is not ended in `guild`.
async fn next_round(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    guild: GuildId,
    id: i64,
    op: &'static str,
) -> Result<Option<Row>, StoreError> {
    sqlx::query_as(&format!(
        "UPDATE giveaways SET rounds = rounds + 1 \
         WHERE id = $1 AND guild_id = $2 AND status = 'ended' RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(guild.to_db())
    .fetch_optional(&mut **tx)
    .await
    .map_err(StoreError::query(op))
}

/// A giveaway's entrants, sorted by id (the order the draw is defined on).
const ENTRANTS: &str =
    "SELECT user_id FROM giveaway_entries WHERE giveaway_id = $1 ORDER BY user_id";
/// Everyone who has won a round of a giveaway (never drawn again), sorted by id.
const PAST_WINNERS: &str =
    "SELECT user_id FROM giveaway_winners WHERE giveaway_id = $1 ORDER BY user_id";

/// The user ids `query` reads for giveaway `id`, inside the draw's transaction.
async fn user_ids(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    query: &'static str,
    id: i64,
    op: &'static str,
) -> Result<Vec<UserId>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(query)
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .map_err(StoreError::query(op))?;
    Ok(rows.into_iter().map(|(u,)| UserId::from_db(u)).collect())
}

async fn insert_winners(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    round: u32,
    winners: &[UserId],
) -> Result<(), StoreError> {
    for (position, winner) in winners.iter().enumerate() {
        sqlx::query(
            "INSERT INTO giveaway_winners (giveaway_id, user_id, round, position) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(winner.to_db())
        .bind(i64::from(round))
        .bind(position as i64)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::query("record giveaway winners"))?;
    }
    Ok(())
}
