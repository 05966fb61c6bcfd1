//! `govscore serve`: a read-only web dashboard over the database — the latest ranking (one
//! table per role, as in the reports),
//! each unit's weekly heatmap and findings, score history, and each run's report files.
//!
//! Must not write: the database is opened read-only per request, and files are served only
//! from a run's recorded report folder, by a fixed list of names. Everything that came
//! from a crawled page is HTML-escaped. A non-loopback bind needs `serve.token`, which is
//! then required on every request (bearer token or `?token=`).

use crate::config::Settings;
use crate::store::Store;
use axum::Router;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the dashboard listens by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The content type of a report file; `None` for any name that is not one of the files a
/// run writes (`report::FILES`), so nothing else is ever served from a run folder.
pub fn report_content_type(name: &str) -> Option<&'static str> {
    if !crate::report::FILES.contains(&name) {
        return None;
    }
    Some(match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("md") => "text/markdown; charset=utf-8",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    })
}

/// Why the dashboard could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// A non-loopback address without `serve.token`.
    #[error(
        "拒绝在 {0} 上提供服务：没有访问令牌。请在配置中设置 serve.token（至少16个字符），或监听 127.0.0.1"
    )]
    NoToken(SocketAddr),
    /// The address could not be bound.
    #[error("无法监听 {addr}：{source}（地址已被占用或无权使用？请用 --listen 换一个地址）")]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// Cause.
        source: std::io::Error,
    },
    /// The server stopped with an I/O error after it started.
    #[error("控制台异常停止：{0}")]
    Io(std::io::Error),
}

impl ServeError {
    /// CONTRACT exit code: a refused or unusable `--listen` address is invalid input (3);
    /// a failure after start is unexpected (1).
    pub fn exit_code(&self) -> i32 {
        match self {
            ServeError::NoToken(_) | ServeError::Bind { .. } => crate::cli::EXIT_CONFIG,
            ServeError::Io(_) => crate::cli::EXIT_FAILURE,
        }
    }
}

/// Shared, immutable dashboard state.
#[derive(Debug, Clone)]
pub struct ServeState {
    /// The database (opened read-only per request).
    pub db: PathBuf,
    /// District name for titles.
    pub district: String,
    /// Required token, if any.
    pub token: Option<String>,
    /// The time zone times are shown in (the config's `timezone`).
    pub timezone: chrono_tz::Tz,
    /// Folders a relative stored report folder is resolved against, in order (the
    /// config's folder, then the database's): runs stored by older versions kept the
    /// folder as the run's working directory saw it.
    pub report_bases: Vec<PathBuf>,
}

impl ServeState {
    /// The dashboard over `db` with the settings' district, token and time zone.
    pub fn new(settings: &Settings, db: &Path) -> ServeState {
        let mut report_bases = Vec::new();
        if let Some(config) = &settings.config_path {
            report_bases.push(folder_of(config));
        }
        report_bases.push(folder_of(db));
        ServeState {
            db: db.to_path_buf(),
            district: settings.district.clone(),
            token: settings.serve.token.clone(),
            timezone: settings.timezone,
            report_bases,
        }
    }

    /// A stored report folder as a path usable from wherever `serve` was started.
    pub fn report_dir(&self, stored: &Path) -> PathBuf {
        resolve_report_dir(stored, &self.report_bases)
    }

    /// An RFC 3339 time from the database as `2023-02-15 10:30:00` in the configured time
    /// zone; anything else as it is.
    fn time(&self, rfc3339: &str) -> String {
        match chrono::DateTime::parse_from_rfc3339(rfc3339) {
            Ok(t) => t
                .with_timezone(&self.timezone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            Err(_) => rfc3339.to_string(),
        }
    }
}

/// A stored report folder as a usable path: an absolute one as it is; a relative one (a
/// run stored by an older version) under the first of `bases` where it exists.
pub fn resolve_report_dir(stored: &Path, bases: &[PathBuf]) -> PathBuf {
    if stored.is_absolute() {
        return stored.to_path_buf();
    }
    bases
        .iter()
        .map(|b| b.join(stored))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| stored.to_path_buf())
}

/// The folder a file is in ("." for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Chinese label of a stored run status.
fn run_status_zh(status: &str) -> &str {
    match status {
        "running" => "进行中",
        "finished" => "已完成",
        "interrupted" => "已中断",
        "failed" => "失败",
        other => other,
    }
}

/// Refuses a non-loopback bind without a token.
pub fn check_bind(addr: SocketAddr, token: Option<&str>) -> Result<(), ServeError> {
    if addr.ip().is_loopback() || token.is_some() {
        Ok(())
    } else {
        Err(ServeError::NoToken(addr))
    }
}

pub use crate::report::html::esc;

/// Only http(s) links are rendered as links (no `javascript:`).
fn safe_href(url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        esc(url)
    } else {
        "#".to_string()
    }
}

/// The dashboard's routes, with the token check when a token is set.
pub fn router(state: ServeState) -> Router {
    let state = Arc::new(state);
    Router::new()
        .route("/", get(index))
        .route("/api/latest", get(api_latest))
        .route("/site/{id}", get(site_page))
        .route("/runs/{run}/{file}", get(run_file))
        .layer(middleware::from_fn_with_state(state.clone(), auth))
        .with_state(state)
}

async fn auth(
    State(st): State<Arc<ServeState>>,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(token) = &st.token else {
        return next.run(req).await;
    };
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let given = bearer.or(q.get("token").map(String::as_str));
    if given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
        next.run(req).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "需要访问令牌（Authorization: Bearer … 或 ?token=…）",
        )
            .into_response()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn fail(status: StatusCode, msg: String) -> Response {
    (status, Html(page("错误", &format!("<p>{}</p>", esc(&msg))))).into_response()
}

/// Runs a read-only query off the async threads.
async fn with_store<T: Send + 'static>(
    st: &ServeState,
    f: impl FnOnce(&Store) -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, Response> {
    let db = st.db.clone();
    tokio::task::spawn_blocking(move || {
        let store = Store::open_read_only(&db)?;
        f(&store)
    })
    .await
    .map_err(|e| fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| fail(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title>\
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:3px 6px}}\
.met{{background:#c8e6c9}}.miss{{background:#ffcdd2}}.exempt{{background:#eee}}.some{{background:#e3f2fd}}.none{{background:#fafafa}}.veto{{color:#b71c1c}}</style></head><body>{}</body></html>",
        esc(title),
        body
    )
}

struct Latest {
    run: Option<crate::store::RunRow>,
    sites: Vec<Value>,
    runs: Vec<crate::store::RunRow>,
}

fn latest(store: &Store) -> Result<Latest, crate::store::StoreError> {
    let runs = store.runs(50)?;
    let run = match store.latest_run()? {
        Some(id) => Some(store.run_row(id)?),
        None => None,
    };
    let sites = match &run {
        Some(r) => store.scorecards(r.id)?,
        None => Vec::new(),
    };
    Ok(Latest { run, sites, runs })
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn num(v: &Value, k: &str) -> String {
    v.get(k)
        .and_then(Value::as_f64)
        .map_or("—".into(), |x| format!("{x:.1}"))
}

async fn index(State(st): State<Arc<ServeState>>) -> Response {
    let l = match with_store(&st, latest).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let mut b = format!("<h1>{} 政府网站检查</h1>", esc(&st.district));
    match &l.run {
        None => b.push_str("<p>尚无已完成的检查。</p>"),
        Some(run) => {
            let _ = write!(
                b,
                "<p>最近一次检查：第{}次，监测时间点 {}</p>",
                run.id,
                esc(&run.as_of)
            );
            // As in the reports: one table per role (the portal, 部门, 乡镇/街道), each
            // site with its rank in the role (本类) and overall (总排名).
            let rank = |site: &Value, key: &str| {
                site.get(key)
                    .and_then(Value::as_u64)
                    .map_or("—".into(), |r| r.to_string())
            };
            let groups = crate::report::common::group_by_role(&l.sites, |site| s(site, "role"));
            for (label, sites) in groups {
                let _ = write!(
                    b,
                    "<h2>【{}】</h2><table><tr><th>本类</th><th>总排名</th><th>单位</th><th>得分</th><th>等级</th><th>否决</th><th>状态</th></tr>",
                    esc(label)
                );
                for site in sites {
                    let vetoes = site
                        .get("vetoes")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    let _ = write!(
                        b,
                        "<tr><td>{}</td><td>{}</td><td><a href=\"/site/{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
                        rank(site, "rank_in_role"),
                        rank(site, "rank"),
                        esc(&urlencode(s(site, "id"))),
                        esc(s(site, "name")),
                        num(site, "score"),
                        esc(site.get("grade").and_then(Value::as_str).unwrap_or("—")),
                        if vetoes > 0 { "veto" } else { "" },
                        vetoes,
                        esc(&status_text(site))
                    );
                }
                b.push_str("</table>");
            }
            let _ = write!(b, "<p>{}</p>", esc(crate::report::common::TIE_NOTE));
        }
    }
    let _ = write!(
        b,
        "<h2>历次检查</h2><table><tr><th>次</th><th>监测时间点</th><th>开始（{tz}）</th><th>结束（{tz}）</th><th>状态</th><th>报告</th></tr>",
        tz = esc(st.timezone.name())
    );
    for r in &l.runs {
        let files = if r.report_dir.is_some() {
            crate::report::FILES
                .iter()
                .map(|f| format!("<a href=\"/runs/{}/{f}\">{}</a>", r.id, file_label(f)))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            String::new()
        };
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.id,
            esc(&r.as_of),
            esc(&st.time(&r.started_at)),
            esc(&r.finished_at.as_deref().map_or("—".into(), |t| st.time(t))),
            esc(run_status_zh(&r.status)),
            files
        );
    }
    b.push_str("</table>");
    Html(page(&format!("{} 政府网站检查", st.district), &b)).into_response()
}

/// A site's status in Chinese, with its reason when it is not ok.
fn status_text(site: &Value) -> String {
    let label = crate::report::common::status_zh(s(site, "status"));
    let reason = site
        .get("status_reason")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty());
    // A unit without a grade was not judged: 无法检测 with the reason, as in the reports.
    if site.get("grade").is_none_or(Value::is_null) {
        return format!("无法检测（{}）", reason.unwrap_or(label));
    }
    match reason {
        Some(r) => format!("{label}（{r}）"),
        None => label.to_string(),
    }
}

/// What a report file is, for its link.
fn file_label(name: &str) -> String {
    let what = match name {
        "report.html" => "网页版",
        "report.json" => "JSON",
        "report.xlsx" => "Excel",
        "findings.csv" => "扣分明细CSV",
        "report.md" => "Markdown",
        "tongbao.md" => "通报稿",
        _ => return name.to_string(),
    };
    format!("{what}（{name}）")
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn api_latest(State(st): State<Arc<ServeState>>) -> Response {
    match with_store(&st, latest).await {
        Ok(l) => {
            let body = serde_json::json!({
                "run": l.run,
                "sites": l.sites,
            });
            (
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response()
        }
        Err(r) => r,
    }
}

async fn site_page(State(st): State<Arc<ServeState>>, UrlPath(id): UrlPath<String>) -> Response {
    let id2 = id.clone();
    let data = with_store(&st, move |store| {
        let l = latest(store)?;
        let history = store.site_scores(&id2, 24)?;
        Ok((l, history))
    })
    .await;
    let (l, history) = match data {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Some(site) = l.sites.iter().find(|x| s(x, "id") == id) else {
        return fail(
            StatusCode::NOT_FOUND,
            format!("最近一次检查中没有单位 {id}"),
        );
    };
    let mut b = format!(
        "<p><a href=\"/\">← 排名</a></p><h1>{}</h1><p><a href=\"{}\">{}</a> 得分 {} 等级 {} 状态 {}</p>",
        esc(s(site, "name")),
        safe_href(s(site, "url")),
        esc(s(site, "url")),
        num(site, "score"),
        esc(site.get("grade").and_then(Value::as_str).unwrap_or("—")),
        esc(&status_text(site))
    );
    b.push_str("<h2>每周更新（热力图）</h2><table>");
    for col in site
        .get("columns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let _ = write!(b, "<tr><th>{}</th>", esc(s(col, "name")));
        for w in col
            .get("weekly")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let class = if w.get("exempt").and_then(Value::as_bool) == Some(true) {
                "exempt"
            } else {
                match w.get("met").and_then(Value::as_bool) {
                    Some(true) => "met",
                    Some(false) => "miss",
                    // No cadence rule for this column: shade by whether anything appeared.
                    None if w.get("count").and_then(Value::as_u64).unwrap_or(0) == 0 => "none",
                    None => "some",
                }
            };
            let _ = write!(
                b,
                "<td class=\"{class}\" title=\"{}\">{}</td>",
                esc(s(w, "week_start")),
                w.get("count").and_then(Value::as_u64).unwrap_or(0)
            );
        }
        b.push_str("</tr>");
    }
    b.push_str("</table><h2>问题</h2><ul>");
    for f in site
        .get("findings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let _ = write!(
            b,
            "<li class=\"{}\">[{}] {} {}",
            if s(f, "severity") == "veto" {
                "veto"
            } else {
                ""
            },
            esc(s(f, "rule")),
            esc(s(f, "message")),
            f.get("points")
                .and_then(Value::as_f64)
                .filter(|p| *p != 0.0)
                .map_or(String::new(), |p| format!("（{p}分）"))
        );
        let ev: Vec<String> = f
            .get("evidence")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .take(5)
            .map(|e| {
                format!(
                    "<a href=\"{}\">{}</a> {}",
                    safe_href(s(e, "url")),
                    esc(s(e, "title")),
                    esc(e.get("excerpt").and_then(Value::as_str).unwrap_or(""))
                )
            })
            .collect();
        if !ev.is_empty() {
            let _ = write!(b, "<br><small>{}</small>", ev.join("；"));
        }
        b.push_str("</li>");
    }
    b.push_str("</ul><h2>得分历史</h2><table><tr><th>次</th><th>监测时间点</th><th>得分</th><th>等级</th></tr>");
    for (run, as_of, score, grade) in &history {
        let _ = write!(
            b,
            "<tr><td>{run}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(as_of),
            score.map_or("—".into(), |x| format!("{x:.1}")),
            esc(grade.as_deref().unwrap_or("—"))
        );
    }
    b.push_str("</table>");
    Html(page(s(site, "name"), &b)).into_response()
}

async fn run_file(
    State(st): State<Arc<ServeState>>,
    UrlPath((run, file)): UrlPath<(i64, String)>,
) -> Response {
    let Some(ctype) = report_content_type(&file) else {
        return fail(StatusCode::NOT_FOUND, format!("没有这个报告文件：{file}"));
    };
    let row = with_store(&st, move |s| match s.run_row(run) {
        Ok(r) => Ok(Some(r)),
        Err(crate::store::StoreError::NoSuchRun(_)) => Ok(None),
        Err(e) => Err(e),
    })
    .await;
    let row = match row {
        Ok(Some(r)) => r,
        Ok(None) => return fail(StatusCode::NOT_FOUND, format!("没有第{run}次检查")),
        Err(r) => return r,
    };
    let Some(stored) = row.report_dir else {
        return fail(
            StatusCode::NOT_FOUND,
            format!(
                "第{run}次检查没有写出报告（只抓取入库；可用 govscore report --run {run} --out DIR 生成）"
            ),
        );
    };
    let dir = st.report_dir(&stored);
    match tokio::fs::read(dir.join(&file)).await {
        Ok(bytes) => {
            let mut resp = bytes.into_response();
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
            if let Ok(v) =
                HeaderValue::from_str(&format!("attachment; filename=\"run{run}-{file}\""))
            {
                resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            resp
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dir.is_dir() => fail(
            StatusCode::NOT_FOUND,
            format!(
                "第{run}次检查的报告目录 {} 已不存在（可能已按 daemon.keep_reports 清理，或被移走）",
                dir.display()
            ),
        ),
        Err(e) => fail(
            StatusCode::NOT_FOUND,
            format!(
                "第{run}次检查的 {file} 不可读（{}）：{e}",
                dir.join(&file).display()
            ),
        ),
    }
}

/// Binds and serves the dashboard over `db` until SIGTERM/SIGINT.
pub async fn serve(settings: &Settings, db: &Path, listen: SocketAddr) -> Result<(), ServeError> {
    check_bind(listen, settings.serve.token.as_deref())?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: listen,
            source,
        })?;
    let addr = listener.local_addr().unwrap_or(listen);
    eprintln!("控制台：http://{addr}/");
    let app = router(ServeState::new(settings, db));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = tokio::signal::ctrl_c() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        })
        .await
        .map_err(ServeError::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawled_text_is_escaped_and_only_http_links_are_links() {
        assert_eq!(
            esc("<script>\"x\"&'"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;"
        );
        assert_eq!(safe_href("javascript:alert(1)"), "#");
        assert_eq!(safe_href("http://a/?q=<b>"), "http://a/?q=&lt;b&gt;");
    }

    #[test]
    fn a_unit_not_judged_reads_as_in_the_reports() {
        let unreachable = serde_json::json!({
            "status": "unreachable", "status_reason": "首页连接超时(共尝试2次)", "grade": null
        });
        assert_eq!(
            status_text(&unreachable),
            "无法检测（首页连接超时(共尝试2次)）"
        );
        // Vetoed for availability: judged (a grade, no score), its own status shown.
        let vetoed = serde_json::json!({
            "status": "unreachable", "status_reason": "首页连接超时", "grade": "不合格"
        });
        assert_eq!(
            status_text(&vetoed),
            format!(
                "{}（首页连接超时）",
                crate::report::common::status_zh("unreachable")
            )
        );
        let ok = serde_json::json!({"status": "ok", "status_reason": null, "grade": "优秀"});
        assert_eq!(status_text(&ok), crate::report::common::status_zh("ok"));
    }

    #[test]
    fn a_public_bind_needs_a_token() {
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert!(check_bind(public, None).is_err());
        assert!(check_bind(public, Some("0123456789abcdef")).is_ok());
        assert!(check_bind(local, None).is_ok());
        assert!(check_bind("[::1]:8080".parse().unwrap(), None).is_ok());
    }
}
