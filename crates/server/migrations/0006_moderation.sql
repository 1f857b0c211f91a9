-- The moderation audit log: one row per decision, hash-chained (each row's hash covers the previous row's
-- hash and its own fields). Append-only: the database refuses updates and deletes.
CREATE TABLE moderation_log (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    prompt_sha256 TEXT NOT NULL,
    category      TEXT NOT NULL,
    decision      TEXT NOT NULL,
    prev_hash     TEXT NOT NULL UNIQUE,
    hash          TEXT NOT NULL UNIQUE
);

CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;

CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;

-- Evidence hold: content kept for legal reasons; deletion and retention must skip it.
ALTER TABLE images ADD COLUMN evidence_hold INTEGER NOT NULL DEFAULT 0;
