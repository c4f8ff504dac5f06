-- 0004: registered applications and their tokens.
--
-- A token is stored only as the SHA-256 digest of its clear value; the digest is the
-- lookup key. `name_key` is the name lowercased by the application and carries the
-- case-insensitive uniqueness. `user_management` 0 marks a partner app. `revoked_at` is
-- NULL while the app is in use. Times are whole seconds since the Unix epoch.

CREATE TABLE apps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL UNIQUE,
    digest          BLOB    NOT NULL UNIQUE CHECK (length(digest) = 32),
    user_management INTEGER NOT NULL DEFAULT 0 CHECK (user_management IN (0, 1)),
    created_at      INTEGER NOT NULL,
    revoked_at      INTEGER
);
