//! Registered applications.

use super::*;

pub(crate) async fn insert_app(c: &Client, new: &NewApp) -> Result<AppRecord> {
    let row = c
        .query_one(
            &format!(
                "INSERT INTO apps (name, name_key, digest, user_management, created_at, tenant_id)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 RETURNING {APP_COLUMNS}"
            ),
            &[
                &new.name,
                &name_key(&new.name),
                &&new.digest[..],
                &new.user_management,
                &new.created_at.0,
                &new.tenant,
            ],
        )
        .await
        .map_err(insert_error(
            "insert app",
            &["apps_tenant_name_key", "apps_digest_key"],
        ))?;
    rows::app(&row)
}

pub(crate) async fn app_by_digest(c: &Client, digest: &[u8; 32]) -> Result<Option<AppRecord>> {
    optional_row(
        c,
        "select app by digest",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE digest = $1"),
        &[&&digest[..]],
        rows::app,
    )
    .await
}

pub(crate) async fn list_apps(c: &Client, tenant: TenantId) -> Result<Vec<AppRecord>> {
    all_rows(
        c,
        "list apps",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE tenant_id = $1 ORDER BY id"),
        &[&tenant],
        rows::app,
    )
    .await
}

pub(crate) async fn revoke_app(
    c: &Client,
    tenant: TenantId,
    name: &str,
    at: Timestamp,
) -> Result<bool> {
    let n = execute(
        c,
        "revoke app",
        "UPDATE apps SET revoked_at = COALESCE(revoked_at, $1)
         WHERE tenant_id = $2 AND name_key = $3",
        &[&at.0, &tenant, &name_key(name)],
    )
    .await?;
    Ok(n > 0)
}
