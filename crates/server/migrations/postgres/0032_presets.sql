-- My presets (src/presets.rs): the steps of a version a person liked, saved under a name and an icon, to run
-- again on other photos. Each keeps its own copy of the plan (deleting the version leaves the preset), and
-- goes with its owner.
CREATE TABLE presets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    icon TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX presets_user ON presets (user_id, created_at);
