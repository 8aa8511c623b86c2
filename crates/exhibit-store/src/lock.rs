//! The lock an open case holds on its file, so that a second process gets
//! [`StoreError::Locked`](crate::StoreError::Locked) instead of becoming a second writer.
//!
//! On Unix it is `flock` on the whole file (std's `File::try_lock`), which SQLite's own
//! POSIX record locks never meet. On Windows std's lock is `LockFileEx` over the whole
//! file, and Windows byte-range locks are mandatory: SQLite, which reads, writes and locks
//! the same file through its own handle, would be refused every read ("database is
//! locked"). There the lock is one byte far past the end of any possible file, which
//! SQLite never reads, writes or locks (its own lock bytes sit at 1 GiB).

use std::fs::{File, TryLockError};

/// Takes the exclusive lock, or says another process holds it.
pub(crate) fn try_exclusive(file: &File) -> Result<(), TryLockError> {
    imp::try_lock(file, true)
}

/// Takes a shared lock: other readers may take it too, a writer cannot.
pub(crate) fn try_shared(file: &File) -> Result<(), TryLockError> {
    imp::try_lock(file, false)
}

#[cfg(not(windows))]
mod imp {
    use std::fs::{File, TryLockError};

    pub(super) fn try_lock(file: &File, exclusive: bool) -> Result<(), TryLockError> {
        if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        }
    }
}

#[cfg(windows)]
mod imp {
    use std::fs::{File, TryLockError};

    /// 4 EiB: beyond any file NTFS, exFAT or FAT can hold, and below 2^63 so that
    /// servers mapping the lock onto POSIX offsets (Samba) take it as it is.
    const LOCK_OFFSET: usize = 1 << 62;

    pub(super) fn try_lock(file: &File, exclusive: bool) -> Result<(), TryLockError> {
        let kind = if exclusive {
            file_guard::Lock::Exclusive
        } else {
            file_guard::Lock::Shared
        };
        match file_guard::try_lock(file, kind, LOCK_OFFSET, 1) {
            // Windows lets go of the lock when the handle closes, as with std's lock: the
            // guard, which would unlock at once, is not kept.
            Ok(guard) => {
                std::mem::forget(guard);
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Err(TryLockError::WouldBlock),
            Err(e) => Err(TryLockError::Error(e)),
        }
    }
}
