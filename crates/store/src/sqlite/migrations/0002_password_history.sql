-- 0002: must-change-at-next-log-in flag and password history.
--
-- `password_history` keeps the hashes a password change replaced, newest last, trimmed to
-- the configured length by each change; a change compares the new password against them.

ALTER TABLE associates ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0
    CHECK (must_change IN (0, 1));

CREATE TABLE password_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    associate_id  INTEGER NOT NULL REFERENCES associates (id),
    password_hash TEXT    NOT NULL,
    replaced_at   INTEGER NOT NULL
);

CREATE INDEX password_history_associate ON password_history (associate_id, id);
