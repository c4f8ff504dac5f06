-- 0003: failed log-ins and the soft lock, per associate.
--
-- Kept on the associate's row (not in memory) so that every server node sharing the
-- database sees and counts the same failures. `failed_logins` counts failures since
-- `first_failure_at`; log-ins are refused before `locked_until`. A backend moves them in
-- one write transaction per failure; a successful log-in, an administrator's password set
-- and `netserver user unlock` reset all three.

ALTER TABLE associates ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0
    CHECK (failed_logins >= 0);
ALTER TABLE associates ADD COLUMN first_failure_at INTEGER;
ALTER TABLE associates ADD COLUMN locked_until INTEGER;
