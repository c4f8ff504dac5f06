-- 0006: tenants.
--
-- A tenant is a customer of an Online installation, named by the first path segment
-- (`/Cust12345/Remote/Services88/User.svc`); `name_key` is its name lowercased by the
-- application and carries the case-insensitive uniqueness. Tenant 1 is the built-in
-- default tenant of paths without a customer segment; every row written before this
-- version belongs to it.
--
-- Associates and apps are rebuilt so that their names are unique per tenant rather than
-- in the whole store (SQLite cannot drop a column's UNIQUE constraint in place). The
-- migration runner turns foreign-key enforcement off around migrations and runs
-- `foreign_key_check` before committing, as SQLite's table-rebuild procedure asks.
-- Tickets and the password history belong to the tenant of their associate.

CREATE TABLE tenants (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

INSERT INTO tenants (id, name, name_key, created_at)
    VALUES (1, 'default', 'default', CAST(strftime('%s', 'now') AS INTEGER));

CREATE TABLE associates_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        INTEGER NOT NULL DEFAULT 1 REFERENCES tenants (id),
    name             TEXT    NOT NULL,
    name_key         TEXT    NOT NULL,
    full_name        TEXT    NOT NULL,
    user_type        TEXT    NOT NULL
                     CHECK (user_type IN ('internal', 'resource', 'external', 'system')),
    rights           TEXT    NOT NULL,
    retired          INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    password_hash    TEXT,
    created_at       INTEGER,
    must_change      INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
    failed_logins    INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    first_failure_at INTEGER,
    locked_until     INTEGER,
    UNIQUE (tenant_id, name_key)
);

INSERT INTO associates_new
    (id, tenant_id, name, name_key, full_name, user_type, rights, retired, password_hash,
     created_at, must_change, failed_logins, first_failure_at, locked_until)
SELECT id, 1, name, name_key, full_name, user_type, rights, retired, password_hash,
       created_at, must_change, failed_logins, first_failure_at, locked_until
FROM associates;

DROP TABLE associates;
ALTER TABLE associates_new RENAME TO associates;

CREATE TABLE apps_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL DEFAULT 1 REFERENCES tenants (id),
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL,
    digest          BLOB    NOT NULL UNIQUE CHECK (length(digest) = 32),
    user_management INTEGER NOT NULL DEFAULT 0 CHECK (user_management IN (0, 1)),
    created_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    UNIQUE (tenant_id, name_key)
);

INSERT INTO apps_new
    (id, tenant_id, name, name_key, digest, user_management, created_at, revoked_at)
SELECT id, 1, name, name_key, digest, user_management, created_at, revoked_at
FROM apps;

DROP TABLE apps;
ALTER TABLE apps_new RENAME TO apps;

ALTER TABLE audit ADD COLUMN tenant_id INTEGER NOT NULL DEFAULT 1 REFERENCES tenants (id);

CREATE INDEX audit_tenant_at ON audit (tenant_id, at);
