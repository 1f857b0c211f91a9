-- What a job costs (the most pixels its plan holds at once): the queue serves whoever has used the least
-- of it in the last minute, so one person's 40-megapixel edits don't take the machine from everyone else.
ALTER TABLE jobs ADD COLUMN cost BIGINT NOT NULL DEFAULT 0;
