//! Registered applications.

use accounts::{AppRecord, NewApp, TenantId, Timestamp};

use super::{insert_returning, select};
use crate::schema::{self, name_key, Table};
use crate::sql::{Exec, Query, Result};

pub(crate) async fn insert_app(db: &mut impl Exec, new: &NewApp) -> Result<AppRecord> {
    let fields = schema::new_app(new);
    let unique = &["name_key", "digest"];
    insert_returning(db, "insert app", Table::Apps, fields, unique, schema::app).await
}

pub(crate) async fn app_by_digest(
    db: &mut impl Exec,
    digest: &[u8; 32],
) -> Result<Option<AppRecord>> {
    let sql = select(Table::Apps, "WHERE digest = ?1");
    let q = Query::new("select app by digest", Table::Apps, &sql);
    db.query_opt(&q, &[digest.as_slice().into()], schema::app)
        .await
}

pub(crate) async fn list_apps(db: &mut impl Exec, tenant: TenantId) -> Result<Vec<AppRecord>> {
    let sql = select(Table::Apps, "WHERE tenant_id = ?1 ORDER BY id");
    let q = Query::new("list apps", Table::Apps, &sql);
    db.query_all(&q, &[tenant.into()], schema::app).await
}

/// Revokes the tenant's app of that name; a revoked app keeps its first revocation time.
pub(crate) async fn revoke_app(
    db: &mut impl Exec,
    tenant: TenantId,
    name: &str,
    at: Timestamp,
) -> Result<bool> {
    let q = Query::new(
        "revoke app",
        Table::Apps,
        "UPDATE apps SET revoked_at = COALESCE(revoked_at, ?1)
         WHERE tenant_id = ?2 AND name_key = ?3",
    );
    let n = db
        .exec(&q, &[at.into(), tenant.into(), name_key(name).into()])
        .await?;
    Ok(n > 0)
}
