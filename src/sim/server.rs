//! The loopback HTTP server of the simulated district (axum).
//!
//! Owns: the listeners (the shared host plus one per subsite with a host of its own),
//! routing a request to a site, column, list page (every pager family of the model, with
//! its quirks), article, attachment or the Hanweb data proxy; encoding (UTF-8 or GBK),
//! ETag/304 on list pages, robots.txt, per-site behaviours (521/412/wzws walls, 503
//! throttling, timeouts) and per-column behaviours, time travel (`set_today`) and a request
//! counter. Must not bind anything but the IP it is given (ports are chosen by the OS), nor
//! pre-render pages: everything is rendered on request from the `District`.

use super::render::{self, Ctx};
use super::rng::{SplitMix64, fnv1a};
use super::{ColumnBehavior, District, ListLayout, PagerQuirk, SiteBehavior};
use crate::model::ColumnClass;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use url::Url;

/// How long a `Timeout` site holds a request (far past any crawler timeout).
const HANG: Duration = Duration::from_secs(3600);
/// How long `shutdown` waits for open connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// Largest request body read (Hanweb data-proxy forms are a few hundred bytes).
const MAX_BODY: usize = 64 * 1024;
/// The Hanweb data proxy's path (on every host).
const HANWEB_PROXY: &str = "/module/web/jpage/dataproxy.jsp";

struct Shared {
    district: District,
    /// Base URL of each host; 0 is the shared host.
    bases: Vec<Url>,
    today: RwLock<NaiveDate>,
    behaviors: Mutex<HashMap<String, SiteBehavior>>,
    column_behaviors: Mutex<HashMap<(String, ColumnClass), ColumnBehavior>>,
    requests: AtomicU64,
    /// Requests served per `METHOD host-index path?query` (to find URLs asked twice).
    per_url: Mutex<HashMap<String, u32>>,
    cancel: CancellationToken,
    /// Per host: site home paths, longest first, for prefix routing.
    site_paths: Vec<Vec<(String, usize)>>,
    /// (host, article path) → (site, column, item).
    articles: HashMap<(usize, String), (usize, usize, usize)>,
    /// (host, attachment path) → (site, column, item).
    pdfs: HashMap<(usize, String), (usize, usize, usize)>,
    /// (host, downfile.jsp path, file name) → (site, column, item).
    xls: HashMap<(usize, String, String), (usize, usize, usize)>,
    /// Hanweb column id → (site, column).
    hanweb: HashMap<u64, (usize, usize)>,
    /// (host, 公示 DOCX path) → (site, column, item) (see `slips`).
    docx: HashMap<(usize, String), (usize, usize, usize)>,
    /// Whether the deliberate dead links are served ([`super::dead_links`]).
    dead_links: std::sync::atomic::AtomicBool,
    /// Requests of [`super::dead_links::FLAKY_PATH`] so far.
    flaky: AtomicU64,
    /// URLs (absolute, query included) that answer 404 ([`SimServer::set_gone`]).
    gone: Mutex<std::collections::HashSet<String>>,
}

/// The simulated district served on loopback.
///
/// Dropping it without [`SimServer::shutdown`] also stops serving (the listener task is
/// told to stop; it does not outlive the runtime either way).
pub struct SimServer {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.shared.cancel.cancel();
    }
}

impl SimServer {
    /// Binds `addr` (use `127.0.0.1:0` for a free port) and serves `district` until
    /// [`SimServer::shutdown`]. Subsites with a host of their own get a listener each on
    /// the same IP with a free port. Must be called inside a tokio runtime.
    pub async fn start(district: District, addr: SocketAddr) -> std::io::Result<SimServer> {
        let hosts = district.sites.iter().map(|s| s.host).max().unwrap_or(0) + 1;
        let mut listeners = Vec::with_capacity(hosts);
        let mut bases = Vec::with_capacity(hosts);
        for h in 0..hosts {
            let at = if h == 0 {
                addr
            } else {
                SocketAddr::new(addr.ip(), 0)
            };
            let listener = tokio::net::TcpListener::bind(at).await?;
            let local = listener.local_addr()?;
            let base = Url::parse(&format!("http://{local}/")).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("cannot make a URL of the bound address {local}: {e}"),
                )
            })?;
            listeners.push(listener);
            bases.push(base);
        }

        let mut site_paths: Vec<Vec<(String, usize)>> = vec![Vec::new(); hosts];
        for (i, s) in district.sites.iter().enumerate() {
            if let Some(v) = site_paths.get_mut(s.host) {
                v.push((s.path.clone(), i));
            }
        }
        for v in &mut site_paths {
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        let mut articles = HashMap::new();
        let mut pdfs = HashMap::new();
        let mut xls = HashMap::new();
        let mut hanweb = HashMap::new();
        let mut docx = HashMap::new();
        let planted = super::slips::planted(&district);
        for (s, site) in district.sites.iter().enumerate() {
            for (c, col) in site.columns.iter().enumerate() {
                if matches!(col.layout, ListLayout::Hanweb { .. }) {
                    hanweb.insert(col.column_id, (s, c));
                }
                if col.layout == ListLayout::SinglePage {
                    continue;
                }
                for (i, item) in col.items.iter().enumerate() {
                    if item.is_offsite() {
                        continue;
                    }
                    articles.insert((site.host, item.path.clone()), (s, c, i));
                    if planted.iter().any(|(id, path, slip)| {
                        *id == site.id && *path == item.path && *slip == super::slips::Slip::Gongshi
                    }) {
                        docx.insert((site.host, super::slips::gongshi_path(item)), (s, c, i));
                    }
                    if let Some((pdf, file)) = render::attachments(site, col, item) {
                        pdfs.insert((site.host, pdf), (s, c, i));
                        xls.insert((site.host, render::downfile_path(site), file), (s, c, i));
                    }
                }
            }
        }
        let cancel = CancellationToken::new();
        let shared = Arc::new(Shared {
            today: RwLock::new(district.as_of),
            district,
            bases,
            behaviors: Mutex::new(HashMap::new()),
            column_behaviors: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            per_url: Mutex::new(HashMap::new()),
            gone: Mutex::new(Default::default()),
            cancel: cancel.clone(),
            site_paths,
            articles,
            pdfs,
            xls,
            hanweb,
            docx,
            dead_links: Default::default(),
            flaky: AtomicU64::new(0),
        });
        let mut tasks = Vec::with_capacity(hosts);
        for (h, listener) in listeners.into_iter().enumerate() {
            let app = Router::new()
                .fallback(handle)
                .with_state((shared.clone(), h));
            let cancel = cancel.clone();
            tasks.push(tokio::spawn(async move {
                let served =
                    axum::serve(listener, app).with_graceful_shutdown(cancel.cancelled_owned());
                if let Err(e) = served.await {
                    tracing::warn!(error = %e, "模拟区县服务器异常停止");
                }
            }));
        }
        Ok(SimServer { shared, tasks })
    }

    /// `http://127.0.0.1:PORT/` of the shared host (the portal's).
    pub fn base_url(&self) -> Url {
        self.shared.bases[0].clone()
    }

    /// The home page URL of a site (on its own host for subsites that have one).
    pub fn site_url(&self, id: &str) -> Option<Url> {
        let site = self.shared.district.site(id)?;
        self.shared.bases.get(site.host)?.join(&site.path).ok()
    }

    /// The URL of `path` (a column or item path of the model) on the host of site `id`.
    pub fn url_for(&self, id: &str, path: &str) -> Option<Url> {
        let site = self.shared.district.site(id)?;
        self.shared.bases.get(site.host)?.join(path).ok()
    }

    /// The district being served.
    pub fn district(&self) -> &District {
        &self.shared.district
    }

    /// The day the district is currently shown as of.
    pub fn today(&self) -> NaiveDate {
        *self.shared.today.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Serves the district as it stood on `day`: only items with `visible_from <= day`
    /// appear in lists, pagination, home pages and as articles.
    pub fn set_today(&self, day: NaiveDate) {
        *self.shared.today.write().unwrap_or_else(|e| e.into_inner()) = day;
    }

    /// Switches how one site answers (walls, timeouts); unknown ids are ignored.
    pub fn set_behavior(&self, site_id: &str, b: SiteBehavior) {
        self.shared
            .behaviors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(site_id.to_string(), b);
    }

    /// Switches how one column's list pages (and its Hanweb data proxy) answer while the
    /// rest of the site works; unknown ids are ignored. `ColumnBehavior::Normal` undoes it.
    pub fn set_column_behavior(&self, site_id: &str, class: ColumnClass, b: ColumnBehavior) {
        self.shared
            .column_behaviors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((site_id.to_string(), class), b);
    }

    /// Links the home pages of the portal and of one department to a removed page (404), a
    /// page answering 500 on every second request and a page behind a 412 wall
    /// (`sim::dead_links`); off by default.
    pub fn set_dead_links(&self, on: bool) {
        self.shared.dead_links.store(on, Ordering::Relaxed);
    }

    /// The deliberate links of [`SimServer::set_dead_links`], each with its absolute URL.
    pub fn dead_links(&self) -> Vec<(super::SimDeadLink, Url)> {
        super::dead_links::links(&self.shared.district)
            .into_iter()
            .filter_map(|l| {
                let url = self.url_for(&l.site_id, &l.path)?;
                Some((l, url))
            })
            .collect()
    }

    /// Makes `url` answer 404 from now on, as a page or attachment removed from a site
    /// while pages still link it (附件失效).
    pub fn set_gone(&self, url: &Url) {
        self.shared
            .gone
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(url.to_string());
    }

    /// Requests served so far (every request, walls and 404s included).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// The URLs requested more than once so far, with their counts, sorted: `METHOD URL`
    /// (the query included). Cleared by [`SimServer::reset_request_log`].
    pub fn repeated_requests(&self) -> Vec<(String, u32)> {
        let per_url = self
            .shared
            .per_url
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, u32)> = per_url
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        out.sort();
        out
    }

    /// Every request so far with its count, sorted: `METHOD URL` as in
    /// [`SimServer::repeated_requests`]. Cleared by [`SimServer::reset_request_log`].
    pub fn request_log(&self) -> Vec<(String, u32)> {
        let per_url = self
            .shared
            .per_url
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, u32)> = per_url.iter().map(|(k, n)| (k.clone(), *n)).collect();
        out.sort();
        out
    }

    /// Forgets which URLs were requested (the total of [`SimServer::request_count`] stays).
    pub fn reset_request_log(&self) {
        self.shared
            .per_url
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The `sites:` entries of a config.yaml for this district, ids prefixed with
    /// `id_prefix` (several districts can then share one config).
    pub fn sites_yaml(&self, id_prefix: &str) -> String {
        let mut out = String::new();
        for s in &self.shared.district.sites {
            let url = self
                .site_url(&s.id)
                .map(|u| u.to_string())
                .unwrap_or_else(|| s.path.clone());
            out.push_str(&format!(
                "  - id: {id_prefix}{}\n    name: {}\n    role: {}\n    url: {}\n",
                s.id,
                s.name,
                s.role.as_str(),
                url
            ));
        }
        out
    }

    /// A config.yaml (CONTRACT §2) that assesses the served district: every site with its
    /// id, name, role and URL, columns found by name, a fast crawl, default rules.
    pub fn config_yaml(&self) -> String {
        self.config_yaml_storing_in("data/govscore.db", "reports")
    }

    /// [`Self::config_yaml`] with `storage.database` and `reports.dir` as given (relative
    /// paths resolve from the folder the config is written to).
    pub fn config_yaml_storing_in(&self, database: &str, reports_dir: &str) -> String {
        let d = &self.shared.district;
        let mut out = String::new();
        out.push_str("# 模拟孟津区：由 govscore sim 生成，仅用于本机测试。\n");
        out.push_str(&format!("district: {}\n", d.name));
        out.push_str("timezone: Asia/Shanghai\n");
        out.push_str("sites:\n");
        out.push_str(&self.sites_yaml(""));
        out.push_str("discover: false\n");
        out.push_str("crawl:\n  delay_ms: 0\n  per_host_concurrency: 4\n  timeout_s: 5\n  contact: \"govscore sim (loopback test district)\"\n");
        out.push_str(&format!("storage:\n  database: {database}\n"));
        out.push_str(&format!("reports:\n  dir: {reports_dir}\n"));
        out
    }

    /// Stops serving: open requests (including hanging `Timeout` ones) are released and
    /// connections closed within a short grace.
    pub async fn shutdown(mut self) {
        self.shared.cancel.cancel();
        let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
        for mut task in std::mem::take(&mut self.tasks) {
            if tokio::time::timeout_at(deadline, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

fn html(status: StatusCode, body: Vec<u8>, content_type: &'static str) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        render::not_found().into_bytes(),
        "text/html; charset=utf-8",
    )
}

fn redirect(to: &str) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// What a path resolves to.
enum Target {
    Home,
    List(usize, usize),
    Single(usize),
    Article(usize, usize),
    /// A list column served as a script-rendered page (`ColumnBehavior::ScriptRendered`).
    Scripted(usize),
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
}

fn wall_412(token: u64) -> Response {
    let mut resp = html(
        StatusCode::PRECONDITION_FAILED,
        render::wall_412(token).into_bytes(),
        "text/html",
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "FSSBBIl1UgzbN7N80S={token:x}; Path=/; expires=Thu, 01 Jan 2037 00:00:00 GMT; HttpOnly"
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

async fn hang(shared: &Shared) -> Response {
    tokio::select! {
        _ = tokio::time::sleep(HANG) => {}
        _ = shared.cancel.cancelled() => {}
    }
    html(
        StatusCode::GATEWAY_TIMEOUT,
        b"<html><body>504 Gateway Time-out</body></html>".to_vec(),
        "text/html",
    )
}

/// The answer of a site that is walled, throttled or hanging; None when it serves.
async fn site_behavior(shared: &Shared, behavior: SiteBehavior, token: u64) -> Option<Response> {
    match behavior {
        SiteBehavior::Normal
        | SiteBehavior::HomeUtf16
        | SiteBehavior::HomeStrayNul
        | SiteBehavior::HomeUndecodable
        | SiteBehavior::Robots500 => None,
        SiteBehavior::Wall521 => {
            let mut resp = html(
                status(521),
                render::wall_521(token).into_bytes(),
                "text/html",
            );
            if let Ok(v) = HeaderValue::from_str(&format!(
                "__jsluid_h={token:032x}; max-age=31536000; path=/; HttpOnly"
            )) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            Some(resp)
        }
        SiteBehavior::Wall412 => Some(wall_412(token)),
        SiteBehavior::Timeout => Some(hang(shared).await),
        SiteBehavior::Wzws => {
            let mut resp = Response::new(Body::empty());
            *resp.status_mut() = StatusCode::FOUND;
            if let Ok(v) =
                HeaderValue::from_str(&format!("/WZWS_CHALLENGE?wzwschallenge={token:016x}"))
            {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&format!(
                "wzws_cid={:032x}; path=/; HttpOnly",
                token.rotate_left(29)
            )) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            Some(resp)
        }
        SiteBehavior::Throttle503 => {
            let mut resp = html(
                StatusCode::SERVICE_UNAVAILABLE,
                b"<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>".to_vec(),
                "text/html",
            );
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("120"));
            Some(resp)
        }
    }
}

fn site_behavior_of(shared: &Shared, site: &super::SimSite) -> SiteBehavior {
    shared
        .behaviors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&site.id)
        .copied()
        .unwrap_or(site.behavior)
}

fn column_behavior_of(
    shared: &Shared,
    site: &super::SimSite,
    class: ColumnClass,
) -> ColumnBehavior {
    shared
        .column_behaviors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(site.id.clone(), class))
        .copied()
        .unwrap_or(ColumnBehavior::Normal)
}

/// The value of `name` in a query string or form body.
fn param(pairs: &[(String, String)], name: &str) -> Option<usize> {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// `POST|GET /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=` with the
/// column's `param_` fields (at least `columnid`) in the form body or the query.
async fn hanweb_proxy(
    shared: &Shared,
    host: usize,
    query: &str,
    body: &[u8],
    token: u64,
) -> Response {
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.extend(url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())));
    let column_id = pairs
        .iter()
        .find(|(k, _)| k == "columnid")
        .and_then(|(_, v)| v.trim().parse::<u64>().ok());
    let Some(&(s, c)) = column_id.and_then(|id| shared.hanweb.get(&id)) else {
        // Without the param_ fields the proxy answers an empty datastore, as real ones do.
        return html(
            StatusCode::OK,
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<totalrecord>0</totalrecord>\n<totalpage>0</totalpage>\n<recordset>\n</recordset>\n</datastore>\n".to_vec(),
            "text/xml; charset=utf-8",
        );
    };
    let site = &shared.district.sites[s];
    if site.host != host {
        return not_found();
    }
    if let Some(resp) = site_behavior(shared, site_behavior_of(shared, site), token).await {
        return resp;
    }
    let column = &site.columns[c];
    match column_behavior_of(shared, site, column.class) {
        ColumnBehavior::Normal => {}
        ColumnBehavior::Wall412 => return wall_412(token),
        ColumnBehavior::NotFound => return not_found(),
        ColumnBehavior::TimeoutOnPage2 => return hang(shared).await,
        ColumnBehavior::NotFoundFromPage2 => return not_found(),
        ColumnBehavior::ScriptRendered => {}
    }
    let own_per_page = match column.layout {
        ListLayout::Hanweb { per_page } => per_page,
        _ => 15,
    };
    let per_page = param(&pairs, "perpage").unwrap_or(own_per_page).max(1);
    let (start, end) = match (param(&pairs, "startrecord"), param(&pairs, "endrecord")) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            let page = param(&pairs, "page").unwrap_or(1).max(1);
            ((page - 1) * per_page + 1, page * per_page)
        }
    };
    let today = *shared.today.read().unwrap_or_else(|e| e.into_inner());
    let ctx = Ctx {
        district: &shared.district,
        bases: &shared.bases,
        host,
        today,
    };
    let xml = render::hanweb_proxy(&ctx, site, column, start, end, per_page);
    html(StatusCode::OK, xml.into_bytes(), "text/xml; charset=utf-8")
}

/// Counts one request of `key` for [`SimServer::repeated_requests`].
fn log_request(shared: &Shared, key: String) {
    let mut per_url = shared.per_url.lock().unwrap_or_else(|e| e.into_inner());
    *per_url.entry(key).or_insert(0) += 1;
}

async fn handle(State((shared, host)): State<(Arc<Shared>, usize)>, req: Request) -> Response {
    let n = shared.requests.fetch_add(1, Ordering::Relaxed);
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let url = shared
        .bases
        .get(host)
        .and_then(|b| b.join(&req.uri().to_string()).ok());
    let request_key = match &url {
        Some(url) => format!("{} {url}", req.method()),
        None => format!("{} {host} {}", req.method(), req.uri()),
    };
    if req.method() != Method::POST {
        log_request(&shared, request_key.clone());
    }
    let gone = url.is_some_and(|u| {
        let gone = shared.gone.lock().unwrap_or_else(|e| e.into_inner());
        gone.contains(u.as_str())
    });
    if gone {
        return not_found();
    }
    let token = SplitMix64::derive(shared.district.seed ^ n, &path).next_u64();
    if path == "/robots.txt" {
        let broken = shared.district.sites.iter().any(|site| {
            site.host == host && site_behavior_of(&shared, site) == SiteBehavior::Robots500
        });
        if broken {
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                b"<html><body>500 Internal Server Error</body></html>".to_vec(),
                "text/html",
            );
        }
        // A static file, as nginx serves it: ETag and Last-Modified, 304 to a match.
        let etag = HeaderValue::from_static("\"5f3c1a2b-17\"");
        let unchanged = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .is_some_and(|v| v == etag);
        let mut resp = if unchanged {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            r
        } else {
            html(
                StatusCode::OK,
                b"User-agent: *\nAllow: /\n".to_vec(),
                "text/plain; charset=utf-8",
            )
        };
        resp.headers_mut().insert(header::ETAG, etag);
        resp.headers_mut().insert(
            header::LAST_MODIFIED,
            HeaderValue::from_static("Tue, 01 Nov 2022 00:00:00 GMT"),
        );
        return resp;
    }
    if host == 0 && shared.dead_links.load(Ordering::Relaxed) {
        if path == super::dead_links::FLAKY_PATH {
            let k = shared.flaky.fetch_add(1, Ordering::Relaxed);
            return if k % 2 == 0 {
                html(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    b"<html><body>500 Internal Server Error</body></html>".to_vec(),
                    "text/html",
                )
            } else {
                html(
                    StatusCode::OK,
                    "<html><head><title>办事指南表格下载</title></head><body>表格下载</body></html>"
                        .as_bytes()
                        .to_vec(),
                    "text/html; charset=utf-8",
                )
            };
        }
        if path == super::dead_links::WALLED_PATH {
            return wall_412(token);
        }
    }
    if path == "/WZWS_CHALLENGE" || path == "/WZWS_CONFIRM" {
        return html(
            StatusCode::OK,
            render::wzws_challenge(token).into_bytes(),
            "text/html; charset=utf-8",
        );
    }
    if path == HANWEB_PROXY {
        let is_post = req.method() == Method::POST;
        let body = if is_post {
            axum::body::to_bytes(req.into_body(), MAX_BODY)
                .await
                .unwrap_or_default()
        } else {
            Default::default()
        };
        if is_post {
            // A form posted to one URL asks for different records by its body.
            log_request(
                &shared,
                format!("{request_key} {}", String::from_utf8_lossy(&body)),
            );
        }
        return hanweb_proxy(&shared, host, &query, &body, token).await;
    }
    let Some(&(_, s)) = shared
        .site_paths
        .get(host)
        .and_then(|v| v.iter().find(|(p, _)| path.starts_with(p.as_str())))
    else {
        return not_found();
    };
    let site = &shared.district.sites[s];
    if let Some(resp) = site_behavior(&shared, site_behavior_of(&shared, site), token).await {
        return resp;
    }
    let today = *shared.today.read().unwrap_or_else(|e| e.into_inner());
    let visible = |(s, c, i): (usize, usize, usize)| -> Option<&super::SimItem> {
        let item = shared.district.sites[s].columns[c].items.get(i)?;
        (item.visible_from <= today).then_some(item)
    };

    // Attachments.
    if let Some(&key) = shared.docx.get(&(host, path.clone())) {
        if visible(key).is_none() {
            return not_found();
        }
        return html(
            StatusCode::OK,
            super::slips::gongshi_docx(site),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        );
    }
    if let Some(&key) = shared.pdfs.get(&(host, path.clone())) {
        let Some(item) = visible(key) else {
            return not_found();
        };
        return html(
            StatusCode::OK,
            render::tiny_pdf(&format!("Attachment {}", item.doc_id)),
            "application/pdf",
        );
    }
    if path == render::downfile_path(site) {
        let file = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "filename")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let Some(item) = shared
            .xls
            .get(&(host, path.clone(), file))
            .and_then(|k| visible(*k))
        else {
            return not_found();
        };
        return html(
            StatusCode::OK,
            render::tiny_xls(&item.title).into_bytes(),
            "application/vnd.ms-excel",
        );
    }

    let target = if let Some(&(as_, c, i)) = shared.articles.get(&(host, path.clone())) {
        if as_ != s {
            return not_found();
        }
        Target::Article(c, i)
    } else if path == site.path || path == format!("{}index.html", site.path) {
        Target::Home
    } else if let Some((c, col)) = site
        .columns
        .iter()
        .enumerate()
        .filter(|(_, col)| path.starts_with(col.dir()))
        .max_by_key(|(_, col)| col.dir().len())
    {
        let rest = &path[col.dir().len()..];
        let pages = col.page_count(today);
        let q = (!query.is_empty()).then_some(query.as_str());
        let Some(page) = col.parse_page(rest, q, pages) else {
            return not_found();
        };
        match column_behavior_of(&shared, site, col.class) {
            ColumnBehavior::Normal => {}
            ColumnBehavior::Wall412 => return wall_412(token),
            ColumnBehavior::NotFound => return not_found(),
            ColumnBehavior::TimeoutOnPage2 if page >= 1 => return hang(&shared).await,
            ColumnBehavior::TimeoutOnPage2 | ColumnBehavior::ScriptRendered => {}
            ColumnBehavior::NotFoundFromPage2 if page >= 1 => return not_found(),
            ColumnBehavior::NotFoundFromPage2 => {}
        }
        let page = match col.pager_quirk {
            PagerQuirk::RepeatsFirst(_) => 0,
            _ => page,
        };
        if col.layout == ListLayout::SinglePage {
            if page == 0 {
                Target::Single(c)
            } else {
                return not_found();
            }
        } else if column_behavior_of(&shared, site, col.class) == ColumnBehavior::ScriptRendered {
            Target::Scripted(c)
        } else {
            Target::List(c, page)
        }
    } else {
        let with_slash = format!("{path}/");
        if site.columns.iter().any(|c| c.path == with_slash)
            || shared
                .site_paths
                .get(host)
                .is_some_and(|v| v.iter().any(|(p, _)| *p == with_slash))
        {
            return redirect(&with_slash);
        }
        return not_found();
    };

    let ctx = Ctx {
        district: &shared.district,
        bases: &shared.bases,
        host,
        today,
    };
    let is_home = matches!(target, Target::Home);
    let (page, is_list) = match target {
        Target::Home => {
            let page = render::home(&ctx, site);
            let block = shared
                .dead_links
                .load(Ordering::Relaxed)
                .then(|| super::dead_links::block(&shared.district, site))
                .flatten();
            let page = match block {
                Some(b) => super::dead_links::insert_before_footer(page, &b),
                None => page,
            };
            (Some(page), true)
        }
        Target::List(c, k) => (render::list_page(&ctx, site, &site.columns[c], k), true),
        Target::Scripted(c) => (
            Some(render::scripted_list_page(&ctx, site, &site.columns[c])),
            true,
        ),
        Target::Single(c) => (
            Some(render::single_page(&ctx, site, &site.columns[c])),
            false,
        ),
        Target::Article(c, i) => (render::article(&ctx, site, &site.columns[c], i), false),
    };
    let Some(page) = page else {
        return not_found();
    };

    let (bytes, content_type) = if site.charset_gbk {
        let (encoded, _, _) = encoding_rs::GBK.encode(&page);
        let ct = if site.gbk_in_header {
            "text/html; charset=gb2312"
        } else {
            "text/html"
        };
        (encoded.into_owned(), ct)
    } else {
        (page.into_bytes(), "text/html; charset=utf-8")
    };
    let (bytes, content_type) = if is_home {
        home_encoding_fault(site_behavior_of(&shared, site), bytes, content_type)
    } else {
        (bytes, content_type)
    };
    if !is_list {
        return html(StatusCode::OK, bytes, content_type);
    }
    let etag = format!("\"{:016x}\"", fnv1a(&bytes));
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut resp = if matches {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        html(StatusCode::OK, bytes, content_type)
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp
}

/// The home page's bytes as a [`SiteBehavior`] with a broken encoding serves them.
fn home_encoding_fault(
    behavior: SiteBehavior,
    bytes: Vec<u8>,
    content_type: &'static str,
) -> (Vec<u8>, &'static str) {
    match behavior {
        SiteBehavior::HomeUtf16 => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let text = if content_type.contains("utf-8") {
                text
            } else {
                encoding_rs::GBK.decode(&bytes).0.into_owned()
            };
            let wide = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            (wide, "text/html")
        }
        SiteBehavior::HomeStrayNul => {
            let mut bytes = bytes;
            let at = bytes.iter().position(|b| *b == b'>').map_or(0, |i| i + 1);
            bytes.insert(at, 0);
            (bytes, content_type)
        }
        SiteBehavior::HomeUndecodable => {
            let mut noise = vec![0x1F, 0x8B, 0x08, 0x00];
            noise.extend((0u32..8192).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
            (noise, "text/html")
        }
        _ => (bytes, content_type),
    }
}
