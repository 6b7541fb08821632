-- ParentVoice schema, version 1.
-- Parents are keyed by `respondent`: HMAC-SHA256 of the Telegram user id with a secret kept outside this
-- database. No Telegram id, name or username of a parent is stored anywhere in it.

CREATE TABLE inspections (
    id                  TEXT PRIMARY KEY,          -- short random id, also used in deep links
    area_code           TEXT NOT NULL,             -- ONS code of the local area partnership
    survey_opens        TEXT NOT NULL,             -- ISO date, first day the survey is open (Europe/London)
    survey_closes       TEXT NOT NULL,             -- ISO date, last day the survey is open (inclusive)
    visit_starts        TEXT,
    visit_ends          TEXT,
    official_survey_url TEXT,
    questionnaire_id    TEXT NOT NULL DEFAULT 'area_send',
    report_url          TEXT,                      -- the published inspection report, once out
    created_at          TEXT NOT NULL
);
CREATE INDEX inspections_area ON inspections (area_code, survey_closes);

-- One row per parent: the conversation outside a response (language, consent, area). Where a parent is
-- follows from what is filled in, so no separate phase is stored.
CREATE TABLE parents (
    respondent   TEXT PRIMARY KEY,
    language     TEXT,
    consent_at   TEXT,                             -- explicit consent to special category data
    area_code    TEXT,
    inspection_id TEXT REFERENCES inspections (id),
    response_id  INTEGER,                          -- the response being answered now
    source       TEXT,                             -- the forum whose deep link brought the parent
    stopped      INTEGER NOT NULL DEFAULT 0,       -- /stop: send nothing unprompted
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- One response per parent per child per inspection.
CREATE TABLE responses (
    id                    INTEGER PRIMARY KEY,
    respondent            TEXT NOT NULL REFERENCES parents (respondent) ON DELETE CASCADE,
    inspection_id         TEXT NOT NULL REFERENCES inspections (id),
    child                 INTEGER NOT NULL DEFAULT 1,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    language              TEXT NOT NULL,
    source                TEXT,
    state                 TEXT NOT NULL,           -- the engine's SurveyState as JSON
    status                TEXT NOT NULL DEFAULT 'in_progress',  -- in_progress | submitted
    started_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    submitted_at          TEXT,
    UNIQUE (respondent, inspection_id, child)
);
CREATE INDEX responses_inspection ON responses (inspection_id, status);

-- Answers in long format: one row per question, stamped with the questionnaire version.
CREATE TABLE answers (
    response_id           INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id           TEXT NOT NULL,
    value                 TEXT NOT NULL,           -- JSON
    questionnaire_version INTEGER NOT NULL,
    text_language         TEXT,                    -- detected language of a free-text answer
    answered_at           TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);

-- Themes of an answer, with where each came from: classifier, rule (closed answers) or parent.
CREATE TABLE answer_themes (
    response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    theme_id    TEXT NOT NULL,
    source      TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id, theme_id, source)
);

-- Flags raised by free text (safeguarding, possible unlawful practice, ...): counted, nothing else.
CREATE TABLE answer_flags (
    response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    flag_id     TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id, flag_id)
);

-- Update ids already handled, so a redelivered update is processed once.
CREATE TABLE processed_updates (
    update_id    INTEGER PRIMARY KEY,
    processed_at TEXT NOT NULL
);
