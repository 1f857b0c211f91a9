-- The brushed selection a version's steps were done in ("erase this", "make this brighter"): a PNG mask,
-- sealed with the master key under the owner's name, as base64. Empty for versions made without one. It goes
-- with its row (deleting the version deletes it).
ALTER TABLE images ADD COLUMN selection TEXT;
