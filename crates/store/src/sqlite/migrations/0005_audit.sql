-- 0005: the audit trail names the calling application and the request's operation id.
--
-- Both are NULL for rows written before this version and for the CLI's verbs (no app, no
-- request). Rows are only ever inserted, and deleted only by the retention sweep, which
-- uses the index on `at` from 0001. The indexes below serve `netserver audit --associate`
-- and the look-up of one request's records by its operation id.

ALTER TABLE audit ADD COLUMN operation_id TEXT;
ALTER TABLE audit ADD COLUMN app TEXT;

CREATE INDEX audit_operation_id ON audit (operation_id);
CREATE INDEX audit_actor ON audit (actor);
CREATE INDEX audit_target ON audit (target);
