//! An exclusive lock on a run directory, so two scans (or a scan and a resume) never write the
//! same evidence file.
//!
//! The lock is an advisory `flock` on `RUN_DIR/.kensa.lock`, which holds the holder's process
//! id for the message a second writer gets. The kernel releases it when the holder exits,
//! however it exits (kill -9 included), so a crashed run never leaves a stale lock. The file
//! itself stays in place: removing it would let two processes lock two different files of the
//! same name. On platforms without `flock` the lock is not taken.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The lock file's name inside a run directory.
pub const LOCK_FILE: &str = ".kensa.lock";

/// Why a run directory could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock.
    #[error(
        "{dir}: another kensa process (pid {pid}) is writing this run directory; wait for it \
         to finish or stop it first"
    )]
    Held {
        /// The run directory.
        dir: String,
        /// The holder's process id, as it wrote it (`?` when unreadable).
        pid: String,
    },
    /// The lock file could not be created or locked.
    #[error("cannot create the lock file {file}: {source}")]
    Io {
        /// The lock file.
        file: String,
        /// The cause.
        source: io::Error,
    },
}

/// A held lock on a run directory; released when dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    path: PathBuf,
}

impl RunLock {
    /// Lock `dir` (which must exist) without waiting.
    pub fn take(dir: &Path) -> Result<Self, LockError> {
        Self::take_file(&dir.join(LOCK_FILE), dir)
    }

    /// Lock the file `path` (created when absent, never removed) without waiting; `what`
    /// names what it guards in the error (a run directory, a run database).
    pub fn take_file(path: &Path, what: &Path) -> Result<Self, LockError> {
        let dir = what;
        let path = path.to_owned();
        let io_err = |source| LockError::Io {
            file: path.display().to_string(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err)?;
        if !try_lock(&file).map_err(io_err)? {
            let mut pid = String::new();
            let _ = file.take(32).read_to_string(&mut pid);
            let pid = pid.trim();
            return Err(LockError::Held {
                dir: dir.display().to_string(),
                pid: if pid.is_empty() { "?" } else { pid }.to_owned(),
            });
        }
        file.set_len(0).map_err(io_err)?;
        writeln!(file, "{}", std::process::id()).map_err(io_err)?;
        Ok(Self { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Take the exclusive lock on `file` without waiting: `Ok(false)` when another holds it.
#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let d = tempfile::tempdir().unwrap();
        let first = RunLock::take(d.path()).unwrap();
        let err = RunLock::take(d.path()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains(&d.path().display().to_string()), "{msg}");
        drop(first);
        RunLock::take(d.path()).unwrap();
    }
}
