-- Operator controls (src/admin.rs): who administers this ViNano, the invitations that let people sign up
-- when sign-ups are by invitation, and the audit log of every administrator's act.

ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;

-- An invitation is its code's SHA-256 (the code itself is only in the link given out); used once.
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by TEXT,
    used_at BIGINT
);

-- Append-only: who (an administrator's id, or `cli` for the server's admin commands) did what to whom.
CREATE TABLE admin_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TRIGGER admin_audit_no_update BEFORE UPDATE ON admin_audit
BEGIN
    SELECT RAISE(ABORT, 'admin_audit is append-only');
END;

CREATE TRIGGER admin_audit_no_delete BEFORE DELETE ON admin_audit
BEGIN
    SELECT RAISE(ABORT, 'admin_audit is append-only');
END;
