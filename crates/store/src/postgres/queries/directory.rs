//! Tenants and associates: look-ups, listing, counting, inserting, retiring, and the ping.

use super::*;

pub(crate) async fn tenant_by_name(c: &Client, name: &str) -> Result<Option<Tenant>> {
    optional_row(
        c,
        "select tenant by name",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE name_key = $1"),
        &[&name_key(name)],
        rows::tenant,
    )
    .await
}

pub(crate) async fn insert_tenant(c: &Client, name: &str, at: Timestamp) -> Result<Tenant> {
    let row = c
        .query_one(
            &format!(
                "INSERT INTO tenants (name, name_key, created_at) VALUES ($1, $2, $3)
                 RETURNING {TENANT_COLUMNS}"
            ),
            &[&name, &name_key(name), &at.0],
        )
        .await
        .map_err(insert_error("insert tenant", &["tenants_name_key_key"]))?;
    rows::tenant(&row)
}

pub(crate) async fn list_tenants(c: &Client) -> Result<Vec<Tenant>> {
    all_rows(
        c,
        "list tenants",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY id"),
        &[],
        rows::tenant,
    )
    .await
}

pub(crate) async fn associate_by_id(c: &Client, id: AssociateId) -> Result<Option<Associate>> {
    optional_row(
        c,
        "select associate",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE id = $1"),
        &[&id],
        rows::associate,
    )
    .await
}

pub(crate) async fn associate_by_name(
    c: &Client,
    tenant: TenantId,
    name: &str,
) -> Result<Option<Associate>> {
    optional_row(
        c,
        "select associate by name",
        &format!(
            "SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = $1 AND name_key = $2"
        ),
        &[&tenant, &name_key(name)],
        rows::associate,
    )
    .await
}

pub(crate) async fn list_associates(c: &Client, tenant: TenantId) -> Result<Vec<Associate>> {
    all_rows(
        c,
        "list associates",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = $1 ORDER BY id"),
        &[&tenant],
        rows::associate,
    )
    .await
}

/// What requests meet: the lock every write takes on each table (ROW EXCLUSIVE, which
/// waits behind another session's `LOCK TABLE … IN EXCLUSIVE MODE` or stronger, and
/// behind a migration), in a transaction that is rolled back; nothing written.
pub(crate) async fn ping(c: &mut Client) -> Result<()> {
    let tx = begin(c).await?;
    tx.batch_execute(
        "LOCK TABLE tenants, associates, tickets, password_history, apps, audit \
         IN ROW EXCLUSIVE MODE",
    )
    .await
    .map_err(|e| backend("ping", &e))?;
    tx.rollback()
        .await
        .map_err(|e| backend("ping: roll back", &e))
}

pub(crate) async fn count_associates(c: &Client, tenant: TenantId) -> Result<u64> {
    let row = c
        .query_one(
            "SELECT COUNT(*) FROM associates WHERE tenant_id = $1",
            &[&tenant],
        )
        .await
        .map_err(|e| backend("count associates", &e))?;
    let n: i64 = row
        .try_get(0)
        .map_err(|_| StoreError::Backend("count associates: cannot decode the count".into()))?;
    u64::try_from(n).map_err(|_| StoreError::Backend("count associates: negative count".into()))
}

pub(crate) async fn insert_associate(c: &Client, new: &NewAssociate) -> Result<Associate> {
    let row = c
        .query_one(
            &format!(
                "INSERT INTO associates
                     (name, name_key, full_name, user_type, rights, retired, password_hash,
                      created_at, must_change, tenant_id)
                 VALUES ($1, $2, $3, $4, $5, FALSE, $6, $7, $8, $9)
                 RETURNING {ASSOCIATE_COLUMNS}"
            ),
            &[
                &new.name,
                &name_key(&new.name),
                &new.full_name,
                &new.user_type.as_str(),
                &encode_rights(&new.rights),
                &new.password_hash,
                &new.created_at.0,
                &new.must_change,
                &new.tenant,
            ],
        )
        .await
        .map_err(insert_error(
            "insert associate",
            &["associates_tenant_name_key"],
        ))?;
    rows::associate(&row)
}

pub(crate) async fn retire_associate(c: &mut Client, id: AssociateId) -> Result<bool> {
    let tx = begin(c).await?;
    let updated = execute(
        &tx,
        "retire associate",
        "UPDATE associates SET retired = TRUE WHERE id = $1",
        &[&id],
    )
    .await?;
    if updated == 0 {
        return Ok(false); // dropping `tx` rolls back
    }
    execute(
        &tx,
        "revoke tickets",
        "DELETE FROM tickets WHERE associate_id = $1",
        &[&id],
    )
    .await?;
    commit(tx).await?;
    Ok(true)
}
