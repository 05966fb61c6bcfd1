//! Storage of robots.txt between runs (`robots_cache`, migration 011): one row per host,
//! replaced when a run reads or renews it. Must not: decide freshness (that is
//! `crawl::robots`).

use super::{Store, StoreError};
use crate::crawl::robots::StoredRobots;
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Store {
    /// Every stored robots.txt (one per host ever assessed). Rows that no longer parse are
    /// skipped: that host's robots.txt is then simply fetched again.
    pub fn load_robots(&self) -> Result<Vec<StoredRobots>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT host, status, body, etag, last_modified, fetched_at, expires_at
             FROM robots_cache",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u16>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let time = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        };
        let mut out = Vec::new();
        for row in rows {
            let (host, status, body, etag, last_modified, fetched_at, expires_at) = row?;
            let (Some(fetched_at), Some(expires_at)) = (time(&fetched_at), time(&expires_at))
            else {
                continue;
            };
            out.push(StoredRobots {
                host,
                status,
                body,
                etag,
                last_modified,
                fetched_at,
                expires_at,
            });
        }
        Ok(out)
    }

    /// Stores the robots.txt a run read or renewed, replacing each host's earlier one.
    pub fn save_robots(&mut self, robots: &[StoredRobots]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for r in robots {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO robots_cache
                    (host, status, body, etag, last_modified, fetched_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                r.host,
                r.status,
                r.body,
                r.etag,
                r.last_modified,
                r.fetched_at.to_rfc3339(),
                r.expires_at.to_rfc3339()
            ])?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_robots_read_back_identical_and_a_later_read_replaces_the_host() {
        let mut store = Store::open_in_memory().unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let first = StoredRobots {
            host: "a.gov.cn:80".into(),
            status: 200,
            body: b"User-agent: *\nDisallow: /x/\n".to_vec(),
            etag: Some("\"1\"".into()),
            last_modified: None,
            fetched_at: at("2023-03-15T08:00:00Z"),
            expires_at: at("2023-03-16T08:00:00Z"),
        };
        let other = StoredRobots {
            host: "b.gov.cn:443".into(),
            status: 404,
            body: Vec::new(),
            etag: None,
            last_modified: None,
            ..first.clone()
        };
        store.save_robots(&[first.clone(), other.clone()]).unwrap();
        let mut loaded = store.load_robots().unwrap();
        loaded.sort_by(|a, b| a.host.cmp(&b.host));
        assert_eq!(loaded, vec![first.clone(), other.clone()]);
        let renewed = StoredRobots {
            fetched_at: at("2023-03-17T08:00:00Z"),
            expires_at: at("2023-03-18T08:00:00Z"),
            ..first
        };
        store.save_robots(std::slice::from_ref(&renewed)).unwrap();
        let mut loaded = store.load_robots().unwrap();
        loaded.sort_by(|a, b| a.host.cmp(&b.host));
        assert_eq!(loaded, vec![renewed, other]);
    }
}
