//! The one description of the tables, shared by both backends and by `store copy`: each
//! table's columns with their kinds, and (in one file per table) how its rows become
//! domain values and how domain values become its rows.
//!
//! A new column is added to the two migrations (`sqlite/migrations`,
//! `postgres/migrations`) and to its table's file here: the column list drives every
//! `SELECT` of the table (queries decode by name, so order does not matter), `store
//! copy` (which moves every listed column), and the table's decoder and insert sit beside
//! it.

mod apps;
mod associates;
mod audit;
mod history;
mod tenants;
mod tickets;

use std::fmt;
use std::sync::OnceLock;

pub(crate) use apps::{app, new_app};
pub(crate) use associates::{associate, lock_state, new_associate};
pub(crate) use audit::{audit_event, new_audit_event};
pub(crate) use history::{history_hash, new_history_entry};
pub(crate) use tenants::{new_tenant, tenant};
pub(crate) use tickets::{new_ticket, ticket};

use crate::sql::{Ty, Value};

/// The columns a new row sets, each with its value.
pub(crate) type Fields<'a> = Vec<(&'static str, Value<'a>)>;

/// The key a name is unique and looked up under: its NFKC case fold (see
/// `accounts::name_key`), computed here rather than by the database, whose own case
/// rules differ by backend.
pub(crate) fn name_key(name: &str) -> String {
    accounts::name_key(name)
}

/// One column: its name in both backends' schemas, its kind, and whether it holds a
/// secret's digest or hash (shown as `<redacted>` in debug output).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Column {
    pub(crate) name: &'static str,
    pub(crate) ty: Ty,
    pub(crate) secret: bool,
}

pub(crate) const fn col(name: &'static str, ty: Ty) -> Column {
    Column {
        name,
        ty,
        secret: false,
    }
}

pub(crate) const fn secret(name: &'static str, ty: Ty) -> Column {
    Column {
        name,
        ty,
        secret: true,
    }
}

/// The tables an installation has, in the order a copy loads them (parents first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Tenants,
    Associates,
    PasswordHistory,
    Apps,
    Audit,
    Tickets,
}

impl Table {
    /// Every table, parents before children.
    pub const ALL: [Table; 6] = [
        Table::Tenants,
        Table::Associates,
        Table::PasswordHistory,
        Table::Apps,
        Table::Audit,
        Table::Tickets,
    ];

    /// The table's name in both backends' schemas.
    pub fn name(self) -> &'static str {
        match self {
            Table::Tenants => "tenants",
            Table::Associates => "associates",
            Table::PasswordHistory => "password_history",
            Table::Apps => "apps",
            Table::Audit => "audit",
            Table::Tickets => "tickets",
        }
    }

    /// Every column of the table, in the order `SELECT`s list them.
    pub(crate) fn columns(self) -> &'static [Column] {
        match self {
            Table::Tenants => tenants::COLUMNS,
            Table::Associates => associates::COLUMNS,
            Table::PasswordHistory => history::COLUMNS,
            Table::Apps => apps::COLUMNS,
            Table::Audit => audit::COLUMNS,
            Table::Tickets => tickets::COLUMNS,
        }
    }

    /// The position of `column` in [`Table::columns`].
    pub(crate) fn index(self, column: &str) -> Option<usize> {
        self.columns().iter().position(|c| c.name == column)
    }

    /// `table.column` for error messages.
    pub(crate) fn column(self, idx: usize) -> String {
        let column = self.columns().get(idx).map_or("?", |c| c.name);
        format!("{}.{column}", self.name())
    }

    /// The column names joined by commas, as a `SELECT` or `RETURNING` lists them.
    pub(crate) fn column_list(self) -> &'static str {
        static LISTS: [OnceLock<String>; 6] = [const { OnceLock::new() }; 6];
        LISTS[self as usize].get_or_init(|| {
            let names: Vec<&str> = self.columns().iter().map(|c| c.name).collect();
            names.join(", ")
        })
    }

    /// Whether the table's `id` comes from a sequence (all but tickets, whose id is the
    /// ticket's GUID).
    pub(crate) fn has_sequence(self) -> bool {
        self != Table::Tickets
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_lowercase_beyond_ascii() {
        assert_eq!(name_key("ÅSE"), name_key("åse"));
        assert_eq!(name_key("Ørjan"), "ørjan");
    }

    #[test]
    fn column_names_are_unique_per_table() {
        for table in Table::ALL {
            let columns = table.columns();
            for (i, c) in columns.iter().enumerate() {
                assert_eq!(table.index(c.name), Some(i), "{table}.{}", c.name);
            }
            assert!(table.column_list().starts_with("id, "), "{table}");
        }
    }
}
