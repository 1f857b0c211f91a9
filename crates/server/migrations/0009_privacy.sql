-- Privacy settings (one row per person once they change anything; defaults otherwise), the "commercial use"
-- flags on images and conversations, and explicit per-image consent to training for a commercial image.
CREATE TABLE privacy_settings (
    user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    ai_training INTEGER NOT NULL DEFAULT 1,
    analytics   INTEGER NOT NULL DEFAULT 1,
    email_news  INTEGER NOT NULL DEFAULT 0,
    email_tips  INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL
);

ALTER TABLE images ADD COLUMN commercial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN training_consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN commercial INTEGER NOT NULL DEFAULT 0;

-- The consent ledger only grows: a change is a new row, never an edited one. (Rows go only with the
-- account itself, when it is purged.)
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN
    SELECT RAISE(ABORT, 'consents is append-only');
END;
