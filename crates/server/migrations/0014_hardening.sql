-- Hardening: jobs count the times their worker died while running them (a poison job is failed after two,
-- never claimed again), how often the person retried them (capped), and when they were last claimed (the
-- fair queue serves whoever was served longest ago first).
ALTER TABLE jobs ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN claimed_at BIGINT;
CREATE INDEX jobs_user_claimed ON jobs (user_id, claimed_at);
CREATE INDEX jobs_user_state ON jobs (user_id, state);
