-- Quotas: one row per counted action (an upload, a new conversation, a converted download) for the per-hour
-- limits. Rows outlive deleting what they counted (deleting and redoing gains nothing) and are removed once
-- they are an hour old; they go with the account.
CREATE TABLE usage (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX usage_user_kind_at ON usage (user_id, kind, at);
