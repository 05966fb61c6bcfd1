//! `govscore daemon`: assessments on the cron schedule, availability probes between them,
//! notifications, systemd notify/watchdog, one shutdown path.
//!
//! Architecture:
//! - the main loop owns the schedule: it sleeps until the next cron time (croner via
//!   `config::schedule_parser()`, in the configured time zone) and runs `pipeline::run`
//!   inline, so runs never overlap; a run missed while the daemon was down is caught up at
//!   start-up (`daemon.catch_up`);
//! - `probe`: a spawned task probes every home page `daemon.probes_per_day` times a day;
//! - `notify`: alerts to webhooks, de-duplicated in the database;
//! - signals become one `CancellationToken` (SIGTERM/SIGINT) or a reload (SIGHUP, applied
//!   only when the new config and rules validate);
//! - a single-instance lock on `<database>.lock` keeps two daemons off one database.
//!
//! Must not: crawl, judge or score itself (the pipeline does), or block the runtime.

pub mod notify;
pub mod probe;

use crate::config::{self, Settings};
use crate::pipeline::{self, RunError, RunOptions};
use chrono::{DateTime, Utc};
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// Exit code: clean shutdown.
pub const EXIT_OK: i32 = 0;
/// Exit code: could not start (lock held, database unusable…).
pub const EXIT_FAILURE: i32 = 1;
/// Exit code: invalid config or rules (systemd `RestartPreventExitStatus=3`).
pub const EXIT_CONFIG: i32 = 3;

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DaemonError {
    /// Another process holds the database lock.
    #[error(
        "另一个 govscore 后台服务正在使用这个数据库：{lock} 已被锁定{holder}；请先停止它（systemctl stop govscore），或让 storage.database 指向别处"
    )]
    Locked {
        /// The lock file.
        lock: PathBuf,
        /// `（持有者 pid N）` when the holder wrote its pid.
        holder: String,
    },
    /// The lock file could not be created.
    #[error("无法创建锁文件 {lock}：{source}（请检查数据库所在目录是否可写）")]
    LockFile {
        /// The lock file.
        lock: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The schedule did not parse (it validated at load, so this is a bug or a race).
    #[error("定时表达式 `{0}` 无效：请运行 `govscore check` 并修正 schedule.assess")]
    Schedule(String),
    /// The database could not be used.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Holds `<database>.lock` for the daemon's lifetime (released when dropped or on exit).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of a database: `<database>.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_os_string();
    s.push(".lock");
    PathBuf::from(s)
}

/// Takes the single-instance lock of a database, writing our pid into the lock file.
pub fn acquire_lock(db: &Path) -> Result<InstanceLock, DaemonError> {
    let path = lock_path(db);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| DaemonError::LockFile {
            lock: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            let pid = pid.trim();
            return Err(DaemonError::Locked {
                lock: path,
                holder: if pid.is_empty() {
                    String::new()
                } else {
                    format!("（持有者 pid {pid}）")
                },
            });
        }
        Err(std::fs::TryLockError::Error(source)) => {
            return Err(DaemonError::LockFile { lock: path, source });
        }
    }
    // The pid is informational: a failure to write it does not matter.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    let _ = file.flush();
    Ok(InstanceLock { _file: file, path })
}

/// Loads config and rules; the error is every problem, rendered.
pub fn load_checked(path: &Path) -> Result<Settings, String> {
    config::load(path).map_err(|d| config::render_diagnostics(&d))
}

/// systemd notifications; no-ops outside systemd (no NOTIFY_SOCKET).
///
/// The notify socket is a blocking datagram socket: a manager that stops reading it would
/// stall whoever sends. So every notification goes through one background thread, and the
/// daemon never waits on it longer than `FLUSH_WAIT` (at shutdown, to let STOPPING out).
mod systemd {
    use sd_notify::NotifyState;
    use std::sync::OnceLock;
    use std::sync::mpsc::{Sender, channel};
    use std::time::Duration;

    /// Longest the shutdown path waits for queued notifications to be delivered.
    const FLUSH_WAIT: Duration = Duration::from_secs(1);

    enum Msg {
        Ready,
        Status(String),
        Watchdog,
        Stopping,
        Reloading,
        Flush(Sender<()>),
    }

    fn send(m: Msg) {
        static TX: OnceLock<Option<Sender<Msg>>> = OnceLock::new();
        let tx = TX.get_or_init(|| {
            let (tx, rx) = channel::<Msg>();
            std::thread::Builder::new()
                .name("sd-notify".into())
                .spawn(move || {
                    for m in rx {
                        deliver(m);
                    }
                })
                .ok()
                .map(|_| tx)
        });
        if let Some(tx) = tx {
            let _ = tx.send(m);
        }
    }

    fn deliver(m: Msg) {
        let _ = match m {
            Msg::Ready => sd_notify::notify(&[NotifyState::Ready]),
            Msg::Status(s) => sd_notify::notify(&[NotifyState::Status(&s)]),
            Msg::Watchdog => sd_notify::notify(&[NotifyState::Watchdog]),
            Msg::Stopping => sd_notify::notify(&[NotifyState::Stopping]),
            Msg::Reloading => {
                // systemd ≥ 253 wants MONOTONIC_USEC with RELOADING=1.
                let mut states = vec![NotifyState::Reloading];
                if let Ok(t) = NotifyState::monotonic_usec_now() {
                    states.push(t);
                }
                sd_notify::notify(&states)
            }
            Msg::Flush(ack) => {
                let _ = ack.send(());
                Ok(())
            }
        };
    }

    pub fn ready() {
        send(Msg::Ready);
    }
    pub fn status(s: &str) {
        send(Msg::Status(s.to_string()));
    }
    pub fn watchdog() {
        send(Msg::Watchdog);
    }
    pub fn stopping() {
        send(Msg::Stopping);
    }
    pub fn reloading() {
        send(Msg::Reloading);
    }
    /// Waits (at most `FLUSH_WAIT`) until the notifications sent so far are delivered.
    pub fn flush() {
        let (ack, done) = channel();
        send(Msg::Flush(ack));
        let _ = done.recv_timeout(FLUSH_WAIT);
    }
}

/// The next scheduled time strictly after `after`, in the configured time zone.
pub fn next_run(settings: &Settings, after: DateTime<Utc>) -> Result<DateTime<Utc>, DaemonError> {
    let cron = config::validate_cron(&settings.schedule_assess).map_err(DaemonError::Schedule)?;
    let local = after.with_timezone(&settings.timezone);
    cron.find_next_occurrence(&local, false)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| DaemonError::Schedule(e.to_string()))
}

/// Whether a run is owed at start-up: the last scheduled time before `now` has no finished
/// run started at or after it (or no run ever finished).
pub fn missed_run(
    settings: &Settings,
    last_finished_start: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    let Ok(cron) = config::validate_cron(&settings.schedule_assess) else {
        return false;
    };
    let local = now.with_timezone(&settings.timezone);
    let Ok(prev) = cron.find_previous_occurrence(&local, false) else {
        return last_finished_start.is_none();
    };
    last_finished_start.is_none_or(|t| t < prev.with_timezone(&Utc))
}

/// Runs the daemon until SIGTERM/SIGINT; returns the process exit code.
pub async fn run(config_path: &Path) -> i32 {
    // Absolute, so relative paths in the config (and stored report folders) do not depend
    // on the working directory of a later `serve`.
    let config_path = std::fs::canonicalize(config_path).unwrap_or_else(|_| config_path.into());
    let settings = match load_checked(&config_path) {
        Ok(s) => Arc::new(s),
        Err(msg) => {
            eprint!("{msg}");
            eprintln!("\n后台服务未启动：请修正配置（govscore check 列出全部问题）后再启动");
            return EXIT_CONFIG;
        }
    };
    match serve_forever(&config_path, settings).await {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("错误：{e}");
            EXIT_FAILURE
        }
    }
}

async fn serve_forever(config_path: &Path, settings: Arc<Settings>) -> Result<(), DaemonError> {
    let db = settings.database.clone();
    let lock = acquire_lock(&db)?;
    {
        let store = crate::store::Store::open(&db)?;
        let n = store.close_abandoned_runs()?.len();
        if n > 0 {
            tracing::warn!(runs = n, "上次进程未完成的检查已标记为中断");
        }
    }
    tracing::info!(lock = %lock.path().display(), config = %config_path.display(), "govscore 后台服务已启动");

    let shutdown = CancellationToken::new();
    let (cfg_tx, mut cfg_rx) = watch::channel(settings.clone());
    spawn_signals(config_path.to_path_buf(), shutdown.clone(), cfg_tx);
    let probes = tokio::spawn(probe_loop(cfg_rx.clone(), shutdown.clone()));
    if let Some(every) = sd_notify::watchdog_enabled() {
        let stop = shutdown.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every / 2);
            loop {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tick.tick() => systemd::watchdog(),
                }
            }
        });
    }
    systemd::ready();

    let mut settings = settings;
    let mut catch_up = settings.daemon.catch_up && {
        let store = crate::store::Store::open(&db)?;
        missed_run(&settings, store.last_finished_start()?, Utc::now())
    };
    loop {
        if !catch_up {
            let next = next_run(&settings, Utc::now())?;
            let local = next.with_timezone(&settings.timezone);
            systemd::status(&format!(
                "下次检查 {}",
                local.format("%Y-%m-%d %H:%M:%S %Z")
            ));
            tracing::info!(next = %local, "等待下次定时检查");
            let wait = (next - Utc::now()).to_std().unwrap_or_default();
            tokio::select! {
                _ = shutdown.cancelled() => break,
                changed = cfg_rx.changed() => {
                    if changed.is_ok() {
                        settings = cfg_rx.borrow_and_update().clone();
                    }
                    continue;
                }
                _ = tokio::time::sleep(wait) => {}
            }
        } else {
            tracing::info!("补做服务停止期间错过的定时检查");
        }
        catch_up = false;
        if !assess_once(&settings, &shutdown).await {
            break;
        }
        settings = cfg_rx.borrow_and_update().clone();
    }
    systemd::stopping();
    systemd::status("正在停止");
    let _ = tokio::task::spawn_blocking(systemd::flush).await;
    shutdown.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(5), probes).await;
    tracing::info!("govscore 后台服务已停止");
    drop(lock);
    Ok(())
}

/// One scheduled assessment; false when shutdown interrupted it.
async fn assess_once(settings: &Arc<Settings>, shutdown: &CancellationToken) -> bool {
    let cancel = CancellationToken::new();
    let mut opts = RunOptions::new(pipeline::today(settings));
    opts.cancel = Some(cancel.clone());
    opts.progress = Some(Arc::new(|done, total| {
        systemd::status(&format!("正在抓取 {done}/{total} 个网站"));
    }));
    systemd::status(&format!("正在抓取 0/{} 个网站", settings.sites.len()));
    tracing::info!(sites = settings.sites.len(), "定时检查开始");
    let run = pipeline::run(settings, opts);
    tokio::pin!(run);
    let result = tokio::select! {
        r = &mut run => r,
        _ = shutdown.cancelled() => {
            cancel.cancel();
            let grace = Duration::from_secs(settings.daemon.grace_s);
            match tokio::time::timeout(grace, &mut run).await {
                Ok(r) => r,
                Err(_) => {
                    tracing::error!(grace_s = settings.daemon.grace_s, "正在进行的检查未在宽限时间内停止；下次启动时将标记为中断");
                    return false;
                }
            }
        }
    };
    match result {
        Ok(outcome) => {
            tracing::info!(run = outcome.run_id, dir = %outcome.report_dir.as_deref().map(|d| d.display().to_string()).unwrap_or_default(), "检查完成");
            let alerts = notify::alerts_for_run(settings, &outcome.report);
            notify::deliver(&settings.database, &settings.notify, alerts).await;
            prune(settings);
        }
        Err(RunError::Interrupted { run_id }) => {
            tracing::warn!(run = run_id, "检查因服务停止而中断，已按中断保存");
            return false;
        }
        Err(e) => tracing::error!(error = %e, "检查失败；下次检查按计划进行"),
    }
    !shutdown.is_cancelled()
}

/// Deletes runs older than `retention_days` and report folders beyond `keep_reports`.
fn prune(settings: &Settings) {
    let d = &settings.daemon;
    if d.retention_days > 0 {
        let cut = Utc::now() - chrono::Duration::days(i64::from(d.retention_days));
        match crate::store::Store::open(&settings.database).and_then(|s| s.prune_before(cut)) {
            Ok((n, _)) if n > 0 => tracing::info!(runs = n, "已清理过期的检查记录"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "无法清理过期的检查记录"),
        }
    }
    if d.keep_reports > 0 {
        for dir in report_folders_beyond(&settings.reports_dir, d.keep_reports as usize) {
            if let Err(e) = std::fs::remove_dir_all(&dir) {
                tracing::warn!(dir = %dir.display(), error = %e, "无法删除过期的报告目录");
            }
        }
    }
}

/// Run report folders (`YYYYMMDD-HHMMSS-<run id>`) under `reports` beyond the newest
/// `keep`. Nothing else in the folder is touched.
pub fn report_folders_beyond(reports: &Path, keep: usize) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(reports) else {
        return Vec::new();
    };
    let mut dirs: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            is_run_folder(&name).then(|| (name, e.path()))
        })
        .collect();
    dirs.sort_by(|a, b| b.0.cmp(&a.0));
    dirs.into_iter().skip(keep).map(|(_, p)| p).collect()
}

fn is_run_folder(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 16
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..15].iter().all(u8::is_ascii_digit)
        && b[15] == b'-'
        && b[16..].iter().all(u8::is_ascii_digit)
}

fn spawn_signals(
    config_path: PathBuf,
    shutdown: CancellationToken,
    cfg_tx: watch::Sender<Arc<Settings>>,
) {
    use tokio::signal::unix::{SignalKind, signal};
    let (term, int, hup) = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    ) {
        (Ok(t), Ok(i), Ok(h)) => (t, i, h),
        _ => {
            tracing::error!("无法安装信号处理；只能用 SIGKILL 停止后台服务");
            return;
        }
    };
    tokio::spawn(async move {
        let (mut term, mut int, mut hup) = (term, int, hup);
        loop {
            tokio::select! {
                _ = term.recv() => { tracing::info!("收到 SIGTERM：正在停止"); shutdown.cancel(); break; }
                _ = int.recv() => { tracing::info!("收到 SIGINT：正在停止"); shutdown.cancel(); break; }
                _ = hup.recv() => reload(&config_path, &cfg_tx),
            }
        }
    });
}

/// SIGHUP: applies the config and rules only when they validate and keep the database.
fn reload(config_path: &Path, cfg_tx: &watch::Sender<Arc<Settings>>) {
    systemd::reloading();
    let current = cfg_tx.borrow().clone();
    match load_checked(config_path) {
        Ok(new) if new.database != current.database => {
            tracing::error!(
                old = %current.database.display(), new = %new.database.display(),
                "拒绝重载（reload refused）：storage.database 已改变；要更换数据库请重启后台服务"
            );
        }
        Ok(new) => {
            tracing::info!(
                sites = new.sites.len(),
                rules = new.rules.rules.len(),
                "配置已重载（configuration reloaded）"
            );
            let _ = cfg_tx.send(Arc::new(new));
        }
        Err(problems) => {
            for line in problems.lines().filter(|l| !l.trim().is_empty()) {
                tracing::error!(problem = %line, "拒绝重载（reload refused）");
            }
            tracing::error!("拒绝重载（reload refused）：配置有问题，继续使用原配置");
        }
    }
    systemd::ready();
}

/// Probes every site `probes_per_day` times a day (first round at start-up), stores the
/// results and raises "went unreachable" alerts.
async fn probe_loop(mut cfg: watch::Receiver<Arc<Settings>>, shutdown: CancellationToken) {
    loop {
        let settings = cfg.borrow_and_update().clone();
        if settings.daemon.probes_per_day > 0 {
            probe_once(&settings).await;
        }
        let wait = probe::jittered(probe::base_interval(settings.daemon.probes_per_day.max(1)));
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

async fn probe_once(settings: &Settings) {
    let round = match probe::probe_round(settings).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "无法启动可用性探测");
            return;
        }
    };
    let alerts = {
        let store = match crate::store::Store::open(&settings.database) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "无法保存可用性探测结果");
                return;
            }
        };
        let mut previous = std::collections::HashMap::new();
        for p in &round {
            if let Ok(Some(last)) = store.last_probe(&p.site_id) {
                previous.insert(p.site_id.clone(), last.ok);
            }
            if let Err(e) = store.record_probe(p) {
                tracing::error!(error = %e, site = %p.site_id, "无法保存一次探测结果");
            }
        }
        let failed = round.iter().filter(|p| !p.ok).count();
        tracing::info!(probed = round.len(), failed, "可用性探测结果已保存");
        notify::alerts_for_probes(settings, &round, &|id| previous.get(id).copied())
    };
    notify::deliver(&settings.database, &settings.notify, alerts).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_run_folders_beyond_the_newest_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "20230109-023000-1",
            "20230110-023000-2",
            "20230111-023000-3",
            "latest",
            "notes",
        ] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        let gone = report_folders_beyond(dir.path(), 2);
        assert_eq!(gone, vec![dir.path().join("20230109-023000-1")]);
    }

    #[test]
    fn a_second_lock_on_one_database_is_refused_naming_the_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("g.db");
        let first = acquire_lock(&db).unwrap();
        let err = acquire_lock(&db).unwrap_err().to_string();
        assert!(err.contains("g.db.lock"), "{err}");
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(first);
        assert!(acquire_lock(&db).is_ok());
    }

    #[test]
    fn a_run_missed_while_down_is_owed_and_a_done_one_is_not() {
        let yaml = "district: 测试区\nschedule: {assess: \"30 2 * * *\"}\nsites:\n  - {id: a, name: 甲, role: portal, url: \"http://127.0.0.1:1/\"}\n";
        let s = crate::config::load_str(yaml, "c.yaml", Path::new(".")).unwrap();
        let t = |x: &str| DateTime::parse_from_rfc3339(x).unwrap().with_timezone(&Utc);
        // 02:30 Shanghai = 18:30 UTC the day before.
        let now = t("2023-01-09T20:00:00Z");
        assert!(missed_run(&s, None, now));
        assert!(missed_run(&s, Some(t("2023-01-08T18:30:00Z")), now));
        assert!(!missed_run(&s, Some(t("2023-01-09T18:30:05Z")), now));
        assert_eq!(next_run(&s, now).unwrap(), t("2023-01-10T18:30:00Z"));
    }
}
