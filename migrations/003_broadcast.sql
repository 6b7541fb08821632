-- Forums' linked chats, parents' subscriptions, the persistent outbox and scheduled reminders.
-- A parent's chat id is never stored in the clear: `contacts.sealed_chat` is a Fernet token whose key is
-- derived from PARENTVOICE_SECRET, which never enters this database.

-- Channels and groups a forum has linked (the bot is a member or admin there). Organisations, not parents.
CREATE TABLE forum_chats (
    chat_id     INTEGER PRIMARY KEY,               -- Telegram id of the channel or group
    forum_user  INTEGER NOT NULL,                  -- staff user who added the bot and confirms the link
    forum_code  TEXT,                              -- their forum code (marks deep links), if any
    title       TEXT,
    chat_type   TEXT NOT NULL,                     -- channel | group | supergroup
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'linked')),
    created_at  TEXT NOT NULL,
    linked_at   TEXT
);
CREATE INDEX forum_chats_user ON forum_chats (forum_user, state);

-- A subscription: the parent asked to hear about inspections of their area. Deleted by /unsubscribe,
-- /stop, blocking the bot, and /delete (cascade).
CREATE TABLE contacts (
    respondent    TEXT PRIMARY KEY REFERENCES parents (respondent) ON DELETE CASCADE,
    sealed_chat   TEXT NOT NULL,                   -- Fernet(HKDF(secret)) of the private chat id
    subscribed_at TEXT NOT NULL
);

-- One announcement, reminder or report notice. `dedupe_key` makes creating it idempotent (a second press
-- of the same Confirm button, a reminder fired twice).
CREATE TABLE broadcasts (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('announce', 'reminder', 'report')),
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    forum_code    TEXT,
    languages     TEXT NOT NULL DEFAULT '[]',      -- JSON list of the post's languages
    created_by    TEXT NOT NULL,                   -- 'staff:<user id>', 'operator' or 'scheduler'
    created_at    TEXT NOT NULL,
    dedupe_key    TEXT UNIQUE
);

-- The rendered messages of a broadcast: one variant per language for parents ('parent:pl'), one for the
-- forum post ('post'), split into parts under Telegram's 4096 characters.
CREATE TABLE broadcast_texts (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    variant      TEXT NOT NULL,
    part         INTEGER NOT NULL,
    text         TEXT NOT NULL,                    -- Telegram HTML
    buttons      TEXT,                             -- JSON rows of {"text", "url"} (last part only)
    PRIMARY KEY (broadcast_id, variant, part)
);

-- One row per message to send. `topic` + `recipient` + `part` is unique, so nothing is queued twice
-- (a parent gets one announcement per inspection however many forums announce it).
-- State: queued -> sending -> sent | queued (retry) | blocked | failed | skipped | unknown.
-- 'unknown': the row was 'sending' when the process died; it may have reached Telegram and is not resent.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    topic        TEXT NOT NULL,                    -- 'announce:<inspection>', 'post:<broadcast>', ...
    recipient    TEXT NOT NULL,                    -- a parent's pseudonym, or 'chat:<id>' for a forum's chat
    respondent   TEXT REFERENCES parents (respondent) ON DELETE CASCADE,
    variant      TEXT NOT NULL,
    part         INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'sending', 'sent', 'blocked', 'failed', 'skipped', 'unknown')),
    attempts     INTEGER NOT NULL DEFAULT 0,       -- failed tries that count towards giving up
    not_before   REAL NOT NULL DEFAULT 0,          -- unix time before which a retry must not go
    last_error   TEXT,                             -- an error class or short reason, never a message text
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (topic, recipient, part)
);
CREATE INDEX outbox_pending ON outbox (state, id);
CREATE INDEX outbox_broadcast ON outbox (broadcast_id, state);

-- Work that must happen at a time (reminders before a survey closes); re-armed from here at start-up.
CREATE TABLE scheduled (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,                   -- 'reminder'
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    due_at        TEXT NOT NULL,                   -- ISO 8601, UTC
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped')),
    done_at       TEXT,
    UNIQUE (kind, inspection_id)
);
