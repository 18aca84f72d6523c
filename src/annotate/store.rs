//! The durable annotation store: an embedded SQLite database (pure library, no terminal code).
//!
//! # Where
//! [`Store::open_default`] opens `$XDG_DATA_HOME/qari/annotations.db` (or
//! `~/.local/share/qari/annotations.db`); [`Store::open`] any other file (`--store PATH`);
//! [`Store::open_read_only`] reads an existing store without writing to it (export).
//!
//! # Durability
//! * WAL journal, `synchronous=FULL`: every commit is fsynced before it returns, so neither
//!   `kill -9` nor a power cut loses an edit that was confirmed. (`NORMAL` in WAL mode
//!   survives a process crash but may lose the last commits on power loss; an edit is a
//!   human action, one fsync each costs nothing noticeable.)
//! * Every edit ([`Store::add`], [`Store::update`], [`Store::set_status`],
//!   [`Store::delete`], [`Store::undo`], [`Store::redo`]) is one `BEGIN IMMEDIATE`
//!   transaction, committed before the function returns `Ok`: the caller shows an edit as
//!   done only after `Ok`.
//! * Several processes may share a store: `busy_timeout` makes a writer wait for the
//!   other's transaction instead of failing, and WAL lets readers run meanwhile.
//!
//! # Offsets and re-anchoring
//! The store keeps offsets as **code points** of the document text (what the exchange
//! formats use) plus the [`Quote`] (exact text, 32 code points of prefix and suffix).
//! [`Store::annotations_for`] re-anchors into the current text: if the stored offsets
//! still hold the exact text with its full context, the annotation stays; otherwise the
//! quote is searched ([`Quote::locate`]: best context, nearest to the old place) and the
//! annotation moves; if the exact text is gone it is returned as **orphaned**, never
//! dropped. Re-anchoring only reads: nothing is rewritten until the user edits.
//!
//! # Documents
//! A document is keyed by its display path and records a stable hash (FNV-1a 64) of its
//! decoded text. When no document has the path (the file was moved), a document with the
//! same text hash is used.
//!
//! # Undo and history
//! The `edits` table logs each edit (op, annotation id, before/after as JSON, time).
//! [`Store::undo`] restores the `before` of the latest edit of a document and marks it
//! undone; [`Store::redo`] re-applies the oldest undone one; a new edit discards the
//! undone edits of its document. The log is in the database, so undo survives restarts;
//! [`Store::history`] lists it.
//!
//! # Errors
//! Every failure is a [`StoreError`] naming the file and the [`Problem`]: unreadable,
//! read-only, not a qari database, damaged, written by a newer qari, disk full, busy.
//! Opening never writes to a file that is not (or not yet) a qari database, never deletes
//! anything, never panics; a failed edit is rolled back and everything saved before stays.
//!
//! # Schema
//! `PRAGMA application_id` = `0x71617269` ("qari"), `PRAGMA user_version` = schema version
//! ([`SCHEMA_VERSION`]); migrations run in one transaction when opening.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use super::{Annotation, CpMap, Quote, Status};

/// Prepared statements kept per connection (more than the store's distinct statements).
const STATEMENT_CACHE: usize = 64;

/// `PRAGMA application_id` of a qari store ("qari" in ASCII).
pub const APPLICATION_ID: i32 = 0x7161_7269;
/// Current schema version (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i32 = 2;
/// How long a writer waits for another process's transaction.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA_V1: &str = "
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    text_hash TEXT NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL
);
CREATE INDEX documents_hash ON documents(text_hash);
CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    start_cp INTEGER NOT NULL,
    end_cp INTEGER NOT NULL,
    exact TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    wikidata TEXT,
    note TEXT,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL
);
CREATE INDEX annotations_doc ON annotations(doc);
CREATE TABLE edits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc INTEGER NOT NULL REFERENCES documents(id),
    annotation TEXT NOT NULL,
    op TEXT NOT NULL,
    before TEXT,
    after TEXT,
    at INTEGER NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX edits_doc ON edits(doc, seq);
";

/// Version 2: edits made by one user action share a `batch` (undone and redone
/// together), and articles carry a review status.
const SCHEMA_V2: &str = "
ALTER TABLE edits ADD COLUMN batch INTEGER;
CREATE TABLE reviews (
    doc INTEGER NOT NULL REFERENCES documents(id),
    article_cp INTEGER NOT NULL,
    status TEXT NOT NULL,
    updated INTEGER NOT NULL,
    PRIMARY KEY (doc, article_cp)
);
";

/// What is wrong with a store file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file or its directory cannot be opened (the reason from the system).
    Unreadable(String),
    /// The file, its directory or the disk is read-only.
    ReadOnly,
    /// The file exists but is not a qari database.
    NotQari,
    /// The database is damaged (SQLite's diagnosis).
    Damaged(String),
    /// Written by a newer qari (its schema version).
    TooNew(i32),
    /// The disk is full.
    DiskFull,
    /// Another process held the store longer than [`BUSY_TIMEOUT`].
    Busy,
    /// No annotation with this id.
    NoSuchAnnotation(String),
    /// The annotation does not fit the document text (offsets not on char boundaries…).
    Invalid(String),
    /// Anything else SQLite reports.
    Other(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unreadable(why) => write!(f, "cannot be opened: {why}"),
            Problem::ReadOnly => write!(
                f,
                "is read-only (the file, its directory or the disk): edits cannot be saved; \
                 what is already saved is intact"
            ),
            Problem::NotQari => write!(
                f,
                "is not a qari database (the file was left untouched; choose another with --store)"
            ),
            Problem::Damaged(why) => write!(
                f,
                "is damaged ({why}); the file was left untouched: keep a copy and try \
                 `sqlite3 FILE .recover`, or choose another with --store"
            ),
            Problem::TooNew(v) => write!(
                f,
                "was written by a newer qari (schema {v}, this qari knows {SCHEMA_VERSION}); \
                 the file was left untouched"
            ),
            Problem::DiskFull => write!(
                f,
                "cannot grow: the disk is full (or a quota or file size limit is reached); \
                 the edit was not saved, everything saved before is intact"
            ),
            Problem::Busy => write!(
                f,
                "is locked by another process for more than {} s; the edit was not saved",
                BUSY_TIMEOUT.as_secs()
            ),
            Problem::NoSuchAnnotation(id) => write!(f, "has no annotation {id:?}"),
            Problem::Invalid(why) => write!(f, "refused an invalid annotation: {why}"),
            Problem::Other(why) => write!(f, "failed: {why}"),
        }
    }
}

/// A store failure: the file and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("annotation store {}: {problem}", path.display())]
pub struct StoreError {
    pub path: PathBuf,
    pub problem: Problem,
}

impl StoreError {
    fn new(path: &Path, problem: Problem) -> StoreError {
        StoreError {
            path: path.to_path_buf(),
            problem,
        }
    }
}

fn problem_of(e: &rusqlite::Error) -> Problem {
    match e {
        rusqlite::Error::SqliteFailure(err, msg) => {
            let text = msg.clone().unwrap_or_else(|| err.to_string());
            match err.code {
                ErrorCode::NotADatabase => Problem::NotQari,
                ErrorCode::DatabaseCorrupt => Problem::Damaged(text),
                ErrorCode::ReadOnly | ErrorCode::PermissionDenied => Problem::ReadOnly,
                ErrorCode::DiskFull => Problem::DiskFull,
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Problem::Busy,
                ErrorCode::CannotOpen => Problem::Unreadable(text),
                _ => Problem::Other(text),
            }
        }
        other => Problem::Other(other.to_string()),
    }
}

/// [`problem_of`], made precise with the system's error number when SQLite only says
/// "disk I/O error": a file that cannot grow (`EFBIG`: a file size limit), a full disk or
/// a quota (`ENOSPC`, `EDQUOT`) is [`Problem::DiskFull`], a read-only file system
/// (`EROFS`) is [`Problem::ReadOnly`]; any other errno is named in the message.
fn problem_on(conn: &Connection, e: &rusqlite::Error) -> Problem {
    let problem = problem_of(e);
    let rusqlite::Error::SqliteFailure(err, _) = e else {
        return problem;
    };
    if err.code != ErrorCode::SystemIoFailure {
        return problem;
    }
    // SAFETY: `sqlite3_system_errno` only reads a field of the open connection, which
    // `conn` keeps alive for the duration of the call.
    let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(conn.handle()) };
    if errno == 0 {
        return problem;
    }
    let io = std::io::Error::from_raw_os_error(errno);
    match io.kind() {
        std::io::ErrorKind::StorageFull
        | std::io::ErrorKind::FileTooLarge
        | std::io::ErrorKind::QuotaExceeded => Problem::DiskFull,
        std::io::ErrorKind::ReadOnlyFilesystem => Problem::ReadOnly,
        _ => Problem::Other(format!("{err}: {io}")),
    }
}

/// [`Problem::ReadOnly`] if the existing file at `path` cannot be opened for writing
/// because it or its file system is read-only (opening it writes nothing).
fn read_only_file(path: &Path) -> Option<Problem> {
    match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    {
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
            ) =>
        {
            Some(Problem::ReadOnly)
        }
        _ => None,
    }
}

/// `file:PATH?immutable=1`, the path percent-encoded where a URI needs it.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// One annotation as stored: code-point offsets into the text it was made on, and its quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAnnotation {
    pub id: String,
    /// Code point offset (inclusive) into the document text at the time of the edit.
    pub start_cp: usize,
    /// Code point offset (exclusive).
    pub end_cp: usize,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub label: String,
    /// [`Status::name`].
    pub status: String,
    pub wikidata: Option<String>,
    pub note: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created: i64,
    pub updated: i64,
}

impl StoredAnnotation {
    /// The status (an unknown name reads as suggested).
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Suggested)
    }

    /// The quote that finds the annotation again.
    pub fn quote(&self) -> Quote {
        Quote {
            exact: self.exact.clone(),
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
        }
    }

    fn with_bytes(&self, start: usize, end: usize) -> Annotation {
        Annotation {
            id: self.id.clone(),
            start,
            end,
            label: self.label.clone(),
            status: self.status(),
            wikidata: self.wikidata.clone(),
            note: self.note.clone(),
        }
    }
}

/// A document: its display path and its decoded text.
#[derive(Clone, Copy, Debug)]
pub struct Doc<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// The annotations of a document re-anchored into its current text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Anchored {
    /// Annotations with byte offsets into the current text, sorted by (start, end, id).
    pub live: Vec<Annotation>,
    /// Ids of the live annotations that were found by quote at another place.
    pub moved: Vec<String>,
    /// Annotations whose exact text is no longer in the document.
    pub orphaned: Vec<StoredAnnotation>,
}

/// What an edit did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Update,
    Status,
    Delete,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Update => "update",
            Op::Status => "status",
            Op::Delete => "delete",
        }
    }

    fn parse(s: &str) -> Op {
        match s {
            "add" => Op::Add,
            "status" => Op::Status,
            "delete" => Op::Delete,
            _ => Op::Update,
        }
    }
}

/// One entry of the edit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Order of the edit in the store.
    pub seq: i64,
    pub op: Op,
    pub annotation: String,
    /// The annotation before the edit (`None` for an add).
    pub before: Option<StoredAnnotation>,
    /// The annotation after the edit (`None` for a delete).
    pub after: Option<StoredAnnotation>,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// Undone (and not redone).
    pub undone: bool,
    /// Edits of one user action (accept every mention of an entity…) share a batch and
    /// are undone and redone together.
    pub batch: Option<i64>,
}

/// One change of a batch ([`Store::apply`]).
#[derive(Clone, Debug)]
pub enum Change<'a> {
    /// Add an annotation (byte offsets into the document's text; empty id: a fresh one).
    Add(Doc<'a>, Annotation),
    /// Replace an annotation (byte offsets into the document's text).
    Update(Doc<'a>, Annotation),
    SetStatus(String, Status),
    Delete(String),
}

/// The review state of an article, as the user set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Review {
    Unreviewed,
    InProgress,
    Done,
}

impl Review {
    /// `unreviewed`, `in progress`, `done`.
    pub fn name(self) -> &'static str {
        match self {
            Review::Unreviewed => "unreviewed",
            Review::InProgress => "in progress",
            Review::Done => "done",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Review::Unreviewed => "unreviewed",
            Review::InProgress => "in_progress",
            Review::Done => "done",
        }
    }

    fn parse(s: &str) -> Review {
        match s {
            "done" => Review::Done,
            "in_progress" => Review::InProgress,
            _ => Review::Unreviewed,
        }
    }
}

/// An open annotation store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// FNV-1a 64 of the text, as 16 hex digits (stable across Rust versions and platforms).
pub fn text_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("a{:x}{:05x}{:x}", nanos, std::process::id(), n)
}

/// `$XDG_DATA_HOME/qari/annotations.db`, else `$HOME/.local/share/qari/annotations.db`.
pub fn default_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME") {
        Some(d) if !d.is_empty() && Path::new(&d).is_absolute() => PathBuf::from(d),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".local/share"),
    };
    Some(base.join("qari").join("annotations.db"))
}

const ROW_COLUMNS: &str = "id, start_cp, end_cp, exact, prefix, suffix, label, status, \
                           wikidata, note, created, updated";

fn row_to_stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredAnnotation> {
    stored_from_row(r, 0)
}

/// A [`StoredAnnotation`] from the [`ROW_COLUMNS`] of `r`, starting at column `at`.
fn stored_from_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<StoredAnnotation> {
    Ok(StoredAnnotation {
        id: r.get(at)?,
        start_cp: usize::try_from(r.get::<_, i64>(at + 1)?).unwrap_or(0),
        end_cp: usize::try_from(r.get::<_, i64>(at + 2)?).unwrap_or(0),
        exact: r.get(at + 3)?,
        prefix: r.get(at + 4)?,
        suffix: r.get(at + 5)?,
        label: r.get(at + 6)?,
        status: r.get(at + 7)?,
        wikidata: r.get(at + 8)?,
        note: r.get(at + 9)?,
        created: r.get(at + 10)?,
        updated: r.get(at + 11)?,
    })
}

fn get_stored(conn: &Connection, id: &str) -> rusqlite::Result<Option<(i64, StoredAnnotation)>> {
    conn.prepare_cached(&format!(
        "SELECT doc, {ROW_COLUMNS} FROM annotations WHERE id = ?1"
    ))?
    .query_row([id], |r| Ok((r.get::<_, i64>(0)?, stored_from_row(r, 1)?)))
    .optional()
}

fn put_stored(conn: &Connection, doc: i64, a: &StoredAnnotation) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO annotations (doc, {ROW_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?
    .execute(params![
        doc,
        a.id,
        a.start_cp as i64,
        a.end_cp as i64,
        a.exact,
        a.prefix,
        a.suffix,
        a.label,
        a.status,
        a.wikidata,
        a.note,
        a.created,
        a.updated
    ])?;
    Ok(())
}

fn to_json(a: Option<&StoredAnnotation>) -> Option<String> {
    a.map(|a| serde_json::to_string(a).expect("a StoredAnnotation always serialises"))
}

fn from_json(s: Option<String>) -> Option<StoredAnnotation> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

fn find_doc(
    conn: &Connection,
    doc_path: &str,
    hash: Option<&str>,
) -> rusqlite::Result<Option<i64>> {
    let by_path = conn
        .prepare_cached("SELECT id FROM documents WHERE path = ?1")?
        .query_row([doc_path], |r| r.get(0))
        .optional()?;
    match (by_path, hash) {
        (Some(id), _) => Ok(Some(id)),
        (None, Some(h)) => {
            // The same text under another path: a moved file, or the copy an export
            // wrote and an import keyed. But never another part of the same file (parts
            // of a repetitive file can read the same).
            let mut st = conn.prepare_cached(
                "SELECT id, path FROM documents WHERE text_hash = ?1 ORDER BY updated DESC",
            )?;
            let rows = st
                .query_map([h], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows
                .into_iter()
                .find(|(_, p)| !other_part_of_same_file(p, doc_path))
                .map(|(id, _)| id))
        }
        (None, None) => Ok(None),
    }
}

/// Whether `a` and `b` are different parts (`PATH#partN`) of the same file.
fn other_part_of_same_file(a: &str, b: &str) -> bool {
    let base = |p: &str| -> Option<String> {
        match p.rsplit_once("#part") {
            Some((b, n)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => {
                Some(b.to_string())
            }
            _ => None,
        }
    };
    a != b && base(a).is_some() && base(a) == base(b)
}

impl Store {
    /// Open (or create) the store at `path`. The file is created if missing (its
    /// directory must exist); an existing file must be a qari store.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref();
        let err = |p: Problem| StoreError::new(path, p);
        if path.is_dir() {
            return Err(err(Problem::Unreadable("it is a directory".into())));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| match problem_of(&e) {
            Problem::Unreadable(_) | Problem::Other(_) => {
                let why = match std::fs::metadata(path) {
                    Err(io) if path.exists() => io.to_string(),
                    Err(_) => match path.parent() {
                        Some(d) if !d.as_os_str().is_empty() && !d.is_dir() => {
                            format!("directory {} does not exist", d.display())
                        }
                        _ => e.to_string(),
                    },
                    Ok(_) => e.to_string(),
                };
                err(read_only_file(path).unwrap_or(Problem::Unreadable(why)))
            }
            p => err(p),
        })?;
        Self::init(conn, path).map_err(|e| match e.problem {
            // SQLite says only "unable to open database file" when it cannot write the
            // WAL beside a file on a read-only disk.
            Problem::Unreadable(_) => read_only_file(path).map_or(e, err),
            _ => e,
        })
    }

    /// Open the default store ([`default_path`]), creating its directory if needed.
    pub fn open_default() -> Result<Store, StoreError> {
        let path = default_path().ok_or_else(|| {
            StoreError::new(
                Path::new("$XDG_DATA_HOME/qari/annotations.db"),
                Problem::Unreadable("neither XDG_DATA_HOME nor HOME is set".into()),
            )
        })?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::new(
                    &path,
                    Problem::Unreadable(format!("cannot create {}: {e}", dir.display())),
                )
            })?;
        }
        Self::open(path)
    }

    /// Open an existing store for reading only (`qari export`): nothing is written to the
    /// file, so a store on a read-only disk can be read and a missing store is not
    /// created (a missing file is [`Problem::Unreadable`]). The same checks as
    /// [`Store::open`] apply (a qari database, not newer, not damaged). A store of an
    /// older schema (or an empty file) is opened with [`Store::open`], because its
    /// migration writes. Edits on a store opened this way fail with [`Problem::ReadOnly`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref();
        let err = |p: Problem| StoreError::new(path, p);
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(err(Problem::Unreadable("it is a directory".into())))
            }
            Ok(_) => {}
            Err(e) => return Err(err(Problem::Unreadable(e.to_string()))),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| err(problem_of(&e)))?;
        let mut app_id = conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0));
        if let Err(e) = &app_id {
            // A WAL database in a directory this process cannot write (a read-only disk)
            // cannot get its shared-memory file; no process can write to it in WAL mode
            // either, so it is read as immutable.
            if matches!(problem_of(e), Problem::ReadOnly | Problem::Unreadable(_)) {
                drop(conn);
                conn = Connection::open_with_flags(
                    immutable_uri(path),
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(|e| err(problem_of(&e)))?;
                app_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0));
            }
        }
        let sql = |e: rusqlite::Error| StoreError::new(path, problem_on(&conn, &e));
        let app_id = app_id.map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let version: i32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(sql)?;
        if app_id == 0 && objects == 0 {
            drop(conn);
            return Self::open(path);
        }
        if app_id != APPLICATION_ID {
            return Err(err(Problem::NotQari));
        }
        if version > SCHEMA_VERSION {
            return Err(err(Problem::TooNew(version)));
        }
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(sql)?;
        if check != "ok" {
            return Err(err(Problem::Damaged(check)));
        }
        if version < SCHEMA_VERSION {
            drop(conn);
            return Self::open(path);
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn init(mut conn: Connection, path: &Path) -> Result<Store, StoreError> {
        let err = |e: rusqlite::Error| StoreError::new(path, problem_of(&e));
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // Every statement of the edit and read paths stays prepared.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Read-only checks first: nothing is written to a file that is not ours.
        let app_id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(err)?;
        let version: i32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(err)?;
        let fresh = app_id == 0 && objects == 0;
        if !fresh && app_id != APPLICATION_ID {
            return Err(StoreError::new(path, Problem::NotQari));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::new(path, Problem::TooNew(version)));
        }
        if !fresh {
            let check: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(err)?;
            if check != "ok" {
                return Err(StoreError::new(path, Problem::Damaged(check)));
            }
        }
        if conn.is_readonly("main").map_err(err)? {
            return Err(StoreError::new(path, Problem::ReadOnly));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        // Migrate (another process may be doing it too: re-read inside the transaction).
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let version: i32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::new(path, Problem::TooNew(version)));
        }
        if version < 1 {
            tx.execute_batch(SCHEMA_V1).map_err(err)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(err)?;
            tx.pragma_update(None, "user_version", 1).map_err(err)?;
        }
        if version < 2 {
            tx.execute_batch(SCHEMA_V2).map_err(err)?;
            tx.pragma_update(None, "user_version", 2).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rows of `sql` (one parameter, `?1`), decoded by `f`.
    fn rows<T>(
        &self,
        sql: &str,
        param: i64,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.error(e))?;
        let rows = st
            .query_map([param], f)
            .map_err(|e| self.error(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    fn error(&self, e: rusqlite::Error) -> StoreError {
        StoreError::new(&self.path, problem_on(&self.conn, &e))
    }

    fn fail(&self, p: Problem) -> StoreError {
        StoreError::new(&self.path, p)
    }

    /// Run `f` in one immediate transaction, committed before returning `Ok`.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&Connection) -> Result<T, WriteError>,
    ) -> Result<T, StoreError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })();
        // The transaction is rolled back by now; the connection still knows the errno.
        result.map_err(|e| match e {
            WriteError::Sql(e) => self.error(e),
            WriteError::Problem(p) => self.fail(p),
        })
    }

    fn stored_from(
        doc: Doc<'_>,
        a: &Annotation,
        id: String,
        created: i64,
    ) -> Result<StoredAnnotation, Problem> {
        let quote = a.quote(doc.text).ok_or_else(|| {
            Problem::Invalid(format!(
                "offsets {}..{} of {:?} are not a range of character boundaries in {}",
                a.start, a.end, a.id, doc.path
            ))
        })?;
        let map = CpMap::new(doc.text);
        let (Some(start_cp), Some(end_cp)) = (map.to_cp(a.start), map.to_cp(a.end)) else {
            return Err(Problem::Invalid(format!("offsets {}..{}", a.start, a.end)));
        };
        Ok(StoredAnnotation {
            id,
            start_cp,
            end_cp,
            exact: quote.exact,
            prefix: quote.prefix,
            suffix: quote.suffix,
            label: a.label.clone(),
            status: a.status.name().to_string(),
            wikidata: a.wikidata.clone(),
            note: a.note.clone(),
            created,
            updated: now_ms(),
        })
    }

    /// Add `a` (byte offsets into `doc.text`) to the document, committed on return. An
    /// empty id gets a fresh one; returns the annotation with its id.
    pub fn add(&mut self, doc: Doc<'_>, a: &Annotation) -> Result<Annotation, StoreError> {
        let id = if a.id.is_empty() {
            new_id()
        } else {
            a.id.clone()
        };
        let now = now_ms();
        let stored = Self::stored_from(doc, a, id.clone(), now).map_err(|p| self.fail(p))?;
        self.write(|c| add_in(c, doc, &stored, now, None, &mut HashMap::new()))?;
        Ok(Annotation { id, ..a.clone() })
    }

    /// Replace the annotation with id `a.id` (offsets, label, status, link, note; offsets
    /// are bytes into `doc.text`), committed on return.
    pub fn update(&mut self, doc: Doc<'_>, a: &Annotation) -> Result<(), StoreError> {
        let new = Self::stored_from(doc, a, a.id.clone(), 0).map_err(|p| self.fail(p))?;
        self.write(|c| {
            change_in(
                c,
                &a.id,
                Op::Update,
                move |old| StoredAnnotation {
                    created: old.created,
                    ..new
                },
                None,
            )
        })
    }

    /// Set the status of annotation `id`, committed on return.
    pub fn set_status(&mut self, id: &str, status: Status) -> Result<(), StoreError> {
        self.write(|c| change_in(c, id, Op::Status, status_to(status), None))
    }

    /// Delete annotation `id`, committed on return (undo brings it back).
    pub fn delete(&mut self, id: &str) -> Result<(), StoreError> {
        self.write(|c| delete_in(c, id, None))
    }

    /// Apply several changes as one user action: one transaction, committed on return
    /// (all or nothing), undone and redone together. Returns the added annotations with
    /// their ids, in order.
    pub fn apply(&mut self, changes: &[Change<'_>]) -> Result<Vec<Annotation>, StoreError> {
        let now = now_ms();
        let mut prepared = Vec::with_capacity(changes.len());
        for ch in changes {
            prepared.push(match ch {
                Change::Add(doc, a) => {
                    let id = if a.id.is_empty() {
                        new_id()
                    } else {
                        a.id.clone()
                    };
                    let st = Self::stored_from(*doc, a, id, now).map_err(|p| self.fail(p))?;
                    Some(st)
                }
                Change::Update(doc, a) => {
                    Some(Self::stored_from(*doc, a, a.id.clone(), 0).map_err(|p| self.fail(p))?)
                }
                _ => None,
            });
        }
        self.write(|c| {
            // Unique across processes: the transaction holds the write lock.
            let batch: Option<i64> = if changes.len() > 1 {
                Some(
                    c.query_row("SELECT COALESCE(MAX(batch), 0) + 1 FROM edits", [], |r| {
                        r.get(0)
                    })?,
                )
            } else {
                None
            };
            let mut added = Vec::new();
            let mut doc_ids = HashMap::new();
            for (ch, st) in changes.iter().zip(&prepared) {
                match (ch, st) {
                    (Change::Add(doc, a), Some(st)) => {
                        add_in(c, *doc, st, now, batch, &mut doc_ids)?;
                        added.push(Annotation {
                            id: st.id.clone(),
                            ..a.clone()
                        });
                    }
                    (Change::Update(_, a), Some(st)) => {
                        let new = st.clone();
                        change_in(
                            c,
                            &a.id,
                            Op::Update,
                            move |old| StoredAnnotation {
                                created: old.created,
                                ..new
                            },
                            batch,
                        )?;
                    }
                    (Change::SetStatus(id, status), _) => {
                        change_in(c, id, Op::Status, status_to(*status), batch)?
                    }
                    (Change::Delete(id), _) => delete_in(c, id, batch)?,
                    _ => unreachable!("prepared matches its change"),
                }
            }
            Ok(added)
        })
    }

    /// Set the review status of the article starting at byte `article_start` of `doc`.
    /// Not part of the undo log (it is a bookmark, not an edit of the annotations).
    pub fn set_review(
        &mut self,
        doc: Doc<'_>,
        article_start: usize,
        review: Review,
    ) -> Result<(), StoreError> {
        let cp = CpMap::new(doc.text)
            .to_cp(article_start)
            .ok_or_else(|| self.fail(Problem::Invalid(format!("offset {article_start}"))))?;
        let now = now_ms();
        self.write(|c| {
            let d = doc_row(c, doc, now)?;
            c.execute(
                "INSERT OR REPLACE INTO reviews (doc, article_cp, status, updated) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![d, cp as i64, review.key(), now],
            )?;
            Ok(())
        })
    }

    /// The review statuses set on a document's articles: (article start byte, status).
    pub fn reviews_for(&self, doc: Doc<'_>) -> Result<Vec<(usize, Review)>, StoreError> {
        let Some(doc_id) = find_doc(&self.conn, doc.path, Some(&text_hash(doc.text)))
            .map_err(|e| self.error(e))?
        else {
            return Ok(Vec::new());
        };
        let rows = self.rows(
            "SELECT article_cp, status FROM reviews WHERE doc = ?1 ORDER BY article_cp",
            doc_id,
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )?;
        let map = CpMap::new(doc.text);
        Ok(rows
            .into_iter()
            .filter_map(|(cp, s)| {
                let b = map.to_byte(usize::try_from(cp).ok()?)?;
                Some((b, Review::parse(&s)))
            })
            .collect())
    }

    /// The stored annotations of a document (by path, else by text hash), as stored.
    pub fn stored_for(&self, doc: Doc<'_>) -> Result<Vec<StoredAnnotation>, StoreError> {
        let Some(doc_id) = find_doc(&self.conn, doc.path, Some(&text_hash(doc.text)))
            .map_err(|e| self.error(e))?
        else {
            return Ok(Vec::new());
        };
        self.rows(
            &format!(
                "SELECT {ROW_COLUMNS} FROM annotations WHERE doc = ?1 ORDER BY start_cp, end_cp, id"
            ),
            doc_id,
            row_to_stored,
        )
    }

    /// The annotations of a document re-anchored into `doc.text` (see the module docs).
    pub fn annotations_for(&self, doc: Doc<'_>) -> Result<Anchored, StoreError> {
        Ok(anchor(doc.text, self.stored_for(doc)?))
    }

    /// Undo the latest edit of the document at `doc_path`, committed on return.
    /// `Ok(None)` if there is nothing to undo.
    pub fn undo(&mut self, doc_path: &str) -> Result<Option<Edit>, StoreError> {
        self.step(doc_path, true)
    }

    /// Redo the oldest undone edit of the document at `doc_path`, committed on return.
    /// `Ok(None)` if there is nothing to redo.
    pub fn redo(&mut self, doc_path: &str) -> Result<Option<Edit>, StoreError> {
        self.step(doc_path, false)
    }

    /// Undo the latest action of the document at `doc_path`: its latest edit, or its
    /// whole batch (which may span documents). The edits undone, latest first.
    pub fn undo_action(&mut self, doc_path: &str) -> Result<Vec<Edit>, StoreError> {
        self.step_action(doc_path, true)
    }

    /// Redo the oldest undone action of the document at `doc_path` (edit or batch). The
    /// edits redone, in order.
    pub fn redo_action(&mut self, doc_path: &str) -> Result<Vec<Edit>, StoreError> {
        self.step_action(doc_path, false)
    }

    fn step(&mut self, doc_path: &str, undo: bool) -> Result<Option<Edit>, StoreError> {
        Ok(self.step_action(doc_path, undo)?.into_iter().last())
    }

    fn step_action(&mut self, doc_path: &str, undo: bool) -> Result<Vec<Edit>, StoreError> {
        self.write(|c| {
            let Some(doc) = find_doc(c, doc_path, None)? else {
                return Ok(Vec::new());
            };
            let sql = if undo {
                format!(
                    "SELECT {EDIT_COLUMNS} FROM edits \
                     WHERE doc = ?1 AND undone = 0 ORDER BY seq DESC LIMIT 1"
                )
            } else {
                format!(
                    "SELECT {EDIT_COLUMNS} FROM edits \
                     WHERE doc = ?1 AND undone = 1 ORDER BY seq ASC LIMIT 1"
                )
            };
            let Some(first) = c.query_row(&sql, [doc], row_to_edit).optional()? else {
                return Ok(Vec::new());
            };
            let edits = match first.batch {
                None => vec![first],
                Some(b) => {
                    let sql = if undo {
                        format!(
                            "SELECT {EDIT_COLUMNS} FROM edits \
                             WHERE batch = ?1 AND undone = 0 ORDER BY seq DESC"
                        )
                    } else {
                        format!(
                            "SELECT {EDIT_COLUMNS} FROM edits \
                             WHERE batch = ?1 AND undone = 1 ORDER BY seq ASC"
                        )
                    };
                    let mut st = c.prepare(&sql)?;
                    let rows = st
                        .query_map([b], row_to_edit)?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    rows
                }
            };
            let mut out = Vec::with_capacity(edits.len());
            for e in edits {
                step_in(c, &e, undo)?;
                out.push(Edit { undone: undo, ..e });
            }
            Ok(out)
        })
    }

    /// The edit log of the document at `doc_path`, oldest first (undone edits included,
    /// marked; they are the redo stack).
    pub fn history(&self, doc_path: &str) -> Result<Vec<Edit>, StoreError> {
        let Some(doc) = find_doc(&self.conn, doc_path, None).map_err(|e| self.error(e))? else {
            return Ok(Vec::new());
        };
        self.rows(
            &format!("SELECT {EDIT_COLUMNS} FROM edits WHERE doc = ?1 ORDER BY seq"),
            doc,
            row_to_edit,
        )
    }

    /// The paths of the documents that the edits of `batch` touched.
    pub fn batch_documents(&self, batch: i64) -> Result<Vec<String>, StoreError> {
        self.rows(
            "SELECT DISTINCT d.path FROM edits e JOIN documents d ON d.id = e.doc \
             WHERE e.batch = ?1",
            batch,
            |r| r.get(0),
        )
    }

    /// The path of a document whose text has this [`text_hash`] (the most recently
    /// updated one if several do), `None` if no document has it.
    pub fn path_for_hash(&self, hash: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT path FROM documents WHERE text_hash = ?1 ORDER BY updated DESC LIMIT 1",
                [hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))
    }
}

fn status_to(status: Status) -> impl FnOnce(&StoredAnnotation) -> StoredAnnotation {
    move |old| StoredAnnotation {
        status: status.name().to_string(),
        updated: now_ms(),
        ..old.clone()
    }
}

enum WriteError {
    Sql(rusqlite::Error),
    Problem(Problem),
}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        WriteError::Sql(e)
    }
}

const EDIT_COLUMNS: &str = "seq, op, annotation, before, after, at, undone, batch";

fn row_to_edit(r: &rusqlite::Row<'_>) -> rusqlite::Result<Edit> {
    Ok(Edit {
        batch: r.get(7)?,
        seq: r.get(0)?,
        op: Op::parse(&r.get::<_, String>(1)?),
        annotation: r.get(2)?,
        before: from_json(r.get(3)?),
        after: from_json(r.get(4)?),
        at: r.get(5)?,
        undone: r.get(6)?,
    })
}

fn log_edit(
    c: &Connection,
    doc: i64,
    id: &str,
    op: Op,
    before: Option<&StoredAnnotation>,
    after: Option<&StoredAnnotation>,
    batch: Option<i64>,
) -> rusqlite::Result<()> {
    // A new edit ends the redo stack of its document.
    c.prepare_cached("DELETE FROM edits WHERE doc = ?1 AND undone = 1")?
        .execute([doc])?;
    c.prepare_cached(
        "INSERT INTO edits (doc, annotation, op, before, after, at, batch) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        doc,
        id,
        op.name(),
        to_json(before),
        to_json(after),
        now_ms(),
        batch
    ])?;
    Ok(())
}

/// The document row for `doc` (created, or its text hash refreshed).
fn doc_row(c: &Connection, doc: Doc<'_>, now: i64) -> rusqlite::Result<i64> {
    let hash = text_hash(doc.text);
    match c
        .prepare_cached("SELECT id FROM documents WHERE path = ?1")?
        .query_row([doc.path], |r| r.get::<_, i64>(0))
        .optional()?
    {
        Some(d) => {
            c.prepare_cached("UPDATE documents SET text_hash = ?2, updated = ?3 WHERE id = ?1")?
                .execute(params![d, hash, now])?;
            Ok(d)
        }
        None => {
            c.prepare_cached(
                "INSERT INTO documents (path, text_hash, created, updated) VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![doc.path, hash, now])?;
            Ok(c.last_insert_rowid())
        }
    }
}

fn add_in(
    c: &Connection,
    doc: Doc<'_>,
    stored: &StoredAnnotation,
    now: i64,
    batch: Option<i64>,
    doc_ids: &mut HashMap<String, i64>,
) -> Result<(), WriteError> {
    if get_stored(c, &stored.id)?.is_some() {
        return Err(WriteError::Problem(Problem::Invalid(format!(
            "an annotation {:?} already exists",
            stored.id
        ))));
    }
    // Once per document per batch: an accept-all adds thousands to a few documents each.
    let doc_id = match doc_ids.get(doc.path) {
        Some(&id) => id,
        None => {
            let id = doc_row(c, doc, now)?;
            doc_ids.insert(doc.path.to_owned(), id);
            id
        }
    };
    put_stored(c, doc_id, stored)?;
    log_edit(c, doc_id, &stored.id, Op::Add, None, Some(stored), batch)?;
    Ok(())
}

fn change_in(
    c: &Connection,
    id: &str,
    op: Op,
    f: impl FnOnce(&StoredAnnotation) -> StoredAnnotation,
    batch: Option<i64>,
) -> Result<(), WriteError> {
    let (doc, old) = get_stored(c, id)?
        .ok_or_else(|| WriteError::Problem(Problem::NoSuchAnnotation(id.to_string())))?;
    let new = f(&old);
    put_stored(c, doc, &new)?;
    log_edit(c, doc, id, op, Some(&old), Some(&new), batch)?;
    Ok(())
}

fn delete_in(c: &Connection, id: &str, batch: Option<i64>) -> Result<(), WriteError> {
    let (doc, old) = get_stored(c, id)?
        .ok_or_else(|| WriteError::Problem(Problem::NoSuchAnnotation(id.to_string())))?;
    c.prepare_cached("DELETE FROM annotations WHERE id = ?1")?
        .execute([id])?;
    log_edit(c, doc, id, Op::Delete, Some(&old), None, batch)?;
    Ok(())
}

/// Put back the `before` (undo) or `after` (redo) of an edit and mark it.
fn step_in(c: &Connection, edit: &Edit, undo: bool) -> rusqlite::Result<()> {
    let doc: i64 = c
        .prepare_cached("SELECT doc FROM edits WHERE seq = ?1")?
        .query_row([edit.seq], |r| r.get(0))?;
    let target = if undo { &edit.before } else { &edit.after };
    match target {
        Some(a) => put_stored(c, doc, a)?,
        None => {
            c.prepare_cached("DELETE FROM annotations WHERE id = ?1")?
                .execute([&edit.annotation])?;
        }
    }
    c.prepare_cached("UPDATE edits SET undone = ?2 WHERE seq = ?1")?
        .execute(params![edit.seq, undo])?;
    Ok(())
}

/// Re-anchor stored annotations into `text` (see the module docs).
pub fn anchor(text: &str, stored: Vec<StoredAnnotation>) -> Anchored {
    let map = CpMap::new(text);
    let mut out = Anchored::default();
    for s in stored {
        let old = match (map.to_byte(s.start_cp), map.to_byte(s.end_cp)) {
            (Some(a), Some(b)) if a <= b => Some((a, b)),
            _ => None,
        };
        if let Some((a, b)) = old {
            if !s.exact.is_empty()
                && text[a..b] == *s.exact
                && text[..a].ends_with(&s.prefix)
                && text[b..].starts_with(&s.suffix)
            {
                out.live.push(s.with_bytes(a, b));
                continue;
            }
        }
        let hint = old.map_or(text.len(), |(a, _)| a);
        match s.quote().locate(text, hint) {
            Some((a, b)) => {
                if old != Some((a, b)) {
                    out.moved.push(s.id.clone());
                }
                out.live.push(s.with_bytes(a, b));
            }
            None => out.orphaned.push(s),
        }
    }
    out.live
        .sort_by(|x, y| (x.start, x.end, &x.id).cmp(&(y.start, y.end, &y.id)));
    out
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
