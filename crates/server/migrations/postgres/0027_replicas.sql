-- Brute-force limits shared by every replica (used when the server runs on PostgreSQL; one SQLite process
-- keeps them in memory). One row per bucket: `name` is a keyed hash of the address or account it counts, never
-- the address or account itself. A token bucket keeps its theoretical arrival time in `until_ms` (the row can
-- go once that has passed); a window of failed log-ins keeps its end there and its count in `hits`.
CREATE TABLE rate_limits (
    scope    TEXT NOT NULL,
    name     TEXT NOT NULL,
    until_ms BIGINT NOT NULL,
    hits     BIGINT NOT NULL,
    PRIMARY KEY (scope, name)
);
CREATE INDEX rate_limits_until ON rate_limits (until_ms);

-- A finished export's file, named per build (`<export id><8 hex digits>`), so a build that lost its lease can
-- remove what it wrote without touching the file of the build that took over. Empty for exports finished
-- before this migration: their file is named by the export's id.
ALTER TABLE exports ADD COLUMN file_name TEXT;

-- Facts about the deployment every replica checks at start: `master_key_check`, a keyed hash that tells
-- whether a replica's master key is the one the stored images are sealed with (the key itself is never here).
CREATE TABLE instance (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
