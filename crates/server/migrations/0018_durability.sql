-- Files to remove, written in the same transaction as the delete that stopped naming them: a crash after
-- the commit can no longer leave a deleted image or export on disk, because the next pass of the emptier
-- finds the row and removes the file (then the row).
CREATE TABLE trash (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('blob', 'export')),
    key       TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 0,
    error     TEXT
);
CREATE INDEX trash_queued ON trash (queued_at);
-- The reconciler compares each fan-out directory of the blob store with the rows that name its files.
CREATE INDEX images_blob_key ON images (blob_key);
-- Uploads take an Idempotency-Key too: a retry after a lost 201 answers with the image already made.
ALTER TABLE images ADD COLUMN idempotency_key TEXT;
ALTER TABLE images ADD COLUMN request_hash TEXT;
CREATE UNIQUE INDEX images_idempotency ON images (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
