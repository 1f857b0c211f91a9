-- Usage analytics, stored only in anonymised form: counts and total durations per day and event, no person.
CREATE TABLE usage_daily (
    day      TEXT NOT NULL,
    event    TEXT NOT NULL,
    count    BIGINT NOT NULL,
    total_ms BIGINT NOT NULL,
    PRIMARY KEY (day, event)
);

-- Error reports from the app (a crash, a failed request), with the person's optional description.
CREATE TABLE error_reports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    path        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX error_reports_created ON error_reports (created_at);
