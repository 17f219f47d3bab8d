-- Lockdowns (PostgreSQL flavour; keep in step with ../sqlite/): each locked channel's @everyone
-- overwrite from before the lockdown, so that lifting it restores exactly that, also after a
-- restart (crate::moderation::lockdown).

CREATE TABLE lockdowns (
    guild_id     BIGINT  NOT NULL,
    channel_id   BIGINT  NOT NULL,
    -- 1 when the channel had an @everyone overwrite before, whose bits follow.
    had_overwrite BIGINT  NOT NULL,
    allow_bits   BIGINT  NOT NULL,
    deny_bits    BIGINT  NOT NULL,
    locked_by    BIGINT  NOT NULL,
    locked_at_ms BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);
