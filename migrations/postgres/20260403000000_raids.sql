-- Raid mode (PostgreSQL flavour; keep in step with ../sqlite/): the raid in progress in
-- each server, every change it made with the setting it replaced (so that ending it restores
-- exactly that, also after a restart), and the members who joined during it
-- (crate::moderation::raid_mode).

CREATE TABLE raids (
    guild_id          BIGINT PRIMARY KEY,
    started_at_ms     BIGINT NOT NULL,
    -- The moderator who ran /raid on; NULL when Steward detected it.
    started_by        BIGINT,
    -- What set it off: joins, repeated, mentions or manual.
    trigger_kind      TEXT NOT NULL,
    last_signal_at_ms BIGINT NOT NULL,
    -- Messages of newcomers held for review while it lasted.
    held              BIGINT NOT NULL DEFAULT 0,
    -- The mod-log alert with the button that ends it.
    alert_channel_id  BIGINT,
    alert_message_id  BIGINT
);

CREATE TABLE raid_changes (
    guild_id     BIGINT NOT NULL,
    -- slowmode (target: the channel), verification, invites or dms (target 0).
    kind         TEXT NOT NULL,
    target_id    BIGINT NOT NULL,
    -- The setting before raid mode (seconds, level, or pause end in ms; NULL: no pause).
    before_value BIGINT,
    during_value BIGINT,
    PRIMARY KEY (guild_id, kind, target_id)
);

CREATE TABLE raid_members (
    guild_id     BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    joined_at_ms BIGINT,
    -- 1 once raid mode timed them out or kicked them.
    actioned     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, user_id)
);
