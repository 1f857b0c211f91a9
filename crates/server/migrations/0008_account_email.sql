-- Accounts, complete: verified email, profile settings, and the statements accepted at sign-up; email goes
-- through an outbox; single-use links (email verification, password reset, email change) are stored hashed.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE users ADD COLUMN avatar_image_id TEXT REFERENCES images (id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN password_changed_at BIGINT;

-- What each person accepted, with the version and the time: append-only (the privacy ledger of #6 builds
-- on it).
CREATE TABLE consents (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    what           TEXT NOT NULL,
    old_value      TEXT,
    new_value      TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    source         TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX consents_user ON consents (user_id, seq);

CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    new_email  TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    user_id    TEXT REFERENCES users (id) ON DELETE SET NULL,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_try_at BIGINT NOT NULL,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, next_try_at);
