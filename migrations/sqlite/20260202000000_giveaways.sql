-- Giveaways (sqlite flavour; keep in step with the other backend). Times are ms since the Unix
-- epoch; snowflakes are 64-bit integers. See src/store/giveaways.rs.

CREATE TABLE giveaways (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    guild_id         INTEGER NOT NULL,
    channel_id       INTEGER NOT NULL,
    -- The giveaway message, once posted.
    message_id       INTEGER,
    host_id          INTEGER NOT NULL,
    prize            TEXT    NOT NULL,
    winners          INTEGER NOT NULL,
    -- Requirements (NULL: none).
    req_role_id      INTEGER,
    req_account_days INTEGER,
    req_member_days  INTEGER,
    req_messages     INTEGER,
    req_clean        INTEGER NOT NULL DEFAULT 0,
    -- The secret seed (hex, revealed at the end) and its published SHA-256 commitment (hex).
    seed             TEXT    NOT NULL,
    commitment       TEXT    NOT NULL,
    -- open, ended or cancelled; the change from open is one UPDATE .. WHERE status = 'open'.
    status           TEXT    NOT NULL DEFAULT 'open',
    -- Draws made so far (the first draw is round 0, each reroll one more).
    rounds           INTEGER NOT NULL DEFAULT 0,
    created_at_ms    INTEGER NOT NULL,
    ends_at_ms       INTEGER NOT NULL,
    ended_at_ms      INTEGER,
    -- How long a winner has to claim, in seconds (NULL: no claim needed).
    claim_secs       INTEGER NULL,
    -- When the end was announced in the channel (NULL: not yet).
    announced_at_ms  INTEGER
);

CREATE INDEX giveaways_by_guild ON giveaways (guild_id, id);

-- One entry per member per giveaway: the primary key enforces it.
CREATE TABLE giveaway_entries (
    giveaway_id      INTEGER NOT NULL REFERENCES giveaways (id),
    user_id          INTEGER NOT NULL,
    entered_at_ms    INTEGER NOT NULL,
    PRIMARY KEY (giveaway_id, user_id)
);

-- Winners of every round; a member wins a giveaway at most once.
CREATE TABLE giveaway_winners (
    giveaway_id      INTEGER NOT NULL REFERENCES giveaways (id),
    user_id          INTEGER NOT NULL,
    round            INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    -- The claim deadline of this winner (NULL: none), when they claimed, and whether they
    -- forfeited by not claiming in time (then their place was rerolled).
    claim_by_ms      INTEGER NULL,
    claimed_at_ms    INTEGER NULL,
    forfeited        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (giveaway_id, user_id)
);
