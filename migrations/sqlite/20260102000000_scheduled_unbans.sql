-- Temporary bans: when each is to be lifted. One row per banned member; a new ban replaces it,
-- an unban (manual or on time) removes it. Keep in step with ../postgres/.
CREATE TABLE scheduled_unbans (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    unban_at_ms INTEGER NOT NULL,
    case_number INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE INDEX scheduled_unbans_by_time ON scheduled_unbans (unban_at_ms);
