-- Variants: the versions one job made as candidates to pick from ("Show 4 variants") share the job's id here;
-- the reply message shows the picked one and offers the rest beside it. Empty for a single result.
ALTER TABLE images ADD COLUMN batch TEXT;
CREATE INDEX images_batch ON images (batch) WHERE batch IS NOT NULL;
