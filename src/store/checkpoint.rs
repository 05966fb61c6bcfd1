//! WAL checkpoints off the writer's path (issue 16 item 1). SQLite checkpoints a WAL
//! database inside the commit that takes the log past `wal_autocheckpoint` pages: the
//! writing connection then copies the log into the database file before it can write again.
//! During a run the writer is the one thread every site's results queue for, so
//! [`Store::checkpoint_elsewhere`] turns its automatic checkpoint off and a thread of its own,
//! with its own connection, checkpoints while the writer goes on (a PASSIVE checkpoint
//! never blocks the writer or the readers). [`Checkpointer::finish`] checkpoints once more,
//! stops the thread and gives the writer its automatic checkpoint back.

use super::{BUSY_TIMEOUT, Store, StoreError};
use rusqlite::Connection;
use std::sync::mpsc;
use std::time::Duration;

/// How often the checkpointer looks at the log.
const INTERVAL: Duration = Duration::from_millis(200);

/// SQLite's default `wal_autocheckpoint` (pages), restored on the writer at the end.
const DEFAULT_AUTOCHECKPOINT: i64 = 1000;

/// What a checkpointer did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckpointStats {
    /// Checkpoints that copied at least one page.
    pub checkpoints: u64,
    /// Log frames copied into the database file, summed over those checkpoints: a lower
    /// bound (a log the writer restarted and grew past its earlier length between two
    /// looks adds only the frames beyond the earlier count).
    pub frames: u64,
    /// The error that stopped the thread early (checkpoints were then left to the end).
    pub error: Option<String>,
}

/// The checkpointing thread of a [`Store`]; see the module documentation.
pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<CheckpointStats>,
}

impl Store {
    /// Starts a [`Checkpointer`] for this database and turns this connection's automatic
    /// checkpoint off. When the second connection cannot be opened or the thread cannot
    /// start, the automatic checkpoint stays on and the error (in Chinese) says why.
    pub fn checkpoint_elsewhere(&self) -> Result<Checkpointer, String> {
        let conn = Connection::open(&self.path)
            .and_then(|c| c.busy_timeout(BUSY_TIMEOUT).map(|()| c))
            .map_err(|e| format!("无法为检查点打开数据库 {}：{e}", self.path.display()))?;
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("govscore-checkpoint".into())
            .spawn(move || checkpoint_loop(&conn, &stopped))
            .map_err(|e| format!("无法启动检查点线程：{e}"))?;
        let checkpointer = Checkpointer { stop, thread };
        if let Err(e) = self.set_autocheckpoint(0) {
            let _ = checkpointer.finish(self);
            return Err(e.to_string());
        }
        Ok(checkpointer)
    }

    /// Sets this connection's `wal_autocheckpoint` (pages; 0 turns it off).
    fn set_autocheckpoint(&self, pages: i64) -> Result<(), StoreError> {
        self.conn
            .query_row(&format!("PRAGMA wal_autocheckpoint = {pages}"), [], |_| {
                Ok(())
            })?;
        Ok(())
    }

    /// This connection's `wal_autocheckpoint` (pages).
    #[cfg(test)]
    fn autocheckpoint(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?)
    }
}

impl Checkpointer {
    /// Checkpoints once more, stops the thread and turns `writer`'s automatic checkpoint
    /// back on; returns what the thread did. Blocks until the last checkpoint is done.
    pub fn finish(self, writer: &Store) -> Result<CheckpointStats, StoreError> {
        let _ = self.stop.send(());
        let stats = self.thread.join().unwrap_or_else(|_| CheckpointStats {
            error: Some("检查点线程异常退出".into()),
            ..CheckpointStats::default()
        });
        writer.set_autocheckpoint(DEFAULT_AUTOCHECKPOINT)?;
        Ok(stats)
    }
}

/// Checkpoints every [`INTERVAL`] until told to stop (or the sender is gone), then once
/// more.
fn checkpoint_loop(conn: &Connection, stopped: &mpsc::Receiver<()>) -> CheckpointStats {
    let mut stats = CheckpointStats::default();
    // The log's frames and those checkpointed, as the last checkpoint left them.
    let mut last = (0, 0);
    loop {
        let stop = !matches!(
            stopped.recv_timeout(INTERVAL),
            Err(mpsc::RecvTimeoutError::Timeout)
        );
        match checkpoint(conn) {
            Ok((log, done)) => {
                // A log shorter than before was restarted by the writer after a complete
                // checkpoint: every frame of it is new.
                let before = if log < last.0 { 0 } else { last.1 };
                if done > before {
                    stats.checkpoints += 1;
                    stats.frames += done - before;
                }
                last = (log, done);
            }
            Err(e) => {
                tracing::warn!("WAL检查点失败，本次运行余下部分不再单独执行检查点：{e}");
                stats.error = Some(e.to_string());
                return stats;
            }
        }
        if stop {
            return stats;
        }
    }
}

/// One PASSIVE checkpoint: the frames in the log and how many of them are now in the
/// database file (both 0 when the database is not in WAL mode).
fn checkpoint(conn: &Connection) -> rusqlite::Result<(u64, u64)> {
    // (busy, frames in the log, frames checkpointed), -1 for the last two without a WAL.
    let (_busy, log, done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok((count(log), count(done)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `n` transactions of 200 rows of 1 KB each through `store`.
    fn write(store: &Store, n: usize) {
        store
            .conn
            .execute_batch("CREATE TABLE IF NOT EXISTS filler (x BLOB)")
            .unwrap();
        for _ in 0..n {
            store
                .conn
                .execute_batch(
                    "BEGIN; INSERT INTO filler SELECT randomblob(1024) FROM
                     (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200)
                      SELECT i FROM c); COMMIT;",
                )
                .unwrap();
        }
    }

    #[test]
    fn the_checkpointer_copies_the_log_while_the_writer_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        assert_eq!(store.autocheckpoint().unwrap(), DEFAULT_AUTOCHECKPOINT);
        let checkpointer = store.checkpoint_elsewhere().unwrap();
        assert_eq!(
            store.autocheckpoint().unwrap(),
            0,
            "the writer's own is off"
        );
        // About 1,500 pages: past the automatic checkpoint's 1,000.
        write(&store, 30);
        let stats = checkpointer.finish(&store).unwrap();
        assert!(stats.checkpoints >= 1, "{stats:?}");
        assert!(stats.frames >= 1000, "{stats:?}");
        assert_eq!(stats.error, None);
        assert_eq!(store.autocheckpoint().unwrap(), DEFAULT_AUTOCHECKPOINT);
        // Everything the writer committed is in the database file: a checkpoint now finds
        // no frame left to copy.
        let (log, done): (i64, i64) = store
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(log, done);
        let rows: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM filler", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 30 * 200);
    }

    #[test]
    fn a_checkpointer_that_cannot_open_the_database_leaves_the_writer_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open(&path).unwrap();
        // The checkpointer opens the file again; a folder in its place cannot be opened.
        let moved = dir.path().join("moved.db");
        std::fs::rename(&path, &moved).unwrap();
        std::fs::create_dir(&path).unwrap();
        let err = store
            .checkpoint_elsewhere()
            .err()
            .expect("no second connection");
        assert!(err.contains("无法为检查点打开数据库"), "{err}");
        assert_eq!(store.autocheckpoint().unwrap(), DEFAULT_AUTOCHECKPOINT);
    }
}
