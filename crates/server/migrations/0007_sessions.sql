-- Sessions people can see and end: a public id (never the token or its hash), the browser and address they
-- were started from, and when they were last used (for the idle timeout).
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET id = substr(token_hash, 1, 32), last_seen_at = created_at;
CREATE UNIQUE INDEX sessions_id ON sessions (id);
