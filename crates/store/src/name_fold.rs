//! The name-fold migration (SQLite 0008, PostgreSQL 0003): every stored `name_key` is
//! recomputed as the NFKC case fold of its name (`accounts::name_key`), which SQL cannot
//! compute, so this step runs in Rust inside the migration's transaction.
//!
//! A store may hold names that were distinct as lower case but are one name folded
//! (`boss` and `ｂｏｓｓ`). Choosing which to keep is the operator's call, so the migration
//! refuses, names every such group, and changes nothing; once one of each group is
//! renamed (its `name` column; the key is recomputed here) the store opens.

use std::collections::BTreeMap;

/// The tables with a `name_key`, and the column that scopes their uniqueness.
pub(crate) const TABLES: [(&str, Option<&str>); 3] = [
    ("tenants", None),
    ("associates", Some("tenant_id")),
    ("apps", Some("tenant_id")),
];

/// One named row as stored.
pub(crate) struct Named {
    pub id: i64,
    /// The tenant (0 for the tenants table itself).
    pub scope: i64,
    pub name: String,
    pub key: String,
}

/// The query that reads a table's named rows, as `Named` in column order.
pub(crate) fn select(table: &str, scope: Option<&str>, cast: &str) -> String {
    let scope = format!("CAST({} AS {cast})", scope.unwrap_or("0"));
    format!("SELECT CAST(id AS {cast}), {scope}, name, name_key FROM {table} ORDER BY id")
}

/// A key no fold produces (folded text has no upper case), unique per row: where a
/// row's key changes it is parked here first, so that renaming keys in any order never
/// meets a row's old key.
pub(crate) fn parked_key(id: i64) -> String {
    format!("PARKED-{id}")
}

/// The rows whose key changes, with their new key; or, when two names of one scope
/// fold together, a message naming every such group.
pub(crate) fn plan(table: &str, rows: &[Named]) -> Result<Vec<(i64, String)>, String> {
    let mut groups: BTreeMap<(i64, String), Vec<&Named>> = BTreeMap::new();
    let mut changes = Vec::new();
    for row in rows {
        let key = accounts::name_key(&row.name);
        if key != row.key {
            changes.push((row.id, key.clone()));
        }
        groups.entry((row.scope, key)).or_default().push(row);
    }
    let clashes: Vec<String> = groups
        .into_iter()
        .filter(|(_, rows)| rows.len() > 1)
        .map(|((scope, key), rows)| describe(table, scope, &key, &rows))
        .collect();
    if clashes.is_empty() {
        return Ok(changes);
    }
    Err(format!(
        "names that are one name when compared by their NFKC case fold: {}; rename all \
         but one of each group (the `name` column of `{table}`) and start again",
        clashes.join("; ")
    ))
}

fn describe(table: &str, scope: i64, key: &str, rows: &[&Named]) -> String {
    let names: Vec<String> = rows
        .iter()
        .map(|r| format!("{:?} (id {})", r.name, r.id))
        .collect();
    let place = if table == "tenants" {
        "tenants".to_owned()
    } else {
        format!("{table} of tenant {scope}")
    };
    format!("{place}: {} all fold to {key:?}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, scope: i64, name: &str) -> Named {
        Named {
            id,
            scope,
            name: name.into(),
            key: name.to_lowercase(),
        }
    }

    #[test]
    fn keys_that_change_are_planned() {
        let rows = [
            row(1, 1, "Boss"),
            row(2, 1, "Straße"),
            row(3, 1, "ｂｏｓｓ"),
        ];
        let e = plan("associates", &rows).unwrap_err();
        assert!(
            e.contains("\"Boss\" (id 1), \"ｂｏｓｓ\" (id 3) all fold to \"boss\""),
            "{e}"
        );
        assert!(e.contains("associates of tenant 1"), "{e}");
        assert!(!e.contains("Straße"), "{e}");
        let rows = [
            row(1, 1, "Boss"),
            row(2, 1, "Straße"),
            row(3, 2, "ｂｏｓｓ"),
        ];
        assert_eq!(
            plan("associates", &rows).unwrap(),
            vec![(2, "strasse".to_owned()), (3, "boss".to_owned())]
        );
    }

    #[test]
    fn parked_keys_are_never_fold_results() {
        assert_ne!(accounts::name_key(&parked_key(7)), parked_key(7));
    }
}
