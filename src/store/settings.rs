//! Guild settings: the channels Steward posts to, the roles that count as moderators, and the
//! language it speaks. A guild without a row gets [`GuildSettings::defaults`].

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::ids::{ChannelId, GuildId, RoleId};

/// The language a guild gets until it chooses one.
pub const DEFAULT_LANGUAGE: &str = "fr";

/// One guild's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuildSettings {
    /// The guild these settings belong to.
    pub guild: GuildId,
    /// Where cases are logged.
    pub mod_log_channel: Option<ChannelId>,
    /// Where held and flagged messages wait for a moderator.
    pub review_channel: Option<ChannelId>,
    /// Where newcomers are greeted.
    pub welcome_channel: Option<ChannelId>,
    /// Where the weekly report goes.
    pub stats_channel: Option<ChannelId>,
    /// Roles whose members are moderators; read back sorted and without duplicates.
    pub moderator_roles: Vec<RoleId>,
    /// `"fr"` or `"en"`.
    pub language: String,
}

impl GuildSettings {
    /// What a guild gets before anyone configures it: no channels, no roles, French.
    pub fn defaults(guild: GuildId) -> GuildSettings {
        GuildSettings {
            guild,
            mod_log_channel: None,
            review_channel: None,
            welcome_channel: None,
            stats_channel: None,
            moderator_roles: Vec::new(),
            language: DEFAULT_LANGUAGE.to_owned(),
        }
    }
}

#[derive(FromRow)]
struct SettingsRow {
    mod_log_channel_id: Option<i64>,
    review_channel_id: Option<i64>,
    welcome_channel_id: Option<i64>,
    stats_channel_id: Option<i64>,
    language: String,
}

impl Store {
    /// The settings of `guild`, or [`GuildSettings::defaults`] when it has none.
    pub async fn guild_settings(&self, guild: GuildId) -> Result<GuildSettings, StoreError> {
        let op = "read guild settings";
        let row: Option<SettingsRow> = sqlx::query_as(
            "SELECT mod_log_channel_id, review_channel_id, welcome_channel_id, stats_channel_id, \
                    language \
             FROM guild_settings WHERE guild_id = $1",
        )
        .bind(guild.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        let roles: Vec<(i64,)> = sqlx::query_as(
            "SELECT role_id FROM guild_moderator_roles WHERE guild_id = $1 ORDER BY role_id",
        )
        .bind(guild.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        let mut settings = GuildSettings::defaults(guild);
        if let Some(row) = row {
            settings.mod_log_channel = row.mod_log_channel_id.map(ChannelId::from_db);
            settings.review_channel = row.review_channel_id.map(ChannelId::from_db);
            settings.welcome_channel = row.welcome_channel_id.map(ChannelId::from_db);
            settings.stats_channel = row.stats_channel_id.map(ChannelId::from_db);
            settings.language = row.language;
        }
        settings.moderator_roles = roles.into_iter().map(|(id,)| RoleId::from_db(id)).collect();
        Ok(settings)
    }

    /// Stores `settings` for its guild, replacing what was there (in one transaction).
    pub async fn save_guild_settings(&self, settings: &GuildSettings) -> Result<(), StoreError> {
        let op = "save guild settings";
        let guild = settings.guild.to_db();
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        sqlx::query(
            "INSERT INTO guild_settings (guild_id, mod_log_channel_id, review_channel_id, \
                                         welcome_channel_id, stats_channel_id, language) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (guild_id) DO UPDATE SET \
                 mod_log_channel_id = excluded.mod_log_channel_id, \
                 review_channel_id = excluded.review_channel_id, \
                 welcome_channel_id = excluded.welcome_channel_id, \
                 stats_channel_id = excluded.stats_channel_id, \
                 language = excluded.language",
        )
        .bind(guild)
        .bind(settings.mod_log_channel.map(ChannelId::to_db))
        .bind(settings.review_channel.map(ChannelId::to_db))
        .bind(settings.welcome_channel.map(ChannelId::to_db))
        .bind(settings.stats_channel.map(ChannelId::to_db))
        .bind(&settings.language)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        sqlx::query("DELETE FROM guild_moderator_roles WHERE guild_id = $1")
            .bind(guild)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(op))?;
        for role in &settings.moderator_roles {
            sqlx::query(
                "INSERT INTO guild_moderator_roles (guild_id, role_id) VALUES ($1, $2) \
                 ON CONFLICT (guild_id, role_id) DO NOTHING",
            )
            .bind(guild)
            .bind(role.to_db())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(op))?;
        }
        tx.commit().await.map_err(StoreError::query(op))
    }
}

impl Store {
    /// Marks `guild` as greeted with the first-contact checklist; `true` the first time only
    /// (so that one process, once, posts it).
    pub async fn mark_greeted(&self, guild: GuildId, at_ms: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO guild_greetings (guild_id, greeted_at_ms) VALUES ($1, $2) \
             ON CONFLICT (guild_id) DO NOTHING",
        )
        .bind(guild.to_db())
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("mark a guild greeted"))?;
        Ok(done.rows_affected() == 1)
    }
}
