-- Paying for a plan (src/billing/checkout.rs, webhook.rs): checkout sessions, the card details a processor
-- lets us keep (brand, last four digits, expiry; never the number), invoices, and the processor's events.

CREATE TABLE checkout_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
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
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    exp_month INTEGER NOT NULL,
    exp_year INTEGER NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
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
    created_at BIGINT NOT NULL
);
CREATE INDEX invoices_user ON invoices (user_id, created_at);

-- Every event received from the processor, by its id: a replay is recognised and changes nothing.
CREATE TABLE billing_events (
    id TEXT PRIMARY KEY NOT NULL,
    type TEXT NOT NULL,
    created BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    applied INTEGER NOT NULL
);

-- The newest event applied to a subscription (its `created`, seconds): an older one arriving late never
-- moves the state back.
ALTER TABLE subscriptions ADD COLUMN last_event_at BIGINT NOT NULL DEFAULT 0;
