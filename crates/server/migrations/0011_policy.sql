-- Published versions of the privacy policy: a new current version is recorded at start-up, and every
-- account is emailed about it once.
CREATE TABLE policy_versions (
    version      TEXT PRIMARY KEY,
    published_at BIGINT NOT NULL,
    emailed_at   BIGINT
);
