-- Share links (src/sharing.rs): a read-only link to one version or to a whole conversation, made by its owner.
-- The link's token is looked up by its hash; the owner's copy of it is sealed with the master key. A link
-- goes with what it shows (deleting the version or the conversation deletes it) and with its owner.
CREATE TABLE shares (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    token_sealed TEXT NOT NULL,
    image_id TEXT REFERENCES images (id) ON DELETE CASCADE,
    conversation_id TEXT REFERENCES conversations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    views BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX shares_token ON shares (token_hash);
CREATE INDEX shares_user ON shares (user_id, created_at);
CREATE INDEX shares_image ON shares (image_id);
CREATE INDEX shares_conversation ON shares (conversation_id);
