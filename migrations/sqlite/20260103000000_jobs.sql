-- The scheduler (SQLite flavour; keep in step with ../postgres/). Everything that must happen
-- later is one row here, claimed atomically by one process at a time (src/store/jobs.rs). A row
-- is deleted when its job is done or given up. Times are ms since the Unix epoch; snowflakes are
-- 64-bit integers.

CREATE TABLE jobs (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    -- The job's kind (lift_ban, remind_review) and its guild, also inside the payload.
    kind             TEXT    NOT NULL,
    guild_id         INTEGER NOT NULL,
    -- At most one job per kind and key (a member's temporary ban, a review item); NULL for none.
    dedupe_key       TEXT,
    -- The job as JSON (crate::jobs::Job).
    payload          TEXT    NOT NULL,
    due_at_ms        INTEGER NOT NULL,
    -- Failed runs so far, and the last failure.
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    -- The worker running it and until when its claim holds (NULL: not claimed).
    claimed_by       TEXT,
    claimed_until_ms INTEGER,
    UNIQUE (kind, dedupe_key)
);

CREATE INDEX jobs_by_due ON jobs (due_at_ms);
CREATE INDEX jobs_by_guild ON jobs (guild_id, due_at_ms);

-- Temporary bans scheduled before the jobs table become lift_ban jobs.
INSERT INTO jobs (kind, guild_id, dedupe_key, payload, due_at_ms)
SELECT 'lift_ban', guild_id, guild_id || ':' || user_id,
       json_object('kind', 'lift_ban', 'guild', guild_id, 'user', user_id, 'case', case_number),
       unban_at_ms
FROM scheduled_unbans;

DROP TABLE scheduled_unbans;

-- Open items not recalled yet get their reminder job, due now: the job itself waits until the
-- item is old enough (REVIEW_REMIND_AFTER is a runtime setting).
INSERT INTO jobs (kind, guild_id, dedupe_key, payload, due_at_ms)
SELECT 'remind_review', guild_id, CAST(id AS TEXT),
       json_object('kind', 'remind_review', 'guild', guild_id, 'item', id),
       created_at_ms
FROM review_items
WHERE status = 'open' AND reminded_at_ms IS NULL;
