-- An administrator can disable an account (src/admin/people.rs): it is signed out everywhere and refused at
-- sign-in until enabled again. Its data stays, and so do its rights (access, export, deletion by request).
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
