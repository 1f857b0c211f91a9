-- Edit jobs: a durable queue. Workers claim a queued job (or one whose lease ran out) with one atomic
-- UPDATE, so several server processes can share the table.
CREATE TABLE jobs (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    prompt_message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    target_image_id   TEXT NOT NULL,
    request_json      TEXT NOT NULL,
    state             TEXT NOT NULL,
    progress          INTEGER NOT NULL DEFAULT 0,
    error             TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_until       BIGINT,
    cancel_requested  INTEGER NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX jobs_claim ON jobs (state, created_at);
CREATE UNIQUE INDEX jobs_prompt ON jobs (prompt_message_id);
CREATE INDEX jobs_user ON jobs (user_id);
