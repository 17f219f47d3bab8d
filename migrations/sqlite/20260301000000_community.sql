-- The community half (SQLite flavour; keep in step with ../postgres/): joins and the invite that
-- brought each member (src/store/joins.rs), personal invites, charter acceptances, first-contact
-- greetings. Times are ms since the Unix epoch; snowflakes are 64-bit integers.

CREATE TABLE joins (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    joined_at_ms INTEGER NOT NULL,
    -- exact, ambiguous, vanity or unknown (crate::community::referrals::Confidence).
    confidence   TEXT    NOT NULL,
    -- The invite and its creator, when exact.
    invite_code  TEXT,
    inviter_id   INTEGER,
    -- When ambiguous: the invites that may have been used, comma-separated.
    candidates   TEXT    NOT NULL DEFAULT '',
    -- 1 when the member had joined before.
    rejoin       INTEGER NOT NULL DEFAULT 0,
    -- 1 while the member has not passed the server's membership screening (their roles and the
    -- charter's invitation wait for it).
    awaiting_screening INTEGER NOT NULL DEFAULT 0,
    left_at_ms   INTEGER,
    -- The [welcome] keep_roles the member held when they left (one per line): given back when
    -- they return.
    kept_roles   TEXT    NOT NULL DEFAULT '',
    -- The referral this join may earn its inviter: none (it cannot count), pending (waiting for
    -- the newcomer to stay and take part), qualified, or lapsed (left, sanctioned, inactive).
    referral     TEXT    NOT NULL DEFAULT 'none',
    -- Why it lapsed (left, sanctioned, inactive), and when it was settled.
    lapse        TEXT,
    settled_at_ms INTEGER
);

CREATE INDEX joins_by_member ON joins (guild_id, user_id, joined_at_ms);
CREATE INDEX joins_by_inviter ON joins (guild_id, inviter_id, joined_at_ms);

-- Each member's personal invite (/invite), created once by Steward and reused: Discord lists
-- Steward as its creator, so joins through it are credited to the member through this table.
CREATE TABLE personal_invites (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE UNIQUE INDEX personal_invites_by_code ON personal_invites (guild_id, code);

-- Who accepted which version of the charter (crate::charter::Charter::version) and when; a
-- member accepting a newer version replaces their row.
CREATE TABLE charter_acceptances (
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    version        TEXT    NOT NULL,
    accepted_at_ms INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Servers Steward has posted its first-contact checklist to (once per server).
CREATE TABLE guild_greetings (
    guild_id    INTEGER NOT NULL PRIMARY KEY,
    greeted_at_ms INTEGER NOT NULL
);
