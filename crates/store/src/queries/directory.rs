//! Tenants and associates: look-ups, listing, counting, inserting, retiring.

use accounts::{Associate, AssociateId, AuditEvent, NewAssociate, Tenant, TenantId, Timestamp};

use super::{insert_returning, select, write_audit};
use crate::schema::{self, name_key, Table};
use crate::sql::{Exec, Query, Result, Tx};

pub(crate) async fn tenant_by_name(db: &mut impl Exec, name: &str) -> Result<Option<Tenant>> {
    let sql = select(Table::Tenants, "WHERE name_key = ?1");
    let q = Query::new("select tenant by name", Table::Tenants, &sql);
    db.query_opt(&q, &[name_key(name).into()], schema::tenant)
        .await
}

pub(crate) async fn insert_tenant(db: &mut impl Exec, name: &str, at: Timestamp) -> Result<Tenant> {
    let fields = schema::new_tenant(name, at);
    insert_returning(
        db,
        "insert tenant",
        Table::Tenants,
        fields,
        &["name_key"],
        schema::tenant,
    )
    .await
}

pub(crate) async fn list_tenants(db: &mut impl Exec) -> Result<Vec<Tenant>> {
    let sql = select(Table::Tenants, "ORDER BY id");
    let q = Query::new("list tenants", Table::Tenants, &sql);
    db.query_all(&q, &[], schema::tenant).await
}

pub(crate) async fn associate_by_id(
    db: &mut impl Exec,
    id: AssociateId,
) -> Result<Option<Associate>> {
    let sql = select(Table::Associates, "WHERE id = ?1");
    let q = Query::new("select associate", Table::Associates, &sql);
    db.query_opt(&q, &[id.into()], schema::associate).await
}

pub(crate) async fn associate_by_name(
    db: &mut impl Exec,
    tenant: TenantId,
    name: &str,
) -> Result<Option<Associate>> {
    let sql = select(Table::Associates, "WHERE tenant_id = ?1 AND name_key = ?2");
    let q = Query::new("select associate by name", Table::Associates, &sql);
    db.query_opt(
        &q,
        &[tenant.into(), name_key(name).into()],
        schema::associate,
    )
    .await
}

pub(crate) async fn list_associates(
    db: &mut impl Exec,
    tenant: TenantId,
) -> Result<Vec<Associate>> {
    let sql = select(Table::Associates, "WHERE tenant_id = ?1 ORDER BY id");
    let q = Query::new("list associates", Table::Associates, &sql);
    db.query_all(&q, &[tenant.into()], schema::associate).await
}

pub(crate) async fn count_associates(db: &mut impl Exec, tenant: TenantId) -> Result<u64> {
    let q = Query::new(
        "count associates",
        Table::Associates,
        "SELECT COUNT(*) FROM associates WHERE tenant_id = ?1",
    );
    let n = db
        .query_opt(&q, &[tenant.into()], |r| r.first_int("COUNT(*)"))
        .await?;
    Ok(n.unwrap_or(0))
}

/// Inserts the associate and, when given, its audit record (targeting the new id), in one
/// transaction.
pub(crate) async fn insert_associate(
    mut tx: impl Tx,
    new: &NewAssociate,
    audit: Option<AuditEvent>,
) -> Result<Associate> {
    let fields = schema::new_associate(new);
    let unique = &["name_key"];
    let associate = insert_returning(
        &mut tx,
        "insert associate",
        Table::Associates,
        fields,
        unique,
        schema::associate,
    )
    .await?;
    if let Some(mut event) = audit {
        event.target = Some(associate.id);
        write_audit(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(associate)
}

/// Marks the associate retired and revokes its tickets, in one transaction.
pub(crate) async fn retire_associate(mut tx: impl Tx, id: AssociateId) -> Result<bool> {
    let retire = Query::new(
        "retire associate",
        Table::Associates,
        "UPDATE associates SET retired = TRUE WHERE id = ?1",
    );
    if tx.exec(&retire, &[id.into()]).await? == 0 {
        return Ok(false); // dropping `tx` rolls back
    }
    let revoke = Query::new(
        "revoke tickets",
        Table::Tickets,
        "DELETE FROM tickets WHERE associate_id = ?1",
    );
    tx.exec(&revoke, &[id.into()]).await?;
    tx.commit().await?;
    Ok(true)
}
