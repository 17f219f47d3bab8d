-- Statistics (SQLite flavour; keep in step with ../postgres/): members who opted out of
-- rankings, the reports already posted (so a restart never posts one twice), answers and
-- newcomers' first messages, and what reports read by hour.

CREATE TABLE stats_optouts (
    guild_id         INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    opted_out_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- One row per report posted: claimed before the post, removed again if the post failed.
CREATE TABLE posted_reports (
    guild_id      INTEGER NOT NULL,
    -- The period, as 2026-W47 or 2026-11.
    period        TEXT    NOT NULL,
    posted_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, period)
);

-- Of a member's messages, the replies to someone else's (who answers others most).
ALTER TABLE message_activity ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;

-- A newcomer's first message after joining, and the first answer to it by another member within
-- an hour (crate::first_messages): how welcoming the community is.
ALTER TABLE joins ADD COLUMN first_message_at_ms INTEGER;
ALTER TABLE joins ADD COLUMN first_answer_at_ms INTEGER;

-- Reports read a period's counters by hour: this index holds every column they need, so the
-- rows themselves are never visited.
DROP INDEX message_activity_by_hour;
CREATE INDEX message_activity_by_hour ON message_activity (guild_id, hour, user_id, channel_id, messages, replies);

CREATE INDEX joins_by_time ON joins (guild_id, joined_at_ms);
CREATE INDEX cases_by_time ON cases (guild_id, created_at_ms);
CREATE INDEX review_items_by_time ON review_items (guild_id, created_at_ms);
