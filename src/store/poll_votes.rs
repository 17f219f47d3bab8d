//! Votes of a poll ([`super::polls`] has the design): recording one, the tally, a public
//! poll's list of votes, a native poll's final counts.
//!
//! **A vote and the close never cross.** A vote's transaction starts by touching the poll's row
//! while it is open (`UPDATE polls SET status = status WHERE .. status = 'open'`): on
//! PostgreSQL that takes the row's lock, so a close waits for a vote under way (and the results
//! include it), and a vote after a close finds the poll closed; on SQLite the transaction holds
//! the database's write lock from its first statement. Then the voter row is inserted with
//! `ON CONFLICT DO NOTHING` (one vote per member), and either the counters bumped (anonymous)
//! or, for a member who had voted, their row rewritten (public).

use super::{Store, StoreError};
use crate::community::poll::{Ballot, Tally};
use crate::ids::UserId;
use crate::store::{PollRow, VoteOutcome, VoteRow};

impl Store {
    /// Records `user`'s `ballot` in `poll` at `now_ms` (see the module doc); nothing when the
    /// poll is closed.
    pub async fn vote(
        &self,
        poll: &PollRow,
        user: UserId,
        ballot: &Ballot,
        now_ms: i64,
    ) -> Result<VoteOutcome, StoreError> {
        let op = "record vote";
        let choices = (!poll.anonymous).then(|| ballot.encode());
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        let open =
            sqlx::query("UPDATE polls SET status = status WHERE id = $1 AND status = 'open'")
                .bind(poll.id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?
                .rows_affected();
        if open == 0 {
            tx.rollback().await.map_err(StoreError::query(op))?;
            return Ok(VoteOutcome::Closed);
        }
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO poll_voters (poll_id, user_id, choices, voted_at_ms) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (poll_id, user_id) DO NOTHING RETURNING user_id",
        )
        .bind(poll.id)
        .bind(user.to_db())
        .bind(choices.as_deref())
        .bind(now_ms)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        let outcome = match (inserted.is_some(), poll.anonymous) {
            (true, true) => {
                for &choice in &ballot.choices {
                    sqlx::query(
                        "UPDATE poll_options SET votes = votes + 1 \
                         WHERE poll_id = $1 AND position = $2",
                    )
                    .bind(poll.id)
                    .bind(choice as i64)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(op))?;
                }
                VoteOutcome::Recorded
            }
            (true, false) => VoteOutcome::Recorded,
            (false, true) => VoteOutcome::AlreadyVoted,
            (false, false) => {
                sqlx::query(
                    "UPDATE poll_voters SET choices = $3, voted_at_ms = $4 \
                     WHERE poll_id = $1 AND user_id = $2",
                )
                .bind(poll.id)
                .bind(user.to_db())
                .bind(choices.as_deref())
                .bind(now_ms)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
                VoteOutcome::Changed
            }
        };
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(outcome)
    }

    /// Records a native poll's final counts, per option in order, as Discord gave them.
    pub async fn record_native_counts(&self, poll: i64, counts: &[u64]) -> Result<(), StoreError> {
        let op = "record native poll counts";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        for (position, &count) in counts.iter().enumerate() {
            sqlx::query("UPDATE poll_options SET votes = $3 WHERE poll_id = $1 AND position = $2")
                .bind(poll)
                .bind(position as i64)
                .bind(i64::try_from(count).unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
        }
        tx.commit().await.map_err(StoreError::query(op))
    }

    /// How `poll` stands: counted from the voters' rows (public), or the counters (anonymous;
    /// native, where each member has one answer, so the voters are the votes).
    pub async fn tally(&self, poll: &PollRow) -> Result<Tally, StoreError> {
        let op = "tally poll";
        if !poll.anonymous && !poll.native {
            let votes = self.poll_votes(poll.id).await?;
            return Ok(Tally::of(
                poll.options.len(),
                votes.iter().map(|v| &v.ballot),
            ));
        }
        let counts: Vec<(i64,)> =
            sqlx::query_as("SELECT votes FROM poll_options WHERE poll_id = $1 ORDER BY position")
                .bind(poll.id)
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query(op))?;
        let counts: Vec<u64> = counts.into_iter().map(|(n,)| n.max(0) as u64).collect();
        if poll.native {
            let voters = counts.iter().sum();
            return Ok(Tally { counts, voters });
        }
        let (voters,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM poll_voters WHERE poll_id = $1")
                .bind(poll.id)
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::query(op))?;
        Ok(Tally {
            counts,
            voters: voters.max(0) as u64,
        })
    }

    /// A public poll's votes, by time (an anonymous poll's rows have no choices: empty ballots).
    pub async fn poll_votes(&self, poll: i64) -> Result<Vec<VoteRow>, StoreError> {
        let rows: Vec<(i64, Option<String>, i64)> = sqlx::query_as(
            "SELECT user_id, choices, voted_at_ms FROM poll_voters WHERE poll_id = $1 \
             ORDER BY voted_at_ms, user_id",
        )
        .bind(poll)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read poll votes"))?;
        Ok(rows
            .into_iter()
            .map(|(user, choices, at)| VoteRow {
                user: UserId::from_db(user),
                ballot: Ballot::decode(choices.as_deref().unwrap_or("")),
                voted_at_ms: at,
            })
            .collect())
    }
}
