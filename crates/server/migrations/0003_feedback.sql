-- A person's rating of a result (one per image version; changing it replaces it).
CREATE TABLE feedback (
    image_id   TEXT PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating     TEXT NOT NULL,
    comment    TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX feedback_user ON feedback (user_id);
