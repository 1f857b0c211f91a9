-- The payment processor's own ids for an account (Stripe: `cus_…`, `sub_…` and the subscription's item
-- `si_…`), so its events find the account and a deleted account's customer record is deleted there too.
-- Local test-mode accounts leave them empty. They go with the account (the subscription row does).
ALTER TABLE subscriptions ADD COLUMN processor_customer TEXT;
ALTER TABLE subscriptions ADD COLUMN processor_subscription TEXT;
ALTER TABLE subscriptions ADD COLUMN processor_item TEXT;
CREATE UNIQUE INDEX subscriptions_processor_customer ON subscriptions (processor_customer)
    WHERE processor_customer IS NOT NULL;

-- A processor's invoice is recorded once, whichever of its events arrives first.
ALTER TABLE invoices ADD COLUMN processor_invoice TEXT;
CREATE UNIQUE INDEX invoices_processor_invoice ON invoices (processor_invoice)
    WHERE processor_invoice IS NOT NULL;
