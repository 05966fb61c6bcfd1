//! Which process owns a run: pid, host and a start token (boot id plus the process's
//! start time), so that "the owner no longer exists" survives pid reuse and reboots.
//!
//! Linux reads `/proc`; where `/proc` is missing the owner of a run on this host is always
//! taken to be alive (a run is never closed on a guess).

/// The current process as a run owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Process id.
    pub pid: u32,
    /// Host name.
    pub host: String,
    /// Boot id and start time, when `/proc` tells them.
    pub start: Option<String>,
}

impl Owner {
    /// This process.
    pub fn current() -> Owner {
        let pid = std::process::id();
        Owner {
            pid,
            host: host_name(),
            start: start_token(pid),
        }
    }
}

/// Whether the process that owned a run still exists. `None` when that cannot be told
/// (another host, or no `/proc`).
pub fn alive(pid: u32, host: &str, start: Option<&str>) -> Option<bool> {
    if host != host_name() {
        return None;
    }
    if !std::path::Path::new("/proc/self/stat").exists() {
        return None;
    }
    match (start_token(pid), start) {
        (None, _) => Some(false),
        (Some(now), Some(then)) => Some(now == then),
        (Some(_), None) => Some(true),
    }
}

/// The host name (kernel's, else `$HOSTNAME`, else `localhost`).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".to_string())
}

/// `<boot id>:<start time in clock ticks>` of `pid`, from `/proc`.
fn start_token(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: split after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    // Fields after the name start at field 3 (state); start time is field 22.
    let start = rest.split_whitespace().nth(19)?;
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default();
    Some(format!("{}:{start}", boot.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_dead_child_is_not() {
        let me = Owner::current();
        if alive(me.pid, &me.host, me.start.as_deref()).is_none() {
            println!("skipped: no /proc on this system");
            return;
        }
        assert_eq!(alive(me.pid, &me.host, me.start.as_deref()), Some(true));
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        let pid = child.id();
        child.wait().expect("wait");
        assert_eq!(alive(pid, &me.host, None), Some(false));
        // The same pid with another start token is another process (pid reuse).
        assert_eq!(alive(me.pid, &me.host, Some("other-boot:1")), Some(false));
        assert_eq!(alive(me.pid, "some-other-host", None), None);
    }
}
