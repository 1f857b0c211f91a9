-- Each person's defaults for the editor (aspect ratio, style, format), updated to their last choices.
CREATE TABLE preferences (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    edit_json  TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
