-- Lockdowns (SQLite flavour; keep in step with ../postgres/): each locked channel's @everyone
-- overwrite from before the lockdown, so that lifting it restores exactly that, also after a
-- restart (crate::moderation::lockdown).

CREATE TABLE lockdowns (
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    -- 1 when the channel had an @everyone overwrite before, whose bits follow.
    had_overwrite INTEGER NOT NULL,
    allow_bits   INTEGER NOT NULL,
    deny_bits    INTEGER NOT NULL,
    locked_by    INTEGER NOT NULL,
    locked_at_ms INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);
