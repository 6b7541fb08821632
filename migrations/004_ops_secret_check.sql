-- The secret check (issue 13.2). PARENTVOICE_SECRET never enters the database; what is stored is
--  * check_value: HMAC-SHA256 of a fixed label keyed with the secret, so a start with another secret is refused
--    (with another secret /delete would find nobody and say "deleted" while the answers stay);
--  * wrapped_key: the data key that pseudonyms, code hashes and sealed chats are keyed with, encrypted
--    (Fernet, key derived from the secret with HKDF). Until a rotation the data key is the first secret itself,
--    so databases made before this table behave exactly as before. `parentvoice rotate-secret` re-wraps it.
CREATE TABLE secret_check (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    check_value TEXT NOT NULL,
    wrapped_key TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    rotated_at  TEXT
);
