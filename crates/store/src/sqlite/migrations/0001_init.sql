-- 0001: associates, tickets, audit.
--
-- Ids of associates come from AUTOINCREMENT so that they start at 1 and are never reused
-- after a delete; 0 and negative ids are never valid. `name_key` is the log-in name
-- lowercased by the application (Unicode-aware, unlike SQLite's ASCII-only lower()) and
-- carries the case-insensitive uniqueness. Times are whole seconds since the Unix epoch.

CREATE TABLE associates (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    name_key      TEXT    NOT NULL UNIQUE,
    full_name     TEXT    NOT NULL,
    user_type     TEXT    NOT NULL
                  CHECK (user_type IN ('internal', 'resource', 'external', 'system')),
    rights        TEXT    NOT NULL,
    retired       INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    password_hash TEXT,
    created_at    INTEGER
);

-- A ticket is stored only as the SHA-256 digest of its secret part.
CREATE TABLE tickets (
    id           TEXT    PRIMARY KEY,
    digest       BLOB    NOT NULL CHECK (length(digest) = 32),
    associate_id INTEGER NOT NULL REFERENCES associates (id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);

CREATE INDEX tickets_associate_id ON tickets (associate_id);
CREATE INDEX tickets_expires_at ON tickets (expires_at);

-- No foreign keys: an audit row outlives its subjects and may name ids that never existed
-- (a failed SetPassword on an unknown associate is still audited).
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     INTEGER,
    target    INTEGER,
    operation TEXT    NOT NULL,
    outcome   TEXT    NOT NULL,
    client    TEXT
);

CREATE INDEX audit_at ON audit (at);
