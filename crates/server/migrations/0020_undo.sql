-- A deleted version can be brought back for a few seconds ("Undo"). Its row leaves `images` at once (so it
-- is gone from every list, count and export), and what it was is kept here until the deadline: the row and
-- its rating as JSON, and which messages, versions and avatar named it. Its file waits in the deletion queue
-- until shortly after the deadline (`not_before`), then goes like any other.
ALTER TABLE trash ADD COLUMN not_before BIGINT NOT NULL DEFAULT 0;
CREATE TABLE deleted_images (
    id          TEXT PRIMARY KEY,
    token       TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    image_id    TEXT NOT NULL,
    blob_key    TEXT NOT NULL,
    saved       TEXT NOT NULL,
    deleted_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX deleted_images_token ON deleted_images (token);
CREATE INDEX deleted_images_expiry ON deleted_images (expires_at);
CREATE INDEX deleted_images_blob_key ON deleted_images (blob_key);
