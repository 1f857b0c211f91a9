-- Idempotency keys belong to a conversation (the same key in another conversation is a new key there) and
-- carry a fingerprint of the request that used them (the same key with another request is refused).
ALTER TABLE messages ADD COLUMN request_hash TEXT;
DROP INDEX messages_idempotency;
CREATE UNIQUE INDEX messages_idempotency ON messages (conversation_id, idempotency_key);
