-- Data-rights requests (export, deletion, correction) with their one-month due date, and account deletion
-- with a grace period. A purged account leaves only a minimal closed-account record (the users row with
-- every personal field blanked and closed_at set), kept for 3 years.
CREATE TABLE data_requests (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    received_at  BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    completed_at BIGINT
);
CREATE INDEX data_requests_user ON data_requests (user_id, received_at);

ALTER TABLE users ADD COLUMN deletion_due_at BIGINT;
ALTER TABLE users ADD COLUMN closed_at BIGINT;
