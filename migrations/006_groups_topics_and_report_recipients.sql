-- Issue 9 (groups): a forum supergroup's topic for announcements, the forum member's language for the
-- private notice when a chat is unlinked, and which inspectors have had an inspection's final report.

-- The topic (message_thread_id) announcements go to in a forum supergroup; NULL: the General topic.
ALTER TABLE forum_chats ADD COLUMN thread_id INTEGER;
-- The Telegram app language of the forum member who linked the chat (staff, not a parent).
ALTER TABLE forum_chats ADD COLUMN language TEXT;

-- One row per inspector and inspection once the final report was sent, or given up on (the inspector
-- blocked the bot): each inspector gets it once, and one failure never holds up the others.
CREATE TABLE final_report_recipients (
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,                -- the inspector's Telegram id (staff, as in roles)
    state         TEXT NOT NULL CHECK (state IN ('sent', 'failed', 'retry')),
    attempts      INTEGER NOT NULL DEFAULT 0,      -- tries that failed for a passing reason
    last_error    TEXT,                            -- an error class, never a message text
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (inspection_id, user_id)
);
