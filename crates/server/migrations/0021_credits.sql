-- Plans and credits (src/billing): each account's plan and its current period, and the credit ledger.

-- The plan an account is on and the period its credits belong to (made on first use: Free, from then).
CREATE TABLE subscriptions (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    plan TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'past_due', 'cancelled')),
    period_start BIGINT NOT NULL,
    period_end BIGINT NOT NULL,
    cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- The only source of a balance: its sum. Rows are never changed (a correction is a new row); they go only
-- with the account. `amount` is signed: a grant or a refund adds, a reservation or an expiry takes away;
-- a settlement (0) marks a reservation as spent. `run` is the job's run (its retries), so each run is
-- reserved once and then settled or refunded once.
CREATE TABLE credit_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'reserve', 'settle', 'refund', 'expire', 'adjust')),
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL,
    job_id TEXT,
    run INTEGER,
    invoice_id TEXT,
    period_start BIGINT
);
CREATE INDEX credit_ledger_user ON credit_ledger (user_id, id);
CREATE UNIQUE INDEX credit_ledger_reserve_once ON credit_ledger (job_id, run) WHERE kind = 'reserve';
CREATE UNIQUE INDEX credit_ledger_end_once ON credit_ledger (job_id, run) WHERE kind IN ('settle', 'refund');

CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledger
BEGIN
    SELECT RAISE(ABORT, 'credit_ledger is append-only');
END;

-- What the current run of a job holds in reserve (0: nothing, such as a job queued before credits existed).
ALTER TABLE jobs ADD COLUMN credits BIGINT NOT NULL DEFAULT 0;
-- The plan's place in the queue when the job was sent (Free 0, Pro 1, Studio 2): higher goes first among
-- people with as many edits running.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;

-- A job's end settles or refunds its reservation in the same statement that ends it, whichever code path
-- ends it (a worker, a cancellation, a crash count): exactly once per run (the unique index above).
CREATE TRIGGER jobs_settle_credits AFTER UPDATE OF state ON jobs
WHEN NEW.state = 'succeeded' AND OLD.state <> 'succeeded' AND NEW.credits > 0
BEGIN
    INSERT OR IGNORE INTO credit_ledger (user_id, at, kind, amount, reason, job_id, run)
    VALUES (NEW.user_id, NEW.updated_at, 'settle', 0, 'edit done', NEW.id, NEW.retries);
END;

CREATE TRIGGER jobs_refund_credits AFTER UPDATE OF state ON jobs
WHEN NEW.state IN ('failed', 'cancelled') AND OLD.state NOT IN ('failed', 'cancelled', 'succeeded')
     AND NEW.credits > 0
BEGIN
    INSERT OR IGNORE INTO credit_ledger (user_id, at, kind, amount, reason, job_id, run)
    VALUES (NEW.user_id, NEW.updated_at, 'refund', NEW.credits,
            CASE NEW.state WHEN 'failed' THEN 'edit failed' ELSE 'edit cancelled' END, NEW.id, NEW.retries);
END;
