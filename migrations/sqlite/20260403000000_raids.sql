-- Raid mode (SQLite flavour; keep in step with ../postgres/): the raid in progress in
-- each server, every change it made with the setting it replaced (so that ending it restores
-- exactly that, also after a restart), and the members who joined during it
-- (crate::moderation::raid_mode).

CREATE TABLE raids (
    guild_id          INTEGER PRIMARY KEY,
    started_at_ms     INTEGER NOT NULL,
    -- The moderator who ran /raid on; NULL when Steward detected it.
    started_by        INTEGER,
    -- What set it off: joins, repeated, mentions or manual.
    trigger_kind      TEXT NOT NULL,
    last_signal_at_ms INTEGER NOT NULL,
    -- Messages of newcomers held for review while it lasted.
    held              INTEGER NOT NULL DEFAULT 0,
    -- The mod-log alert with the button that ends it.
    alert_channel_id  INTEGER,
    alert_message_id  INTEGER
);

CREATE TABLE raid_changes (
    guild_id     INTEGER NOT NULL,
    -- slowmode (target: the channel), verification, invites or dms (target 0).
    kind         TEXT NOT NULL,
    target_id    INTEGER NOT NULL,
    -- The setting before raid mode (seconds, level, or pause end in ms; NULL: no pause).
    before_value INTEGER,
    during_value INTEGER,
    PRIMARY KEY (guild_id, kind, target_id)
);

CREATE TABLE raid_members (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    joined_at_ms INTEGER,
    -- 1 once raid mode timed them out or kicked them.
    actioned     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, user_id)
);
