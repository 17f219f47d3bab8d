//! Raid mode's memory ([`crate::moderation::raid_mode`]): the raid in progress per server, each
//! change it made with the setting it replaced (recorded before the change is made, first
//! record kept, so ending raid mode restores exactly what was there, also after a restart), and
//! the members who joined during it (kept until the next raid, for `/massban raid`).

use super::{Store, StoreError};
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::moderation::raid_mode::{ActiveRaid, Change, Setting, Trigger};

/// A member who joined during a raid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RaidMember {
    pub user: UserId,
    pub joined_at_ms: Option<i64>,
    /// Timed out or kicked by raid mode.
    pub actioned: bool,
}

type RaidRow = (
    i64,
    i64,
    Option<i64>,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
);

const RAID_COLUMNS: &str = "guild_id, started_at_ms, started_by, trigger_kind, \
                            last_signal_at_ms, held, alert_channel_id, alert_message_id";

fn raid_of(row: RaidRow) -> ActiveRaid {
    let (guild, started, by, trigger, last, held, channel, message) = row;
    ActiveRaid {
        guild: GuildId::from_db(guild),
        started_at_ms: started,
        started_by: by.map(UserId::from_db),
        trigger: Trigger::parse(&trigger),
        last_signal_at_ms: last,
        held: u32::try_from(held).unwrap_or(u32::MAX),
        alert: channel
            .zip(message)
            .map(|(c, m)| (ChannelId::from_db(c), MessageId::from_db(m))),
    }
}

/// A setting as stored: its kind, its target (a channel, or 0) and its value.
fn encode(setting: &Setting) -> (&'static str, i64, Option<i64>) {
    match *setting {
        Setting::SlowMode { channel, secs } => ("slowmode", channel.to_db(), Some(secs.into())),
        Setting::Verification(level) => ("verification", 0, Some(level.into())),
        Setting::InvitesPausedUntil(until) => ("invites", 0, until),
        Setting::DmsPausedUntil(until) => ("dms", 0, until),
    }
}

fn decode(kind: &str, target: i64, value: Option<i64>) -> Option<Setting> {
    Some(match kind {
        "slowmode" => Setting::SlowMode {
            channel: ChannelId::from_db(target),
            secs: u32::try_from(value?).ok()?,
        },
        "verification" => Setting::Verification(u8::try_from(value?).ok()?),
        "invites" => Setting::InvitesPausedUntil(value),
        "dms" => Setting::DmsPausedUntil(value),
        _ => return None,
    })
}

impl Store {
    /// Records that raid mode started in `raid.guild`, forgetting the members of the raid
    /// before; `false` when a raid was in progress there already (another process, or an
    /// earlier signal, started it), which is kept.
    pub async fn start_raid(&self, raid: &ActiveRaid) -> Result<bool, StoreError> {
        let op = "start a raid";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        // In one transaction with the start, so that members a concurrent detection of this
        // raid records once it is on are never taken for the previous raid's.
        sqlx::query(
            "DELETE FROM raid_members WHERE guild_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM raids WHERE guild_id = $1)",
        )
        .bind(raid.guild.to_db())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        let done = sqlx::query(
            "INSERT INTO raids (guild_id, started_at_ms, started_by, trigger_kind, \
             last_signal_at_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (guild_id) DO NOTHING",
        )
        .bind(raid.guild.to_db())
        .bind(raid.started_at_ms)
        .bind(raid.started_by.map(|u| u.to_db()))
        .bind(raid.trigger.as_str())
        .bind(raid.last_signal_at_ms)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        if done.rows_affected() == 0 {
            tx.rollback().await.map_err(StoreError::query(op))?;
            return Ok(false);
        }
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(true)
    }

    /// The raid in progress in `guild`, if any.
    pub async fn raid(&self, guild: GuildId) -> Result<Option<ActiveRaid>, StoreError> {
        let row: Option<RaidRow> = sqlx::query_as(&format!(
            "SELECT {RAID_COLUMNS} FROM raids WHERE guild_id = $1"
        ))
        .bind(guild.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read a raid"))?;
        Ok(row.map(raid_of))
    }

    /// Every raid in progress (read at start, so that raid mode survives a restart).
    pub async fn raids(&self) -> Result<Vec<ActiveRaid>, StoreError> {
        let rows: Vec<RaidRow> = sqlx::query_as(&format!(
            "SELECT {RAID_COLUMNS} FROM raids ORDER BY guild_id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list raids"))?;
        Ok(rows.into_iter().map(raid_of).collect())
    }

    /// A new signal of the raid in `guild` at `at_ms` (the quiet period starts again).
    pub async fn raid_signal(&self, guild: GuildId, at_ms: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE raids SET last_signal_at_ms = $2 \
             WHERE guild_id = $1 AND last_signal_at_ms < $2",
        )
        .bind(guild.to_db())
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record a raid signal"))?;
        Ok(())
    }

    /// The mod-log alert of the raid in `guild`.
    pub async fn set_raid_alert(
        &self,
        guild: GuildId,
        channel: ChannelId,
        message: MessageId,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE raids SET alert_channel_id = $2, alert_message_id = $3 WHERE guild_id = $1",
        )
        .bind(guild.to_db())
        .bind(channel.to_db())
        .bind(message.to_db())
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record a raid alert"))?;
        Ok(())
    }

    /// One more message held by the raid in `guild`.
    pub async fn count_raid_hold(&self, guild: GuildId) -> Result<(), StoreError> {
        sqlx::query("UPDATE raids SET held = held + 1 WHERE guild_id = $1")
            .bind(guild.to_db())
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("count a raid hold"))?;
        Ok(())
    }

    /// Records a change raid mode is about to make in `guild`; a setting changed already keeps
    /// its first "before" (the one to restore).
    pub async fn record_raid_change(
        &self,
        guild: GuildId,
        change: &Change,
    ) -> Result<(), StoreError> {
        let (kind, target, before) = encode(&change.before);
        let (_, _, during) = encode(&change.during);
        sqlx::query(
            "INSERT INTO raid_changes (guild_id, kind, target_id, before_value, during_value) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (guild_id, kind, target_id) DO NOTHING",
        )
        .bind(guild.to_db())
        .bind(kind)
        .bind(target)
        .bind(before)
        .bind(during)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record a raid change"))?;
        Ok(())
    }

    /// The changes raid mode made in `guild` and has not undone yet.
    pub async fn raid_changes(&self, guild: GuildId) -> Result<Vec<Change>, StoreError> {
        let rows: Vec<(String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT kind, target_id, before_value, during_value FROM raid_changes \
             WHERE guild_id = $1 ORDER BY kind, target_id",
        )
        .bind(guild.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list raid changes"))?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, target, before, during)| {
                Some(Change {
                    before: decode(&kind, target, before)?,
                    during: decode(&kind, target, during)?,
                })
            })
            .collect())
    }

    /// Forgets a change once it is undone (or was never made).
    pub async fn forget_raid_change(
        &self,
        guild: GuildId,
        setting: &Setting,
    ) -> Result<(), StoreError> {
        let (kind, target, _) = encode(setting);
        sqlx::query(
            "DELETE FROM raid_changes WHERE guild_id = $1 AND kind = $2 AND target_id = $3",
        )
        .bind(guild.to_db())
        .bind(kind)
        .bind(target)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("forget a raid change"))?;
        Ok(())
    }

    /// Records members of the raid in `guild` (those seen already are kept as they are).
    pub async fn add_raid_members(
        &self,
        guild: GuildId,
        members: &[(UserId, Option<i64>)],
    ) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("add raid members"))?;
        for (user, joined) in members {
            sqlx::query(
                "INSERT INTO raid_members (guild_id, user_id, joined_at_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (guild_id, user_id) DO NOTHING",
            )
            .bind(guild.to_db())
            .bind(user.to_db())
            .bind(*joined)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("add raid members"))?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("add raid members"))
    }

    /// Claims the sanction of a member of the raid in `guild`, before it is given: `true` for
    /// the one detection (or process) that gets to time them out or kick them, `false` when
    /// another did already.
    pub async fn claim_raid_sanction(
        &self,
        guild: GuildId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE raid_members SET actioned = 1 \
             WHERE guild_id = $1 AND user_id = $2 AND actioned = 0",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("claim a raid sanction"))?;
        Ok(done.rows_affected() == 1)
    }

    /// The members of the raid in `guild`, in id order.
    pub async fn raid_members(&self, guild: GuildId) -> Result<Vec<RaidMember>, StoreError> {
        let rows: Vec<(i64, Option<i64>, i64)> = sqlx::query_as(
            "SELECT user_id, joined_at_ms, actioned FROM raid_members WHERE guild_id = $1 \
             ORDER BY user_id",
        )
        .bind(guild.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list raid members"))?;
        Ok(rows
            .into_iter()
            .map(|(user, joined_at_ms, actioned)| RaidMember {
                user: UserId::from_db(user),
                joined_at_ms,
                actioned: actioned != 0,
            })
            .collect())
    }

    /// Ends the raid in `guild` and returns it; `None` when no raid was in progress (another
    /// process or an earlier press ended it). Its changes stay until [`Store::clear_raid`], once
    /// they are undone; its members until the next raid starts (for `/massban raid`).
    pub async fn end_raid(&self, guild: GuildId) -> Result<Option<ActiveRaid>, StoreError> {
        let row: Option<RaidRow> = sqlx::query_as(&format!(
            "DELETE FROM raids WHERE guild_id = $1 RETURNING {RAID_COLUMNS}"
        ))
        .bind(guild.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("end a raid"))?;
        Ok(row.map(raid_of))
    }

    /// Forgets the remaining changes of an ended raid in `guild` (those Discord refused to undo,
    /// reported in its summary).
    pub async fn clear_raid(&self, guild: GuildId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM raid_changes WHERE guild_id = $1")
            .bind(guild.to_db())
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("clear a raid"))?;
        Ok(())
    }
}
