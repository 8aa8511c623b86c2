//! The case file: one SQLCipher 4 database holding everything about a case.
//!
//! This is the only crate that touches SQL. The main type is [`Store`], opened or
//! created with a [`Passphrase`]; [`StoreError`] names every way that can fail.
//!
//! # Encryption scheme
//!
//! The whole file, including every artifact's bytes, is encrypted by SQLCipher 4 with
//! its default settings: AES-256-CBC per 4096-byte page with a random IV, an
//! HMAC-SHA512 over each page, and the page key derived from the passphrase with
//! PBKDF2-HMAC-SHA512 (256,000 iterations) and the random salt in the file's first 16
//! bytes. Because only the defaults are used, any SQLCipher 4 (the `sqlcipher` shell,
//! Python's `sqlcipher3`) opens the file with `PRAGMA key = 'passphrase'` and nothing
//! else. No one can recover a lost passphrase.
//!
//! The passphrase lives in a [`Passphrase`], which zeroes its memory when dropped; it is
//! never logged or written. On open, Exhibit derives the page key itself with the same
//! PBKDF2 (from the salt in the file's first 16 bytes) and hands SQLCipher the raw key,
//! so the passphrase can be dropped at once. The 32-byte key stays in a zeroing buffer
//! while the case is open (SQLCipher holds it too) so that verification can read with
//! a second connection on the second core. All SQL text carrying key material is zeroed.
//!
//! # Durability and locking
//!
//! WAL journal with `synchronous = FULL`: a committed transaction survives a crash or a
//! power cut, and a transaction in flight is rolled back. Each capture is one
//! transaction. While a [`Store`] is open it holds an exclusive lock on the file (`flock`
//! on Unix, a byte range SQLite never touches on Windows: `lock.rs`), so a second
//! process gets [`StoreError::Locked`] instead of a second writer.

mod campaign;
mod captures;
mod custody;
mod drafts;
mod lock;
mod packing;
mod pages;
mod parties;
mod purchases;
mod schema;
mod timestamps;
mod verify;

pub use campaign::{
    FiledListing, FilingRow, ListingRow, NewFiling, NewOutcome, OutcomeRow, RelistingRow,
    TimelineRow,
};
pub use captures::PageFilter;
pub use drafts::Attachment;
pub use packing::{PackedArtifact, pack, pack_owned};
pub use purchases::{
    ItemCustodyRow, NewItemCustody, NewPurchase, NewPurchaseUpdate, PurchaseFileRow, PurchaseRow,
    PurchaseUpdateRow, VerdictRow,
};
pub use timestamps::{MissedAttempt, NewTimestamp, StoredTimestamp, TimestampSubject};
pub use verify::{Problem, VerifyReport};

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::Utc;
use exhibit_domain::{CustodyEventKind, rfc3339_millis};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use zeroize::Zeroizing;

pub use schema::LATEST_VERSION;

/// A case passphrase. Its memory is zeroed on drop and it never prints.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(s: String) -> Self {
        Passphrase(Zeroizing::new(s))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// The smallest zxcvbn score (0 to 4) a new passphrase must reach.
pub const MIN_PASSPHRASE_SCORE: u8 = 3;
/// The shortest passphrase accepted, whatever its score.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Everything that can go wrong with a case file. Each variant's message is one plain
/// sentence that says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The new passphrase is too easy to guess.
    #[error(
        "This passphrase is too easy to guess{hint}. Use at least {MIN_PASSPHRASE_CHARS} characters, for example four unrelated words; no one can recover a lost passphrase."
    )]
    WeakPassphrase { hint: String },
    /// The passphrase does not decrypt the file.
    #[error(
        "The passphrase does not open this case. Check it and try again (a damaged first page of the file looks the same: if you are sure of the passphrase, restore the case from a backup)."
    )]
    WrongPassphrase,
    /// The file is not an Exhibit case at all.
    #[error("{path} is not an Exhibit case file ({reason}).")]
    NotACase { path: PathBuf, reason: String },
    /// Another process has the case open.
    #[error(
        "The case {path} is open elsewhere. Close the other Exhibit window or command, then try again."
    )]
    Locked { path: PathBuf },
    /// The case was written by a newer Exhibit.
    #[error(
        "This case was made by a newer version of Exhibit (case format {found}, this version reads up to {supported}). Update Exhibit to open it."
    )]
    TooNew { found: i64, supported: i64 },
    /// A page of the file failed its integrity check.
    #[error(
        "The case file is damaged ({detail}). Restore it from a backup; `exhibit verify` lists what is affected."
    )]
    Corrupt { detail: String },
    /// No file at the path.
    #[error("There is no case file at {path}.")]
    NotFound { path: PathBuf },
    /// `create` was asked to overwrite a file.
    #[error("A file already exists at {path}; choose another name so nothing is overwritten.")]
    AlreadyExists { path: PathBuf },
    /// No capture with this id.
    #[error("This case has no capture {0}.")]
    NoSuchCapture(i64),
    /// No listing with this id.
    #[error("This case has no listing {0}; `exhibit listings` shows the ids.")]
    NoSuchListing(i64),
    /// No test purchase with this id.
    #[error("This case has no purchase {0}; `exhibit purchases` shows the ids.")]
    NoSuchPurchase(i64),
    /// The purchase already has its verdict, which is never changed.
    #[error("Purchase {0} already has a verdict, and a verdict cannot be changed or given twice.")]
    VerdictGiven(i64),
    /// The capture has no artifact of this kind.
    #[error("Capture {capture_id} has no '{kind}' artifact.")]
    NoSuchArtifact { capture_id: i64, kind: String },
    /// An artifact's bytes no longer match the hash taken at capture.
    #[error(
        "The '{kind}' artifact of capture {capture_id} no longer matches its hash; it was changed after capture. Run `exhibit verify`."
    )]
    ArtifactTampered { capture_id: i64, kind: String },
    /// A file could not be read or written.
    #[error("Could not use {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A stored value could not be read back.
    #[error(
        "A stored record could not be read ({0}); the case may have been edited outside Exhibit. Run `exhibit verify`."
    )]
    BadRecord(String),
    /// The case is on a medium that cannot be written (a write-protected stick, a
    /// mounted evidence image): it opens for reading and checking only.
    #[error(
        "The case file is on a read-only disk or medium, so nothing can be added to it. Copy it to a writable folder to capture, import or export."
    )]
    ReadOnly,
    /// The case is on a read-only medium and was made by an older Exhibit whose format
    /// must be upgraded before this version can read it.
    #[error(
        "This case was made by an older version of Exhibit and must be upgraded, which needs a writable disk. Copy it to a writable folder and open it there."
    )]
    ReadOnlyNeedsUpgrade,
    /// The disk filled up while writing. SQLite rolled the transaction back.
    #[error(
        "The disk holding the case is full, so this could not be saved; everything saved before it is kept. Free some space and try again."
    )]
    DiskFull,
    /// SQLite said something unexpected.
    #[error("The case file could not be used: {0}")]
    Sqlite(#[source] rusqlite::Error),
    /// Applying a schema migration failed.
    #[error("The case file could not be upgraded: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

impl StoreError {
    /// A stable machine-readable code, so callers branch on codes and never on text.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::WeakPassphrase { .. } => "weak_passphrase",
            StoreError::WrongPassphrase => "wrong_passphrase",
            StoreError::NotACase { .. } => "not_a_case",
            StoreError::Locked { .. } => "case_locked",
            StoreError::TooNew { .. } => "case_too_new",
            StoreError::Corrupt { .. } => "case_corrupt",
            StoreError::NotFound { .. } => "case_not_found",
            StoreError::AlreadyExists { .. } => "case_exists",
            StoreError::NoSuchCapture(_) => "no_such_capture",
            StoreError::NoSuchListing(_) => "no_such_listing",
            StoreError::NoSuchPurchase(_) => "no_such_purchase",
            StoreError::VerdictGiven(_) => "verdict_given",
            StoreError::NoSuchArtifact { .. } => "no_such_artifact",
            StoreError::ArtifactTampered { .. } => "artifact_tampered",
            StoreError::Io { .. } => "io",
            StoreError::BadRecord(_) => "bad_record",
            StoreError::ReadOnly => "case_read_only",
            StoreError::ReadOnlyNeedsUpgrade => "case_read_only",
            StoreError::DiskFull => "disk_full",
            StoreError::Sqlite(_) => "storage",
            StoreError::Migration(_) => "migration",
        }
    }

    /// Whether the case could not be opened at all (as opposed to an operation failing).
    /// Damage found after opening is not counted: it is a verification finding.
    pub fn is_open_failure(&self) -> bool {
        matches!(
            self,
            StoreError::WrongPassphrase
                | StoreError::NotACase { .. }
                | StoreError::Locked { .. }
                | StoreError::TooNew { .. }
                | StoreError::NotFound { .. }
                | StoreError::AlreadyExists { .. }
                | StoreError::WeakPassphrase { .. }
                | StoreError::Io { .. }
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Maps SQLite errors that mean damage to [`StoreError::Corrupt`].
///
/// SQLCipher reports a page that fails its HMAC check (a changed byte) as SQLite's
/// "out of memory": SQLite's pager treats the codec refusing a page as an allocation
/// failure. A real allocation failure is far rarer than damage, so it is reported as
/// damage too.
pub(crate) fn classify(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => StoreError::Corrupt {
            detail: e.to_string(),
        },
        Some(ErrorCode::OutOfMemory) => StoreError::Corrupt {
            detail: "a page failed its integrity check".into(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
        Some(ErrorCode::DiskFull) => StoreError::DiskFull,
        _ => StoreError::Sqlite(e),
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        classify(e)
    }
}

/// An open, unlocked case file.
pub struct Store {
    // Field order matters: the connection must close before the lock file handle,
    // because closing any descriptor of the file drops the process's POSIX locks.
    conn: Connection,
    lock: File,
    path: PathBuf,
    key: PageKey,
    /// Opened from a medium that cannot be written: every change is refused.
    read_only: bool,
}

/// SQLCipher 4's default key derivation: PBKDF2-HMAC-SHA512, 256,000 iterations, 32 bytes.
const KDF_ITERATIONS: u32 = 256_000;

/// The derived page key of an open case. Zeroed on drop; never printed.
struct PageKey(Zeroizing<[u8; 32]>);

impl PageKey {
    fn derive(passphrase: &Passphrase, salt: &[u8; 16]) -> PageKey {
        let mut key = Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(
            passphrase.expose().as_bytes(),
            salt,
            KDF_ITERATIONS,
            &mut *key,
        );
        PageKey(key)
    }

    fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Keys a connection with the raw key (no second key derivation).
    fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        let mut sql = Zeroizing::new(String::with_capacity(96));
        sql.push_str("PRAGMA key = \"x'");
        for b in self.0.iter() {
            sql.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            sql.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        sql.push_str("'\";");
        conn.execute_batch(&sql)
    }
}

/// The salt SQLCipher keeps in the first 16 bytes of the file.
fn read_salt(path: &Path, file: &mut File) -> Result<[u8; 16]> {
    use std::io::{Seek, SeekFrom};
    let mut salt = [0u8; 16];
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.read_exact(&mut salt))
        .map_err(|source| StoreError::Io {
            path: path.to_owned(),
            source,
        })?;
    Ok(salt)
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Checks a new passphrase against the minimum strength.
pub fn check_passphrase_strength(p: &Passphrase, user_inputs: &[&str]) -> Result<()> {
    let s = p.expose();
    if s.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(StoreError::WeakPassphrase {
            hint: format!(" (it is shorter than {MIN_PASSPHRASE_CHARS} characters)"),
        });
    }
    let entropy = zxcvbn::zxcvbn(s, user_inputs);
    if (entropy.score() as u8) < MIN_PASSPHRASE_SCORE {
        let hint = entropy
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({})", w.to_string().trim_end_matches('.').to_lowercase()))
            .unwrap_or_default();
        return Err(StoreError::WeakPassphrase { hint });
    }
    Ok(())
}

/// How strong a new passphrase is, for a meter shown while the user types.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Strength {
    /// zxcvbn's score, 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// Whether [`Store::create`] and a passphrase change will accept it.
    pub acceptable: bool,
    pub warning: Option<String>,
    pub suggestions: Vec<String>,
}

/// Scores a passphrase the way [`check_passphrase_strength`] judges it.
pub fn passphrase_strength(p: &Passphrase, user_inputs: &[&str]) -> Strength {
    let s = p.expose();
    let entropy = zxcvbn::zxcvbn(s, user_inputs);
    let score = entropy.score() as u8;
    let short = s.chars().count() < MIN_PASSPHRASE_CHARS;
    let feedback = entropy.feedback();
    let mut warning = feedback.and_then(|f| f.warning()).map(|w| w.to_string());
    if short && warning.is_none() && !s.is_empty() {
        warning = Some(format!("Use at least {MIN_PASSPHRASE_CHARS} characters."));
    }
    Strength {
        score,
        acceptable: !short && score >= MIN_PASSPHRASE_SCORE,
        warning,
        suggestions: feedback
            .map(|f| f.suggestions().iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    }
}

fn lock_exclusive(path: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => StoreError::NotFound {
                path: path.to_owned(),
            },
            _ => StoreError::Io {
                path: path.to_owned(),
                source,
            },
        })?;
    locked(path, lock::try_exclusive(&file)).map(|()| file)
}

/// What taking a lock on the case file gave, as the store's error: another process
/// holding it is [`StoreError::Locked`].
fn locked(path: &Path, taken: Result<(), std::fs::TryLockError>) -> Result<()> {
    match taken {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            path: path.to_owned(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Whether opening for writing failed because the file or its medium cannot be written.
fn cannot_write(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
    )
}

/// Opens a case that cannot be written for reading, with a shared lock: other readers
/// may open it too, and no writer can (it would need the exclusive lock).
fn lock_shared_read_only(path: &Path) -> Result<File> {
    let file = File::open(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    locked(path, lock::try_shared(&file)).map(|()| file)
}

/// Rejects files that cannot be a SQLCipher case before any key is tried, so that
/// "wrong passphrase" is only ever said about something that could be a case.
fn sniff(path: &Path, file: &mut File) -> Result<()> {
    let not_a_case = |reason: &str| StoreError::NotACase {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    let len = file
        .metadata()
        .map_err(|source| StoreError::Io {
            path: path.to_owned(),
            source,
        })?
        .len();
    if len == 0 {
        return Err(not_a_case("the file is empty"));
    }
    let mut head = [0u8; 16];
    let n = file.read(&mut head).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    if n == 16 && &head == b"SQLite format 3\0" {
        return Err(not_a_case("it is an unencrypted SQLite database"));
    }
    if len < 1024 || len % 512 != 0 {
        return Err(not_a_case("its size does not fit an encrypted database"));
    }
    Ok(())
}

fn apply_key(conn: &Connection, key_pragma: &str, p: &Passphrase) -> rusqlite::Result<()> {
    // Quote as an SQL string literal; the text holding the passphrase is zeroed after use.
    let mut sql = Zeroizing::new(String::with_capacity(p.expose().len() + 24));
    sql.push_str("PRAGMA ");
    sql.push_str(key_pragma);
    sql.push_str(" = '");
    for c in p.expose().chars() {
        if c == '\'' {
            sql.push('\'');
        }
        sql.push(c);
    }
    sql.push_str("';");
    conn.execute_batch(&sql)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Opens a case on a medium that cannot be written. SQLite reads a WAL-mode file
/// read-only only if its `-shm` and `-wal` files exist or can be made; on a
/// write-protected medium they can't, so the file is opened as immutable (no locks, no
/// WAL index). A clean close always folds the WAL back in (`Drop for Store`), so the
/// main file then holds everything. When a crash left a WAL beside it, that WAL (and
/// its `-shm`) must be read too, so the file is opened the ordinary way.
fn open_read_only(path: &Path, extra: OpenFlags) -> Result<Connection> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0) {
        return open_connection(path, OpenFlags::SQLITE_OPEN_READ_ONLY | extra);
    }
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~ ".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    open_connection(
        Path::new(&uri),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | extra,
    )
}

fn open_connection(path: &Path, flags: OpenFlags) -> Result<Connection> {
    // SQLCipher's cipher is OpenSSL's libcrypto. Left to start itself on SQLCipher's first
    // call, OpenSSL registers a clean-up to run at process exit, which frees its tables
    // while another thread (a job still closing its case) may be using them: a "double
    // free" at exit. Started here first, without that clean-up (idempotent, once a process).
    openssl_sys::init();
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher prints "hmac check failed" to stderr on a wrong key; we report it ourselves.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    Ok(conn)
}

impl Store {
    /// Creates a new case file at `path`. Refuses to overwrite anything and refuses a
    /// weak passphrase.
    pub fn create(path: &Path, passphrase: &Passphrase, title: &str) -> Result<Store> {
        check_passphrase_strength(passphrase, &[title])?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::AlreadyExists => StoreError::AlreadyExists {
                    path: path.to_owned(),
                },
                _ => StoreError::Io {
                    path: path.to_owned(),
                    source,
                },
            })?;
        let created = (|| {
            locked(path, lock::try_exclusive(&file))?;
            let mut conn = open_connection(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            // A new file: SQLCipher makes the salt and derives the key from the passphrase.
            apply_key(&conn, "key", passphrase)?;
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            configure(&conn)?;
            schema::migrations().to_latest(&mut conn)?;
            let now = rfc3339_millis(&Utc::now());
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO case_info (id, title, created_at, format) VALUES (1, ?1, ?2, 'exhibit-case-1')",
                (title, &now),
            )?;
            custody::append(
                &tx,
                CustodyEventKind::CaseCreated,
                &serde_json::json!({ "title": title, "format": "exhibit-case-1" }),
            )?;
            tx.commit()?;
            // Put page 1 (and with it the salt) into the main file, then derive the key
            // the way `open` will.
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            let mut file = file;
            let key = PageKey::derive(passphrase, &read_salt(path, &mut file)?);
            Ok(Store {
                conn,
                lock: file,
                path: path.to_owned(),
                key,
                read_only: false,
            })
        })();
        if created.is_err() {
            // Nothing of value is in a half-made case; leave no debris behind.
            let _ = std::fs::remove_file(path);
            for suffix in ["-wal", "-shm"] {
                let mut side = path.as_os_str().to_owned();
                side.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(side));
            }
        }
        created
    }

    /// Opens and unlocks an existing case file.
    ///
    /// A case on a medium that cannot be written opens read-only: listing, showing,
    /// exporting artifacts and verifying work, and every change is refused with
    /// [`StoreError::ReadOnly`].
    pub fn open(path: &Path, passphrase: &Passphrase) -> Result<Store> {
        let (mut file, read_only) = match lock_exclusive(path) {
            Ok(file) => (file, false),
            Err(StoreError::Io { source, .. }) if cannot_write(&source) => {
                (lock_shared_read_only(path)?, true)
            }
            Err(e) => return Err(e),
        };
        sniff(path, &mut file)?;
        let key = PageKey::derive(passphrase, &read_salt(path, &mut file)?);
        let mut conn = if read_only {
            open_read_only(path, OpenFlags::empty())?
        } else {
            open_connection(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?
        };
        key.apply(&conn)?;
        // The first read is where SQLCipher finds out whether the key is right.
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => {}
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
                return Err(StoreError::WrongPassphrase);
            }
            Err(e) => return Err(classify(e)),
        }
        let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app_id != schema::APPLICATION_ID {
            return Err(StoreError::NotACase {
                path: path.to_owned(),
                reason: "it is an encrypted database, but not one Exhibit made".into(),
            });
        }
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > LATEST_VERSION {
            return Err(StoreError::TooNew {
                found: version,
                supported: LATEST_VERSION,
            });
        }
        if read_only {
            if version < LATEST_VERSION {
                return Err(StoreError::ReadOnlyNeedsUpgrade);
            }
            conn.pragma_update(None, "temp_store", "MEMORY")?;
        } else {
            configure(&conn).map_err(classify)?;
            schema::migrations().to_latest(&mut conn)?;
        }
        Ok(Store {
            conn,
            lock: file,
            path: path.to_owned(),
            key,
            read_only,
        })
    }

    /// Whether the case was opened from a medium that cannot be written.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses at once, before any work, when the case cannot be written.
    pub fn ensure_writable(&self) -> Result<()> {
        if self.read_only {
            Err(StoreError::ReadOnly)
        } else {
            Ok(())
        }
    }

    /// A second, read-only connection to the open case, for work on another thread.
    pub(crate) fn reader(&self) -> Result<Connection> {
        let conn = if self.read_only {
            open_read_only(&self.path, OpenFlags::SQLITE_OPEN_NO_MUTEX)?
        } else {
            open_connection(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        };
        self.key.apply(&conn)?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(classify)?;
        Ok(conn)
    }

    /// The case file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The case title.
    pub fn title(&self) -> Result<String> {
        self.conn
            .query_row("SELECT title FROM case_info WHERE id = 1", [], |r| r.get(0))
            .map_err(classify)
    }

    /// The case format version (`user_version`).
    pub fn format_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Changes the passphrase. The old one stops working at once.
    pub fn change_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        let title = self.title()?;
        check_passphrase_strength(new, &[&title])?;
        // SQLCipher rekeys in rollback-journal mode; fold the WAL back in first.
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(classify)?;
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        let rekeyed = apply_key(&self.conn, "rekey", new);
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        rekeyed.map_err(classify)?;
        self.key = PageKey::derive(new, &read_salt(&self.path, &mut self.lock)?);
        let tx = self.conn.transaction()?;
        custody::append(
            &tx,
            CustodyEventKind::PassphraseChanged,
            &serde_json::json!({}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Folds the write-ahead log into the main file. Called on a clean close so the
    /// case is one file again.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(classify)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
    }
}
