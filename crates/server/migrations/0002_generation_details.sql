-- Which executor produced a version and how long it took, shown to the user next to the result.
ALTER TABLE images ADD COLUMN provider TEXT;
ALTER TABLE images ADD COLUMN duration_ms BIGINT;
