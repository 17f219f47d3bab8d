-- Statistics (PostgreSQL flavour; keep in step with ../sqlite/): members who opted out of
-- rankings, and the reports already posted (so a restart never posts one twice).

CREATE TABLE stats_optouts (
    guild_id         BIGINT  NOT NULL,
    user_id          BIGINT  NOT NULL,
    opted_out_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- One row per report posted: claimed before the post, removed again if the post failed.
CREATE TABLE posted_reports (
    guild_id      BIGINT  NOT NULL,
    -- The period, as 2026-W47 or 2026-11.
    period        TEXT    NOT NULL,
    posted_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, period)
);

-- Reports read a period's counters by hour: this index holds every column they need, so the
-- rows themselves are never visited.
DROP INDEX message_activity_by_hour;
CREATE INDEX message_activity_by_hour ON message_activity (guild_id, hour, user_id, channel_id, messages);

CREATE INDEX joins_by_time ON joins (guild_id, joined_at_ms);
CREATE INDEX cases_by_time ON cases (guild_id, created_at_ms);
CREATE INDEX review_items_by_time ON review_items (guild_id, created_at_ms);
