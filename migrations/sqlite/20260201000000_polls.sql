-- Polls (SQLite flavour; keep in step with ../postgres/). See src/store/polls.rs for how votes
-- are kept: a public poll's voter rows carry their choices; an anonymous poll's voter rows carry
-- none (only that the member voted), and its votes are per-option counters. Times are ms since
-- the Unix epoch; snowflakes are 64-bit integers; booleans are 0 or 1 (integers, so one query reads both backends).

CREATE TABLE polls (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    guild_id         INTEGER NOT NULL,
    channel_id       INTEGER NOT NULL,
    -- The poll's message, once posted.
    message_id       INTEGER,
    author_id        INTEGER NOT NULL,
    question         TEXT    NOT NULL,
    multiple         INTEGER NOT NULL,
    anonymous        INTEGER NOT NULL,
    live             INTEGER NOT NULL,
    -- A Discord native poll: Discord counts the votes, the final counts land in poll_options.
    native           INTEGER NOT NULL DEFAULT 0,
    -- The role a voter must have, if any.
    role_id          INTEGER,
    -- 'open' until closed, then 'closed' (set once: UPDATE .. WHERE status = 'open').
    status           TEXT    NOT NULL DEFAULT 'open',
    created_at_ms    INTEGER NOT NULL,
    closes_at_ms     INTEGER NOT NULL,
    closed_at_ms     INTEGER
);

CREATE INDEX polls_by_guild ON polls (guild_id, id);

CREATE TABLE poll_options (
    poll_id          INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    label            TEXT    NOT NULL,
    -- Anonymous and native polls only: the votes for this option (public polls count their
    -- voter rows).
    votes            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, position)
);

CREATE TABLE poll_voters (
    poll_id          INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL,
    -- Public polls: the chosen positions ('0,2'); anonymous polls: NULL, always.
    choices          TEXT,
    voted_at_ms      INTEGER NOT NULL,
    PRIMARY KEY (poll_id, user_id)
);
