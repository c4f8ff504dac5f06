//! Registered applications.

use super::*;

pub(crate) fn insert_app(conn: &Connection, new: &NewApp) -> Result<AppRecord> {
    cached(
        conn,
        "INSERT INTO apps (name, name_key, digest, user_management, created_at, tenant_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            new.name,
            name_key(&new.name),
            new.digest,
            new.user_management,
            new.created_at.0,
            new.tenant,
        ],
    )
    .map_err(insert_error(
        "insert app",
        &["apps.name_key", "apps.digest"],
    ))?;
    let id = conn.last_insert_rowid();
    optional_row(
        conn,
        "select app",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE id = ?1"),
        [id],
        rows::app,
    )?
    .ok_or_else(|| StoreError::Backend("insert app: the new row cannot be read back".into()))
}

pub(crate) fn app_by_digest(conn: &Connection, digest: &[u8; 32]) -> Result<Option<AppRecord>> {
    optional_row(
        conn,
        "select app by digest",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE digest = ?1"),
        [&digest[..]],
        rows::app,
    )
}

pub(crate) fn list_apps(conn: &Connection, tenant: TenantId) -> Result<Vec<AppRecord>> {
    all_rows(
        conn,
        "list apps",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE tenant_id = ?1 ORDER BY id"),
        [tenant],
        rows::app,
    )
}

pub(crate) fn revoke_app(
    conn: &Connection,
    tenant: TenantId,
    name: &str,
    at: Timestamp,
) -> Result<bool> {
    let n = exec(
        conn,
        "revoke app",
        "UPDATE apps SET revoked_at = COALESCE(revoked_at, ?1)
             WHERE tenant_id = ?2 AND name_key = ?3",
        params![at.0, tenant, name_key(name)],
    )?;
    Ok(n > 0)
}
