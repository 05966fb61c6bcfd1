//! The loopback HTTP server of the simulated district (axum).
//!
//! Owns: routing a request path to a site, column, list page or article of the model,
//! encoding (UTF-8 or GBK), ETag/304 on list pages, robots.txt, the per-site behaviours
//! (walls and timeouts), time travel (`set_today`) and a request counter. Must not bind
//! anything but the address it is given, nor pre-render pages: everything is rendered on
//! request from the `District`.

use super::render::{self, Ctx};
use super::rng::{SplitMix64, fnv1a};
use super::{District, ListLayout, SiteBehavior};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
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

struct Shared {
    district: District,
    base: Url,
    today: RwLock<NaiveDate>,
    behaviors: Mutex<HashMap<String, SiteBehavior>>,
    requests: AtomicU64,
    cancel: CancellationToken,
    /// Site home paths, longest first, for prefix routing.
    site_paths: Vec<(String, usize)>,
    /// Column list path → (site, column).
    columns: HashMap<String, (usize, usize)>,
    /// Article path → (site, column, item).
    articles: HashMap<String, (usize, usize, usize)>,
}

/// The simulated district served on loopback.
///
/// Dropping it without [`SimServer::shutdown`] also stops serving (the listener task is
/// told to stop; it does not outlive the runtime either way).
pub struct SimServer {
    shared: Arc<Shared>,
    task: Option<JoinHandle<()>>,
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.shared.cancel.cancel();
    }
}

impl SimServer {
    /// Binds `addr` (use `127.0.0.1:0` for a free port) and serves `district` until
    /// [`SimServer::shutdown`]. Must be called inside a tokio runtime.
    pub async fn start(district: District, addr: SocketAddr) -> std::io::Result<SimServer> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let base = Url::parse(&format!("http://{local}/")).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("cannot make a URL of the bound address {local}: {e}"),
            )
        })?;

        let mut site_paths: Vec<(String, usize)> = district
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.path.clone(), i))
            .collect();
        site_paths.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let mut columns = HashMap::new();
        let mut articles = HashMap::new();
        for (s, site) in district.sites.iter().enumerate() {
            for (c, col) in site.columns.iter().enumerate() {
                columns.insert(col.path.clone(), (s, c));
                if col.layout == ListLayout::SinglePage {
                    continue;
                }
                for (i, item) in col.items.iter().enumerate() {
                    if !item.is_offsite() {
                        articles.insert(item.path.clone(), (s, c, i));
                    }
                }
            }
        }
        let cancel = CancellationToken::new();
        let shared = Arc::new(Shared {
            today: RwLock::new(district.as_of),
            district,
            base,
            behaviors: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            cancel: cancel.clone(),
            site_paths,
            columns,
            articles,
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let task = tokio::spawn(async move {
            let served =
                axum::serve(listener, app).with_graceful_shutdown(cancel.cancelled_owned());
            if let Err(e) = served.await {
                tracing::warn!(error = %e, "simulated district server stopped with an error");
            }
        });
        Ok(SimServer {
            shared,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> Url {
        self.shared.base.clone()
    }

    /// The home page URL of a site.
    pub fn site_url(&self, id: &str) -> Option<Url> {
        let site = self.shared.district.site(id)?;
        self.shared.base.join(&site.path).ok()
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

    /// Requests served so far (every request, walls and 404s included).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// A config.yaml (CONTRACT §2) that assesses the served district: every site with its
    /// id, name, role and URL, columns found by name, a fast crawl, default rules.
    pub fn config_yaml(&self) -> String {
        let d = &self.shared.district;
        let mut out = String::new();
        out.push_str("# 模拟孟津区：由 govscore sim 生成，仅用于本机测试。\n");
        out.push_str(&format!("district: {}\n", d.name));
        out.push_str("timezone: Asia/Shanghai\n");
        out.push_str("sites:\n");
        for s in &d.sites {
            let url = self
                .shared
                .base
                .join(&s.path)
                .map(|u| u.to_string())
                .unwrap_or_else(|_| s.path.clone());
            out.push_str(&format!(
                "  - id: {}\n    name: {}\n    role: {}\n    url: {}\n",
                s.id,
                s.name,
                s.role.as_str(),
                url
            ));
        }
        out.push_str("discover: false\n");
        out.push_str("crawl:\n  delay_ms: 0\n  per_host_concurrency: 4\n  timeout_s: 5\n  contact: \"govscore sim (loopback test district)\"\n");
        out.push_str("storage:\n  database: data/govscore.db\n");
        out.push_str("reports:\n  dir: reports\n");
        out
    }

    /// Stops serving: open requests (including hanging `Timeout` ones) are released and
    /// connections closed within a short grace.
    pub async fn shutdown(mut self) {
        self.shared.cancel.cancel();
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
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
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let n = shared.requests.fetch_add(1, Ordering::Relaxed);
    let path = req.uri().path().to_string();
    if path == "/robots.txt" {
        return html(
            StatusCode::OK,
            b"User-agent: *\nAllow: /\n".to_vec(),
            "text/plain; charset=utf-8",
        );
    }
    let Some(&(_, s)) = shared
        .site_paths
        .iter()
        .find(|(p, _)| path.starts_with(p.as_str()))
    else {
        return not_found();
    };
    let site = &shared.district.sites[s];
    let behavior = shared
        .behaviors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&site.id)
        .copied()
        .unwrap_or(site.behavior);
    let token = SplitMix64::derive(shared.district.seed ^ n, &path).next_u64();
    match behavior {
        SiteBehavior::Normal => {}
        SiteBehavior::Wall521 => {
            let mut resp = html(
                StatusCode::from_u16(521).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
                render::wall_521(token).into_bytes(),
                "text/html",
            );
            if let Ok(v) = HeaderValue::from_str(&format!(
                "__jsluid_h={token:032x}; max-age=31536000; path=/; HttpOnly"
            )) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            return resp;
        }
        SiteBehavior::Wall412 => {
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
            return resp;
        }
        SiteBehavior::Timeout => {
            tokio::select! {
                _ = tokio::time::sleep(HANG) => {}
                _ = shared.cancel.cancelled() => {}
            }
            return html(
                StatusCode::GATEWAY_TIMEOUT,
                b"<html><body>504 Gateway Time-out</body></html>".to_vec(),
                "text/html",
            );
        }
    }

    let (dir, file) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => return not_found(),
    };
    let target = if let Some(&(as_, c, i)) = shared.articles.get(&path) {
        if as_ != s {
            return not_found();
        }
        Target::Article(c, i)
    } else if dir == site.path && (file.is_empty() || file == "index.html") {
        Target::Home
    } else if let Some(&(cs, c)) = shared.columns.get(dir) {
        if cs != s {
            return not_found();
        }
        let page = if file.is_empty() || file == "index.html" {
            Some(0)
        } else {
            file.strip_prefix("index_")
                .and_then(|r| r.strip_suffix(".html"))
                .and_then(|k| k.parse::<usize>().ok())
                .filter(|k| *k >= 1)
        };
        match (page, site.columns[c].layout) {
            (Some(0), ListLayout::SinglePage) => Target::Single(c),
            (Some(_), ListLayout::SinglePage) | (None, _) => return not_found(),
            (Some(k), _) => Target::List(c, k),
        }
    } else {
        let with_slash = format!("{path}/");
        if shared.columns.contains_key(&with_slash)
            || shared.site_paths.iter().any(|(p, _)| *p == with_slash)
        {
            return redirect(&with_slash);
        }
        return not_found();
    };

    let today = *shared.today.read().unwrap_or_else(|e| e.into_inner());
    let ctx = Ctx {
        district: &shared.district,
        base: &shared.base,
        today,
    };
    let (page, is_list) = match target {
        Target::Home => (Some(render::home(&ctx, site)), true),
        Target::List(c, k) => (render::list_page(&ctx, site, &site.columns[c], k), true),
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
