-- Staff roles, one-time invite codes and the audit trail.
-- Role holders (forums, inspectors, admins) are staff and not anonymous: their Telegram ids are stored here,
-- and only here. Parents never appear in these tables.

CREATE TABLE roles (
    user_id       INTEGER NOT NULL,             -- Telegram user id of the staff member
    role          TEXT NOT NULL CHECK (role IN ('forum', 'inspector', 'admin')),
    inspection_id TEXT NOT NULL DEFAULT '',     -- inspectors: the one inspection; '' otherwise
    forum_code    TEXT,                         -- forums: the short code that marks their deep links
    label         TEXT,                         -- e.g. the forum's name, given at invite time
    granted_at    TEXT NOT NULL,
    PRIMARY KEY (user_id, role, inspection_id)
);

CREATE TABLE invites (
    code_hash     TEXT PRIMARY KEY,             -- keyed hash of the code; the code itself is never stored
    role          TEXT NOT NULL,
    inspection_id TEXT NOT NULL DEFAULT '',
    label         TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,                    -- 'operator', 'staff:<user id>' or 'parent' (never a parent's id)
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
);

-- Withdrawal codes let a parent delete a submitted response from any account; stored only as a hash.
ALTER TABLE responses ADD COLUMN withdraw_hash TEXT;
CREATE UNIQUE INDEX responses_withdraw ON responses (withdraw_hash) WHERE withdraw_hash IS NOT NULL;

-- After the retention period (or `parentvoice purge`), only suppressed aggregates of an inspection remain.
CREATE TABLE report_snapshots (
    inspection_id TEXT PRIMARY KEY REFERENCES inspections (id),
    created_at    TEXT NOT NULL,
    aggregates    TEXT NOT NULL               -- the JSON report: aggregates only, small counts suppressed
);
ALTER TABLE inspections ADD COLUMN purged_at TEXT;
-- When the final report went to the inspectors (sent once, when the survey closes).
ALTER TABLE inspections ADD COLUMN final_report_sent_at TEXT;
