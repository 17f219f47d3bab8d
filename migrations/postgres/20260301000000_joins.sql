-- Joins and their referral attribution (PostgreSQL flavour; keep in step with ../sqlite/). One row
-- per join, rejoins included (src/store/joins.rs). Times are ms since the Unix epoch; snowflakes
-- are 64-bit integers.

CREATE TABLE joins (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id     BIGINT  NOT NULL,
    user_id      BIGINT  NOT NULL,
    joined_at_ms BIGINT  NOT NULL,
    -- exact, ambiguous, vanity or unknown (crate::community::referrals::Confidence).
    confidence   TEXT    NOT NULL,
    -- The invite and its creator, when exact.
    invite_code  TEXT,
    inviter_id   BIGINT ,
    -- When ambiguous: the invites that may have been used, comma-separated.
    candidates   TEXT    NOT NULL DEFAULT '',
    -- 1 when the member had joined before.
    rejoin       BIGINT  NOT NULL DEFAULT 0,
    left_at_ms   BIGINT 
);

CREATE INDEX joins_by_member ON joins (guild_id, user_id, joined_at_ms);
CREATE INDEX joins_by_inviter ON joins (guild_id, inviter_id, joined_at_ms);
