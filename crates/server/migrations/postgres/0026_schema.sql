-- The whole schema of SQLite's migrations 0001–0026, written once for PostgreSQL (a new PostgreSQL database
-- starts at this version; later migrations come in pairs, one per database, with the same number).
-- Differences from SQLite's: every integer is BIGINT (flags stay 0/1 integers so queries are the same on
-- both), sequence keys are identity columns, foreign keys are DEFERRABLE (restoring a deleted version
-- re-inserts rows in any order within its transaction), and the append-only rules are PL/pgSQL triggers.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    email_verified_at BIGINT,
    language TEXT NOT NULL DEFAULT 'en',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    avatar_image_id TEXT,
    password_changed_at BIGINT,
    deletion_due_at BIGINT,
    closed_at BIGINT,
    is_admin BIGINT NOT NULL DEFAULT 0,
    disabled_at BIGINT
);

CREATE UNIQUE INDEX users_email ON users (email);

CREATE UNIQUE INDEX users_username ON users (lower(username));

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    id TEXT,
    user_agent TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    last_seen_at BIGINT NOT NULL DEFAULT 0,
    reauth_at BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE images (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    parent_id    TEXT REFERENCES images (id) ON DELETE SET NULL DEFERRABLE,
    blob_key     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    byte_size    BIGINT NOT NULL,
    plan_json    TEXT,
    created_at   BIGINT NOT NULL,
    provider TEXT,
    duration_ms BIGINT,
    evidence_hold BIGINT NOT NULL DEFAULT 0,
    commercial BIGINT NOT NULL DEFAULT 0,
    training_consent BIGINT NOT NULL DEFAULT 0,
    idempotency_key TEXT,
    request_hash TEXT
);

CREATE INDEX images_user ON images (user_id, created_at);

CREATE TABLE conversations (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    title      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    commercial BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX conversations_user ON conversations (user_id, updated_at);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE DEFERRABLE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    position        BIGINT NOT NULL,
    role            TEXT NOT NULL,
    text            TEXT NOT NULL,
    image_id        TEXT REFERENCES images (id) ON DELETE SET NULL DEFERRABLE,
    reply_to        TEXT REFERENCES messages (id) ON DELETE CASCADE DEFERRABLE,
    idempotency_key TEXT,
    created_at      BIGINT NOT NULL,
    request_hash TEXT,
    text_said TEXT
);

CREATE UNIQUE INDEX messages_position ON messages (conversation_id, position);

CREATE TABLE feedback (
    image_id   TEXT PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE DEFERRABLE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    rating     TEXT NOT NULL,
    comment    TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX feedback_user ON feedback (user_id);

CREATE TABLE preferences (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    edit_json  TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE jobs (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE DEFERRABLE,
    prompt_message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE DEFERRABLE,
    target_image_id   TEXT NOT NULL,
    request_json      TEXT NOT NULL,
    state             TEXT NOT NULL,
    progress          BIGINT NOT NULL DEFAULT 0,
    error             TEXT,
    attempts          BIGINT NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_until       BIGINT,
    cancel_requested  BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    crashes BIGINT NOT NULL DEFAULT 0,
    retries BIGINT NOT NULL DEFAULT 0,
    claimed_at BIGINT,
    cost BIGINT NOT NULL DEFAULT 0,
    error_said TEXT,
    credits BIGINT NOT NULL DEFAULT 0,
    priority BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX jobs_claim ON jobs (state, created_at);

CREATE UNIQUE INDEX jobs_prompt ON jobs (prompt_message_id);

CREATE INDEX jobs_user ON jobs (user_id);

CREATE TABLE moderation_log (
    seq           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    prompt_sha256 TEXT NOT NULL,
    category      TEXT NOT NULL,
    decision      TEXT NOT NULL,
    prev_hash     TEXT NOT NULL UNIQUE,
    hash          TEXT NOT NULL UNIQUE
);

CREATE UNIQUE INDEX sessions_id ON sessions (id);

CREATE TABLE consents (
    seq            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
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
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    purpose    TEXT NOT NULL,
    new_email  TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    user_id    TEXT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    attempts   BIGINT NOT NULL DEFAULT 0,
    next_try_at BIGINT NOT NULL,
    last_error TEXT,
    -- The order messages were queued in (SQLite's rowid).
    seq        BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE INDEX outbox_pending ON outbox (sent_at, next_try_at);

CREATE TABLE privacy_settings (
    user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    ai_training BIGINT NOT NULL DEFAULT 1,
    analytics   BIGINT NOT NULL DEFAULT 1,
    email_news  BIGINT NOT NULL DEFAULT 0,
    email_tips  BIGINT NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE data_requests (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    received_at  BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    completed_at BIGINT,
    detail_said TEXT
);

CREATE INDEX data_requests_user ON data_requests (user_id, received_at);

CREATE TABLE policy_versions (
    version      TEXT PRIMARY KEY,
    published_at BIGINT NOT NULL,
    emailed_at   BIGINT
);

CREATE TABLE usage_daily (
    day      TEXT NOT NULL,
    event    TEXT NOT NULL,
    count    BIGINT NOT NULL,
    total_ms BIGINT NOT NULL,
    PRIMARY KEY (day, event)
);

CREATE TABLE error_reports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    path        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE INDEX error_reports_created ON error_reports (created_at);

CREATE TABLE exports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    request_id  TEXT NOT NULL,
    status      TEXT NOT NULL,          -- pending, building, ready, failed, expired
    created_at  BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,                   -- the worker building it (a takeover changes it)
    attempts    BIGINT NOT NULL DEFAULT 0,
    ready_at    BIGINT,
    expires_at  BIGINT,
    size_bytes  BIGINT,
    file_count  BIGINT,
    downloaded_at BIGINT,
    error       TEXT
);

CREATE UNIQUE INDEX exports_one_pending ON exports (user_id) WHERE status IN ('pending', 'building');

CREATE INDEX exports_user ON exports (user_id, created_at);

CREATE INDEX jobs_user_claimed ON jobs (user_id, claimed_at);

CREATE INDEX jobs_user_state ON jobs (user_id, state);

CREATE TABLE usage (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    kind    TEXT NOT NULL,
    at      BIGINT NOT NULL
);

CREATE INDEX usage_user_kind_at ON usage (user_id, kind, at);

CREATE UNIQUE INDEX messages_idempotency ON messages (conversation_id, idempotency_key);

CREATE TABLE trash (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('blob', 'export')),
    key       TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    attempts  BIGINT NOT NULL DEFAULT 0,
    error     TEXT,
    not_before BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX trash_queued ON trash (queued_at);

CREATE INDEX images_blob_key ON images (blob_key);

CREATE UNIQUE INDEX images_idempotency ON images (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE deleted_images (
    id          TEXT PRIMARY KEY,
    token       TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    image_id    TEXT NOT NULL,
    blob_key    TEXT NOT NULL,
    saved       TEXT NOT NULL,
    deleted_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE INDEX deleted_images_token ON deleted_images (token);

CREATE INDEX deleted_images_expiry ON deleted_images (expires_at);

CREATE INDEX deleted_images_blob_key ON deleted_images (blob_key);

CREATE TABLE subscriptions (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
    plan TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'past_due', 'cancelled')),
    period_start BIGINT NOT NULL,
    period_end BIGINT NOT NULL,
    cancel_at_period_end BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    last_event_at BIGINT NOT NULL DEFAULT 0,
    next_plan TEXT,
    retry_at BIGINT,
    processor_customer TEXT,
    processor_subscription TEXT,
    processor_item TEXT
);

CREATE TABLE credit_ledger (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'reserve', 'settle', 'refund', 'expire', 'adjust')),
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL,
    job_id TEXT,
    run BIGINT,
    invoice_id TEXT,
    period_start BIGINT
);

CREATE INDEX credit_ledger_user ON credit_ledger (user_id, id);

CREATE UNIQUE INDEX credit_ledger_reserve_once ON credit_ledger (job_id, run) WHERE kind = 'reserve';

CREATE UNIQUE INDEX credit_ledger_end_once ON credit_ledger (job_id, run) WHERE kind IN ('settle', 'refund');

CREATE TABLE checkout_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
    plan TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'confirming', 'complete')),
    idempotency_key TEXT,
    -- A card that asked for an extra confirmation, as tokenised, until it is confirmed.
    pending_card TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX checkout_sessions_key ON checkout_sessions (user_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE payment_methods (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    exp_month BIGINT NOT NULL,
    exp_year BIGINT NOT NULL,
    is_default BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    charges_fail BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    plan TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('paid', 'open', 'void')),
    period_start BIGINT NOT NULL,
    period_end BIGINT NOT NULL,
    -- How it was paid, as shown: "visa 4242".
    paid_with TEXT,
    created_at BIGINT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    attempts BIGINT NOT NULL DEFAULT 1,
    idempotency_key TEXT,
    processor_invoice TEXT
);

CREATE INDEX invoices_user ON invoices (user_id, created_at);

CREATE TABLE billing_events (
    id TEXT PRIMARY KEY NOT NULL,
    type TEXT NOT NULL,
    created BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    applied BIGINT NOT NULL
);

CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by TEXT,
    used_at BIGINT
);

CREATE TABLE admin_audit (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE UNIQUE INDEX invoices_key ON invoices (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE UNIQUE INDEX subscriptions_processor_customer ON subscriptions (processor_customer)
    WHERE processor_customer IS NOT NULL;

CREATE UNIQUE INDEX invoices_processor_invoice ON invoices (processor_invoice)
    WHERE processor_invoice IS NOT NULL;

ALTER TABLE users ADD CONSTRAINT users_avatar FOREIGN KEY (avatar_image_id) REFERENCES images (id)
    ON DELETE SET NULL DEFERRABLE;

-- Append-only tables: an UPDATE (and where it applies, a DELETE) fails with the table's name.
CREATE FUNCTION vinano_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
    FOR EACH ROW EXECUTE FUNCTION vinano_append_only();
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
    FOR EACH ROW EXECUTE FUNCTION vinano_append_only();
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION vinano_append_only();
CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION vinano_append_only();
CREATE TRIGGER admin_audit_no_update BEFORE UPDATE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION vinano_append_only();
CREATE TRIGGER admin_audit_no_delete BEFORE DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION vinano_append_only();

-- A job's end settles or refunds its reservation in the same statement that ends it, whichever code path
-- ends it: exactly once per run (the unique indexes of credit_ledger).
CREATE FUNCTION vinano_job_credits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.credits > 0 AND NEW.state = 'succeeded' AND OLD.state <> 'succeeded' THEN
        INSERT INTO credit_ledger (user_id, at, kind, amount, reason, job_id, run)
        VALUES (NEW.user_id, NEW.updated_at, 'settle', 0, 'edit done', NEW.id, NEW.retries)
        ON CONFLICT DO NOTHING;
    ELSIF NEW.credits > 0 AND NEW.state IN ('failed', 'cancelled')
          AND OLD.state NOT IN ('failed', 'cancelled', 'succeeded') THEN
        INSERT INTO credit_ledger (user_id, at, kind, amount, reason, job_id, run)
        VALUES (NEW.user_id, NEW.updated_at, 'refund', NEW.credits,
                CASE NEW.state WHEN 'failed' THEN 'edit failed' ELSE 'edit cancelled' END, NEW.id, NEW.retries)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_credits AFTER UPDATE OF state ON jobs
    FOR EACH ROW EXECUTE FUNCTION vinano_job_credits();

-- Writes for a closed (purged) account are refused (the server adds this trigger to every table with a
-- user_id column at each start, as on SQLite).
CREATE FUNCTION vinano_open_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'account closed';
    END IF;
    RETURN NEW;
END;
$$;
