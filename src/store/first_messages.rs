//! Newcomers' first messages and their first answers ([`crate::first_messages`]), written into
//! the newcomer's latest join. The first write of each wins (`... IS NULL`), so a message seen
//! again after a restart changes nothing; an answer counts only within an hour of the first
//! message as stored.

use super::{Store, StoreError};
use crate::first_messages::{ANSWER_WITHIN_MS, FirstMessagesBatch};

impl Store {
    /// Writes a batch of first messages and answers, in one transaction.
    pub async fn record_first_messages(
        &self,
        batch: &FirstMessagesBatch,
    ) -> Result<(), StoreError> {
        if batch.first_messages.is_empty() && batch.answers.is_empty() {
            return Ok(());
        }
        let op = "record newcomers' first messages";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        for first in &batch.first_messages {
            sqlx::query(
                "UPDATE joins SET first_message_at_ms = $3 WHERE id = \
                 (SELECT MAX(id) FROM joins WHERE guild_id = $1 AND user_id = $2 AND joined_at_ms <= $3) \
                 AND first_message_at_ms IS NULL",
            )
            .bind(first.guild.to_db())
            .bind(first.user.to_db())
            .bind(first.at_ms)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(op))?;
        }
        for answer in &batch.answers {
            sqlx::query(
                "UPDATE joins SET first_answer_at_ms = $3 WHERE id = \
                 (SELECT MAX(id) FROM joins WHERE guild_id = $1 AND user_id = $2) \
                 AND first_answer_at_ms IS NULL AND first_message_at_ms IS NOT NULL \
                 AND $3 - first_message_at_ms <= $4",
            )
            .bind(answer.guild.to_db())
            .bind(answer.user.to_db())
            .bind(answer.at_ms)
            .bind(ANSWER_WITHIN_MS)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(op))?;
        }
        tx.commit().await.map_err(StoreError::query(op))
    }
}
