//! The backend-neutral row model of a copy: one struct per table, holding every column
//! exactly as stored (names, name keys, rights text, times, hashes, digests), so that a
//! copy loses nothing and a backend's dump and load are plain column mappings.
//!
//! `Debug` of a row that holds a password hash or a digest prints `<redacted>` in its
//! place: rows may end up in a test's failure message or a log line.

use std::fmt;

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

    /// The columns a copy reads and writes, in the order of the row structs' fields.
    pub(crate) fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Tenants => &["id", "name", "name_key", "created_at"],
            Table::Associates => &[
                "id",
                "tenant_id",
                "name",
                "name_key",
                "full_name",
                "user_type",
                "rights",
                "retired",
                "password_hash",
                "created_at",
                "must_change",
                "failed_logins",
                "first_failure_at",
                "locked_until",
            ],
            Table::PasswordHistory => &["id", "associate_id", "password_hash", "replaced_at"],
            Table::Apps => &[
                "id",
                "tenant_id",
                "name",
                "name_key",
                "digest",
                "user_management",
                "created_at",
                "revoked_at",
            ],
            Table::Audit => &[
                "id",
                "tenant_id",
                "at",
                "actor",
                "target",
                "operation",
                "outcome",
                "client",
                "app",
                "operation_id",
            ],
            Table::Tickets => &[
                "id",
                "digest",
                "associate_id",
                "created_at",
                "expires_at",
                "app_id",
            ],
        }
    }

    /// `table.column` for error messages.
    pub(crate) fn column(self, idx: usize) -> String {
        let column = self.columns().get(idx).copied().unwrap_or("?");
        format!("{}.{column}", self.name())
    }

    /// `SELECT` of the next `LIMIT` rows after a key, in key order; `$1`-style
    /// placeholders are written as `{key}` and `{limit}` for the backend to fill in.
    pub(crate) fn select_sql(self, after: &After, key: &str, limit: &str) -> String {
        let columns = self.columns().join(", ");
        let table = self.name();
        match after {
            After::Start => format!("SELECT {columns} FROM {table} ORDER BY id LIMIT {limit}"),
            _ => {
                format!("SELECT {columns} FROM {table} WHERE id > {key} ORDER BY id LIMIT {limit}")
            }
        }
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

/// `tenants`.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantRow {
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub created_at: i64,
}

/// `associates`, with the password hash, rights, lock state and flags.
#[derive(Clone, PartialEq)]
pub struct AssociateRow {
    pub id: i32,
    pub tenant_id: i64,
    pub name: String,
    pub name_key: String,
    pub full_name: String,
    pub user_type: String,
    pub rights: String,
    pub retired: bool,
    pub password_hash: Option<String>,
    pub created_at: Option<i64>,
    pub must_change: bool,
    pub failed_logins: i32,
    pub first_failure_at: Option<i64>,
    pub locked_until: Option<i64>,
}

/// `password_history`: a hash a password change replaced.
#[derive(Clone, PartialEq)]
pub struct HistoryRow {
    pub id: i64,
    pub associate_id: i32,
    pub password_hash: String,
    pub replaced_at: i64,
}

/// `apps`: a registered application and the digest of its token.
#[derive(Clone, PartialEq)]
pub struct AppRow {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub name_key: String,
    pub digest: Vec<u8>,
    pub user_management: bool,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// `audit`: one audit record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub tenant_id: i64,
    pub at: i64,
    pub actor: Option<i32>,
    pub target: Option<i32>,
    pub operation: String,
    pub outcome: String,
    pub client: Option<String>,
    pub app: Option<String>,
    pub operation_id: Option<String>,
}

/// `tickets`: a log-in ticket's id and the digest of its secret part.
#[derive(Clone, PartialEq)]
pub struct TicketRow {
    pub id: String,
    pub digest: Vec<u8>,
    pub associate_id: i32,
    pub created_at: i64,
    pub expires_at: i64,
    /// The application the ticket was obtained through (Online).
    pub app_id: Option<i64>,
}

const REDACTED: &str = "<redacted>";

impl fmt::Debug for AssociateRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssociateRow")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("name", &self.name)
            .field("name_key", &self.name_key)
            .field("full_name", &self.full_name)
            .field("user_type", &self.user_type)
            .field("rights", &self.rights)
            .field("retired", &self.retired)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| REDACTED),
            )
            .field("created_at", &self.created_at)
            .field("must_change", &self.must_change)
            .field("failed_logins", &self.failed_logins)
            .field("first_failure_at", &self.first_failure_at)
            .field("locked_until", &self.locked_until)
            .finish()
    }
}

impl fmt::Debug for HistoryRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HistoryRow")
            .field("id", &self.id)
            .field("associate_id", &self.associate_id)
            .field("password_hash", &REDACTED)
            .field("replaced_at", &self.replaced_at)
            .finish()
    }
}

impl fmt::Debug for AppRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppRow")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("name", &self.name)
            .field("name_key", &self.name_key)
            .field("digest", &REDACTED)
            .field("user_management", &self.user_management)
            .field("created_at", &self.created_at)
            .field("revoked_at", &self.revoked_at)
            .finish()
    }
}

impl fmt::Debug for TicketRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TicketRow")
            .field("id", &self.id)
            .field("digest", &REDACTED)
            .field("associate_id", &self.associate_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("app_id", &self.app_id)
            .finish()
    }
}

/// A run of rows of one table, in key order, as read from a source and written to a target.
#[derive(Debug, Clone, PartialEq)]
pub enum Batch {
    Tenants(Vec<TenantRow>),
    Associates(Vec<AssociateRow>),
    PasswordHistory(Vec<HistoryRow>),
    Apps(Vec<AppRow>),
    Audit(Vec<AuditRow>),
    Tickets(Vec<TicketRow>),
}

/// Where the next batch of a table starts: at the beginning, or after this key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    Start,
    Id(i64),
    Text(String),
}

impl Batch {
    pub fn table(&self) -> Table {
        match self {
            Batch::Tenants(_) => Table::Tenants,
            Batch::Associates(_) => Table::Associates,
            Batch::PasswordHistory(_) => Table::PasswordHistory,
            Batch::Apps(_) => Table::Apps,
            Batch::Audit(_) => Table::Audit,
            Batch::Tickets(_) => Table::Tickets,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Batch::Tenants(r) => r.len(),
            Batch::Associates(r) => r.len(),
            Batch::PasswordHistory(r) => r.len(),
            Batch::Apps(r) => r.len(),
            Batch::Audit(r) => r.len(),
            Batch::Tickets(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key of the last row, where the next batch starts; `None` when empty.
    pub(crate) fn last_key(&self) -> Option<After> {
        match self {
            Batch::Tenants(r) => r.last().map(|r| After::Id(r.id)),
            Batch::Associates(r) => r.last().map(|r| After::Id(r.id.into())),
            Batch::PasswordHistory(r) => r.last().map(|r| After::Id(r.id)),
            Batch::Apps(r) => r.last().map(|r| After::Id(r.id)),
            Batch::Audit(r) => r.last().map(|r| After::Id(r.id)),
            Batch::Tickets(r) => r.last().map(|r| After::Text(r.id.clone())),
        }
    }
}

/// Every row of an installation, table by table (tests compare a source and its copy).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Everything {
    pub tenants: Vec<TenantRow>,
    pub associates: Vec<AssociateRow>,
    pub password_history: Vec<HistoryRow>,
    pub apps: Vec<AppRow>,
    pub audit: Vec<AuditRow>,
    pub tickets: Vec<TicketRow>,
}

impl Everything {
    /// Appends a batch to its table.
    pub(crate) fn push(&mut self, batch: Batch) {
        match batch {
            Batch::Tenants(r) => self.tenants.extend(r),
            Batch::Associates(r) => self.associates.extend(r),
            Batch::PasswordHistory(r) => self.password_history.extend(r),
            Batch::Apps(r) => self.apps.extend(r),
            Batch::Audit(r) => self.audit.extend(r),
            Batch::Tickets(r) => self.tickets.extend(r),
        }
    }
}
