-- What a parent typed while a question wanted a button press is kept as a note on that question, scrubbed
-- like any free text, instead of being thrown away (issue 9). Reports ignore notes for now. Deleted with the
-- response (withdrawal, /delete, retention purge).
CREATE TABLE answer_comments (
    response_id   INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    text          TEXT NOT NULL,                   -- scrubbed
    text_language TEXT,                            -- detected language
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);
