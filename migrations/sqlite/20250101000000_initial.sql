-- Steward storage, SQLite flavour. Times are milliseconds since the Unix epoch, snowflakes are
-- 64-bit integers (Discord ids fit in 63 bits). Keep in step with ../postgres/.

-- Guild settings: one row per guild; absent row = defaults.
CREATE TABLE guild_settings (
    guild_id           INTEGER NOT NULL PRIMARY KEY,
    mod_log_channel_id INTEGER,
    review_channel_id  INTEGER,
    welcome_channel_id INTEGER,
    stats_channel_id   INTEGER,
    language           TEXT    NOT NULL DEFAULT 'fr'
);

-- Roles whose members count as moderators, per guild.
CREATE TABLE guild_moderator_roles (
    guild_id INTEGER NOT NULL,
    role_id  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, role_id)
);

-- The last case number handed out per guild; bumped atomically, so numbers never repeat.
CREATE TABLE case_counters (
    guild_id    INTEGER NOT NULL PRIMARY KEY,
    last_number INTEGER NOT NULL
);

-- The case history: never deleted, only corrected through case_corrections.
CREATE TABLE cases (
    guild_id      INTEGER NOT NULL,
    number        INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    moderator_id  INTEGER,
    kind          TEXT    NOT NULL,
    rule          TEXT,
    section       INTEGER,
    reason        TEXT    NOT NULL,
    content       TEXT,
    channel_id    INTEGER,
    message_id    INTEGER,
    duration_secs INTEGER,
    points        INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (guild_id, number)
);

CREATE INDEX cases_by_user ON cases (guild_id, user_id, created_at_ms);

-- Every change of a case's reason, oldest first.
CREATE TABLE case_corrections (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    guild_id        INTEGER NOT NULL,
    number          INTEGER NOT NULL,
    old_reason      TEXT    NOT NULL,
    new_reason      TEXT    NOT NULL,
    corrected_by    INTEGER NOT NULL,
    corrected_at_ms INTEGER NOT NULL,
    FOREIGN KEY (guild_id, number) REFERENCES cases (guild_id, number)
);

CREATE INDEX case_corrections_by_case ON case_corrections (guild_id, number, id);

-- Messages per (guild, channel, user, hour); hour = ms / 3_600_000.
CREATE TABLE message_activity (
    guild_id   INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    hour       INTEGER NOT NULL,
    messages   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id, user_id, hour)
);

CREATE INDEX message_activity_by_hour ON message_activity (guild_id, hour);

-- Joins and leaves per (guild, hour).
CREATE TABLE member_activity (
    guild_id INTEGER NOT NULL,
    hour     INTEGER NOT NULL,
    joins    INTEGER NOT NULL,
    leaves   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, hour)
);
