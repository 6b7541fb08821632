-- Updates fetched from Telegram but not yet handled. Telegram forgets an update once the bot acknowledges
-- it (the next getUpdates, or a webhook's 200), which happens before a backlog is worked through; keeping
-- each update here until it has been handled means a crash or kill loses no parent's input.
-- `sealed` is the update's JSON sealed with a key derived from PARENTVOICE_SECRET (it holds the sender's
-- Telegram id and text), so the database alone reveals nothing; a row lives only until the update is handled.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    sealed      TEXT NOT NULL,
    received_at TEXT NOT NULL
);
