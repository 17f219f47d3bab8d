-- Polls (PostgreSQL flavour; keep in step with ../sqlite/). See src/store/polls.rs for how votes
-- are kept: a public poll's voter rows carry their choices; an anonymous poll's voter rows carry
-- none (only that the member voted), and its votes are per-option counters. Times are ms since
-- the Unix epoch; snowflakes are 64-bit integers; booleans are 0 or 1 (integers, so one query reads both backends).

CREATE TABLE polls (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id         BIGINT  NOT NULL,
    channel_id       BIGINT  NOT NULL,
    -- The poll's message, once posted.
    message_id       BIGINT,
    author_id        BIGINT  NOT NULL,
    question         TEXT    NOT NULL,
    multiple         BIGINT  NOT NULL,
    anonymous        BIGINT  NOT NULL,
    live             BIGINT  NOT NULL,
    -- A Discord native poll: Discord counts the votes, the final counts land in poll_options.
    native           BIGINT  NOT NULL DEFAULT 0,
    -- The role a voter must have, if any.
    role_id          BIGINT,
    -- 'open' until closed, then 'closed' (set once: UPDATE .. WHERE status = 'open').
    status           TEXT    NOT NULL DEFAULT 'open',
    created_at_ms    BIGINT  NOT NULL,
    closes_at_ms     BIGINT  NOT NULL,
    closed_at_ms     BIGINT
);

CREATE INDEX polls_by_guild ON polls (guild_id, id);

CREATE TABLE poll_options (
    poll_id          BIGINT  NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position         BIGINT  NOT NULL,
    label            TEXT    NOT NULL,
    -- Anonymous and native polls only: the votes for this option (public polls count their
    -- voter rows).
    votes            BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, position)
);

CREATE TABLE poll_voters (
    poll_id          BIGINT  NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id          BIGINT  NOT NULL,
    -- Public polls: the chosen positions ('0,2'); anonymous polls: NULL, always.
    choices          TEXT,
    voted_at_ms      BIGINT  NOT NULL,
    PRIMARY KEY (poll_id, user_id)
);
