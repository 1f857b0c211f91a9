-- Data exports (portability): requested, built in the background into an encrypted ZIP under
-- <data dir>/exports, downloadable for 24 hours by a session that entered its password in the last 10 minutes.
CREATE TABLE exports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    request_id  TEXT NOT NULL,
    status      TEXT NOT NULL,          -- pending, building, ready, failed, expired
    created_at  BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,                   -- the worker building it (a takeover changes it)
    attempts    INTEGER NOT NULL DEFAULT 0,
    ready_at    BIGINT,
    expires_at  BIGINT,
    size_bytes  BIGINT,
    file_count  BIGINT,
    downloaded_at BIGINT,
    error       TEXT
);
-- One export being prepared per person, even under double submits.
CREATE UNIQUE INDEX exports_one_pending ON exports (user_id) WHERE status IN ('pending', 'building');
CREATE INDEX exports_user ON exports (user_id, created_at);

-- When the session last proved its password (logging in counts): downloads of exports need it recent.
ALTER TABLE sessions ADD COLUMN reauth_at BIGINT NOT NULL DEFAULT 0;
