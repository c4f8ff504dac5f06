//! Tenants and associates: look-ups, listing, counting, inserting, retiring, and the ping.

use super::*;

pub(crate) fn tenant_by_name(conn: &Connection, name: &str) -> Result<Option<Tenant>> {
    optional_row(
        conn,
        "select tenant by name",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE name_key = ?1"),
        [name_key(name)],
        rows::tenant,
    )
}

pub(crate) fn insert_tenant(conn: &Connection, name: &str, at: Timestamp) -> Result<Tenant> {
    cached(
        conn,
        "INSERT INTO tenants (name, name_key, created_at) VALUES (?1, ?2, ?3)",
        params![name, name_key(name), at.0],
    )
    .map_err(insert_error("insert tenant", &["tenants.name_key"]))?;
    Ok(Tenant {
        id: conn.last_insert_rowid(),
        name: name.to_owned(),
        created_at: at,
    })
}

pub(crate) fn list_tenants(conn: &Connection) -> Result<Vec<Tenant>> {
    all_rows(
        conn,
        "list tenants",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY id"),
        [],
        rows::tenant,
    )
}

pub(crate) fn associate_by_id(conn: &Connection, id: AssociateId) -> Result<Option<Associate>> {
    optional_row(
        conn,
        "select associate",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE id = ?1"),
        [id],
        rows::associate,
    )
}

pub(crate) fn associate_by_name(
    conn: &Connection,
    tenant: TenantId,
    name: &str,
) -> Result<Option<Associate>> {
    optional_row(
        conn,
        "select associate by name",
        &format!(
            "SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = ?1 AND name_key = ?2"
        ),
        params![tenant, name_key(name)],
        rows::associate,
    )
}

pub(crate) fn list_associates(conn: &Connection, tenant: TenantId) -> Result<Vec<Associate>> {
    all_rows(
        conn,
        "list associates",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = ?1 ORDER BY id"),
        [tenant],
        rows::associate,
    )
}

/// What a write meets first: the write lock (`BEGIN IMMEDIATE`, waiting up to the busy
/// timeout as every write does) and a read of a table; rolled back, nothing written.
pub(crate) fn ping(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| backend("ping: take the write lock", &e))?;
    tx.query_row("SELECT COUNT(*) FROM tenants", [], |r| r.get::<_, i64>(0))
        .map_err(|e| backend("ping: read", &e))?;
    tx.rollback().map_err(|e| backend("ping: roll back", &e))
}

pub(crate) fn count_associates(conn: &Connection, tenant: TenantId) -> Result<u64> {
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM associates WHERE tenant_id = ?1",
            [tenant],
            |r| r.get(0),
        )
        .map_err(|e| backend("count associates", &e))?;
    u64::try_from(n).map_err(|_| StoreError::Backend("count associates: negative count".into()))
}

pub(crate) fn insert_associate(conn: &mut Connection, new: &NewAssociate) -> Result<Associate> {
    let tx = begin(conn)?;
    cached(
        &tx,
        "INSERT INTO associates
             (name, name_key, full_name, user_type, rights, retired, password_hash, created_at,
              must_change, tenant_id)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9)",
        params![
            new.name,
            name_key(&new.name),
            new.full_name,
            new.user_type.as_str(),
            encode_rights(&new.rights),
            new.password_hash,
            new.created_at.0,
            new.must_change,
            new.tenant,
        ],
    )
    .map_err(insert_error("insert associate", &["associates.name_key"]))?;
    let id = AssociateId::try_from(tx.last_insert_rowid()).map_err(|_| {
        StoreError::Backend("insert associate: the associate id range is exhausted".into())
    })?;
    let inserted = associate_by_id(&tx, id)?.ok_or_else(|| {
        StoreError::Backend("insert associate: the new row cannot be read back".into())
    })?;
    commit(tx)?;
    Ok(inserted)
}

pub(crate) fn retire_associate(conn: &mut Connection, id: AssociateId) -> Result<bool> {
    let tx = begin(conn)?;
    let updated = exec(
        &tx,
        "retire associate",
        "UPDATE associates SET retired = 1 WHERE id = ?1",
        [id],
    )?;
    if updated == 0 {
        return Ok(false); // dropping `tx` rolls back
    }
    exec(
        &tx,
        "revoke tickets",
        "DELETE FROM tickets WHERE associate_id = ?1",
        [id],
    )?;
    commit(tx)?;
    Ok(true)
}
