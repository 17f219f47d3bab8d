-- Review queue (SQLite flavour; keep in step with ../postgres/). Messages held or flagged by the
-- charter, or reported by members, wait here for a moderator's decision. Times are ms since the
-- Unix epoch; snowflakes are 64-bit integers.

CREATE TABLE review_items (
    id                INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    guild_id          INTEGER NOT NULL,
    channel_id        INTEGER NOT NULL,
    message_id        INTEGER NOT NULL,
    author_id         INTEGER NOT NULL,
    author_name       TEXT    NOT NULL,
    author_avatar     TEXT,
    content           TEXT    NOT NULL,
    -- Attachments as lines "name<TAB>url".
    attachments       TEXT    NOT NULL DEFAULT '',
    -- The first rule that matched (NULL for a member report), then every rule, comma-separated.
    rule              TEXT,
    rules             TEXT    NOT NULL DEFAULT '',
    matched           TEXT    NOT NULL DEFAULT '',
    -- hold | flag | report
    source            TEXT    NOT NULL,
    -- open | approved | removed | dismissed
    status            TEXT    NOT NULL DEFAULT 'open',
    -- approve | remove | warn | timeout | ban | dismiss
    decision          TEXT,
    review_channel_id INTEGER,
    review_message_id INTEGER,
    created_at_ms     INTEGER NOT NULL,
    decided_at_ms     INTEGER,
    decided_by        INTEGER,
    reminded_at_ms    INTEGER,
    report_count      INTEGER NOT NULL DEFAULT 0
);

-- One open item per message: later holds, flags and reports merge into it.
CREATE UNIQUE INDEX review_items_open_message ON review_items (guild_id, message_id) WHERE status = 'open';
CREATE INDEX review_items_by_status ON review_items (guild_id, status, created_at_ms);

CREATE TABLE review_reports (
    item_id       INTEGER NOT NULL REFERENCES review_items (id),
    guild_id      INTEGER NOT NULL,
    reporter_id   INTEGER NOT NULL,
    reason        TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (item_id, reporter_id)
);

CREATE INDEX review_reports_by_reporter ON review_reports (guild_id, reporter_id, created_at_ms);
