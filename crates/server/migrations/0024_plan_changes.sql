-- Changing plans, cards on file and paying after a failed renewal (src/billing/change.rs, cards.rs,
-- dunning.rs).

-- A lower paid plan chosen for the next period: a downgrade takes effect when the paid period ends.
ALTER TABLE subscriptions ADD COLUMN next_plan TEXT;
-- While past due: when the unpaid renewal is tried again (ms).
ALTER TABLE subscriptions ADD COLUMN retry_at BIGINT;
-- A test card that can be added but whose every charge fails (the local processor's 4000 0000 0000 0341).
ALTER TABLE payment_methods ADD COLUMN charges_fail INTEGER NOT NULL DEFAULT 0;
-- What an invoice is for when it isn't a plain period ("Upgrade from Pro to Studio, prorated"), and how
-- many times it was charged.
ALTER TABLE invoices ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
-- A plan change's Idempotency-Key: the same upgrade sent twice is charged once.
ALTER TABLE invoices ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX invoices_key ON invoices (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
