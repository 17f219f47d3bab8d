-- Steward storage, PostgreSQL flavour. Times are milliseconds since the Unix epoch, snowflakes are
-- 64-bit integers (Discord ids fit in 63 bits). Keep in step with ../sqlite/.

-- Guild settings: one row per guild; absent row = defaults.
CREATE TABLE guild_settings (
    guild_id           BIGINT  NOT NULL PRIMARY KEY,
    mod_log_channel_id BIGINT,
    review_channel_id  BIGINT,
    welcome_channel_id BIGINT,
    stats_channel_id   BIGINT,
    language           TEXT    NOT NULL DEFAULT 'fr'
);

-- Roles whose members count as moderators, per guild.
CREATE TABLE guild_moderator_roles (
    guild_id BIGINT  NOT NULL,
    role_id  BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, role_id)
);

-- The last case number handed out per guild; bumped atomically, so numbers never repeat.
CREATE TABLE case_counters (
    guild_id    BIGINT  NOT NULL PRIMARY KEY,
    last_number BIGINT  NOT NULL
);

-- The case history: never deleted, only corrected through case_corrections.
CREATE TABLE cases (
    guild_id      BIGINT  NOT NULL,
    number        BIGINT  NOT NULL,
    user_id       BIGINT  NOT NULL,
    moderator_id  BIGINT,
    kind          TEXT    NOT NULL,
    rule          TEXT,
    section       BIGINT,
    reason        TEXT    NOT NULL,
    content       TEXT,
    channel_id    BIGINT,
    message_id    BIGINT,
    duration_secs BIGINT,
    points        BIGINT  NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, number)
);

CREATE INDEX cases_by_user ON cases (guild_id, user_id, created_at_ms);

-- Every change of a case's reason, oldest first.
CREATE TABLE case_corrections (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id        BIGINT  NOT NULL,
    number          BIGINT  NOT NULL,
    old_reason      TEXT    NOT NULL,
    new_reason      TEXT    NOT NULL,
    corrected_by    BIGINT  NOT NULL,
    corrected_at_ms BIGINT  NOT NULL,
    FOREIGN KEY (guild_id, number) REFERENCES cases (guild_id, number)
);

CREATE INDEX case_corrections_by_case ON case_corrections (guild_id, number, id);

-- Messages per (guild, channel, user, hour); hour = ms / 3_600_000.
CREATE TABLE message_activity (
    guild_id   BIGINT  NOT NULL,
    channel_id BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    hour       BIGINT  NOT NULL,
    messages   BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, channel_id, user_id, hour)
);

CREATE INDEX message_activity_by_hour ON message_activity (guild_id, hour);

-- Joins and leaves per (guild, hour).
CREATE TABLE member_activity (
    guild_id BIGINT  NOT NULL,
    hour     BIGINT  NOT NULL,
    joins    BIGINT  NOT NULL,
    leaves   BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, hour)
);
