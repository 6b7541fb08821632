-- Issue 11.3: which scrubber cleaned each stored free text (bot/privacy/scrub_version.py: a digest of the
-- scrubber's code, name lists and lexicons). A report re-scrubs a quote only when this differs from the running
-- scrubber's version. NULL: a closed answer, or text stored before this column (always re-scrubbed).
ALTER TABLE answers ADD COLUMN scrubber_version TEXT;
-- Notes typed at button questions are scrubbed free text too. A note that grows under another version than
-- the one it was stored with gets NULL (bot/storage/comments.py), since part of it is older.
ALTER TABLE answer_comments ADD COLUMN scrubber_version TEXT;
