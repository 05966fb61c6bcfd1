//! Integration tests of the fetcher against local axum servers on 127.0.0.1:0.
//! Every URL is derived from the bound address; no test touches the network.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use govscore::config::CrawlSettings;
use govscore::crawl::{Failure, FetchOutcome, Fetcher, Scope, SkipReason, Validators, Wall};
use url::Url;

use crate::support::serve;

fn at(addr: SocketAddr, path: &str) -> Url {
    Url::parse(&format!("http://{addr}{path}")).expect("test url")
}

fn settings() -> CrawlSettings {
    CrawlSettings {
        delay_ms: 0,
        retries: 2,
        respect_robots: false,
        timeout_s: 5,
        contact: "ops@example.gov.cn".to_string(),
        ..CrawlSettings::default()
    }
}

fn fetcher(settings: &CrawlSettings, addrs: &[SocketAddr]) -> Fetcher {
    let urls: Vec<Url> = addrs.iter().map(|a| at(*a, "/")).collect();
    Fetcher::new(settings, Scope::new(urls.iter()))
        .expect("fetcher builds")
        .with_backoff_base(Duration::from_millis(10))
}

fn counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

#[tokio::test]
async fn same_user_agent_on_robots_and_page_requests() {
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let (s1, s2) = (seen.clone(), seen.clone());
    let router = Router::new()
        .route(
            "/robots.txt",
            get(move |h: HeaderMap| async move {
                let ua = h.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
                s1.lock()
                    .unwrap()
                    .push(("robots".into(), ua.unwrap_or("").into()));
                "User-agent: *\nAllow: /\n"
            }),
        )
        .route(
            "/page",
            get(move |h: HeaderMap| async move {
                let ua = h.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
                s2.lock()
                    .unwrap()
                    .push(("page".into(), ua.unwrap_or("").into()));
                "<html>ok</html>"
            }),
        );
    let addr = serve(router).await;
    let s = CrawlSettings {
        respect_robots: true,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    let out = f.get(&at(addr, "/page"), None).await;
    assert!(matches!(out, FetchOutcome::Fetched(_)), "{out:?}");
    let seen = seen.lock().unwrap().clone();
    let ua = s.user_agent();
    assert!(ua.contains("ops@example.gov.cn"));
    assert_eq!(
        seen,
        vec![("robots".to_string(), ua.clone()), ("page".to_string(), ua)]
    );
}

#[tokio::test]
async fn robots_disallow_skips_without_requesting_and_is_fetched_once() {
    let robots_hits = counter();
    let private_hits = counter();
    let (r, p) = (robots_hits.clone(), private_hits.clone());
    let router = Router::new()
        .route(
            "/robots.txt",
            get(move || async move {
                r.fetch_add(1, Ordering::SeqCst);
                "User-agent: *\nDisallow: /private/\n"
            }),
        )
        .route(
            "/private/x.html",
            get(move || async move {
                p.fetch_add(1, Ordering::SeqCst);
                "secret"
            }),
        )
        .route("/public.html", get(|| async { "public" }));
    let addr = serve(router).await;
    let s = CrawlSettings {
        respect_robots: true,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    let out = f.get(&at(addr, "/private/x.html"), None).await;
    assert!(
        matches!(
            out,
            FetchOutcome::Skipped {
                reason: SkipReason::RobotsDisallowed,
                ..
            }
        ),
        "{out:?}"
    );
    assert_eq!(out.reason_zh(), "robots.txt 禁止抓取");
    assert!(matches!(
        f.get(&at(addr, "/public.html"), None).await,
        FetchOutcome::Fetched(_)
    ));
    assert_eq!(private_hits.load(Ordering::SeqCst), 0);
    assert_eq!(robots_hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn respect_robots_false_ignores_disallow() {
    let router = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /\n" }),
        )
        .route("/x", get(|| async { "x" }));
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    assert!(matches!(
        f.get(&at(addr, "/x"), None).await,
        FetchOutcome::Fetched(_)
    ));
}

#[tokio::test]
async fn missing_robots_allows_everything() {
    let router = Router::new().route("/x", get(|| async { "x" }));
    let addr = serve(router).await;
    let s = CrawlSettings {
        respect_robots: true,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    assert!(matches!(
        f.get(&at(addr, "/x"), None).await,
        FetchOutcome::Fetched(_)
    ));
    assert!(f.robots_notes().is_empty());
}

#[tokio::test]
async fn robots_crawl_delay_spaces_page_requests() {
    let times: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let t = times.clone();
    let router = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nCrawl-delay: 1\n" }),
        )
        .route(
            "/p/{n}",
            get(move || async move {
                t.lock().unwrap().push(Instant::now());
                "page"
            }),
        );
    let addr = serve(router).await;
    let s = CrawlSettings {
        respect_robots: true,
        per_host_concurrency: 4,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    let mut tasks = Vec::new();
    for n in 0..3 {
        let f = f.clone();
        let u = at(addr, &format!("/p/{n}"));
        tasks.push(tokio::spawn(async move { f.get(&u, None).await }));
    }
    for t in tasks {
        assert!(matches!(t.await.unwrap(), FetchOutcome::Fetched(_)));
    }
    let mut times = times.lock().unwrap().clone();
    times.sort();
    assert_eq!(times.len(), 3);
    // Starts are spaced by the client; the server sees them with a little transit jitter.
    let jitter = Duration::from_millis(30);
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] + jitter >= Duration::from_secs(1),
            "gap {:?} shorter than Crawl-delay",
            pair[1] - pair[0]
        );
    }
}

#[tokio::test]
async fn configured_delay_spaces_requests_to_one_host() {
    let times: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let t = times.clone();
    let router = Router::new().route(
        "/p/{n}",
        get(move || async move {
            t.lock().unwrap().push(Instant::now());
            "page"
        }),
    );
    let addr = serve(router).await;
    let s = CrawlSettings {
        delay_ms: 300,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    for n in 0..3 {
        f.get(&at(addr, &format!("/p/{n}")), None).await;
    }
    let times = times.lock().unwrap().clone();
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] + Duration::from_millis(30) >= Duration::from_millis(300));
    }
}

/// A route that counts requests in flight and remembers the most seen at once.
fn concurrency_router(in_flight: Arc<AtomicUsize>, max_seen: Arc<AtomicUsize>) -> Router {
    Router::new().route(
        "/slow/{n}",
        get(move || {
            let (in_flight, max_seen) = (in_flight.clone(), max_seen.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                max_seen.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                "slow"
            }
        }),
    )
}

#[tokio::test]
async fn per_host_concurrency_is_never_exceeded() {
    let (in_flight, max_seen) = (counter(), counter());
    let addr = serve(concurrency_router(in_flight, max_seen.clone())).await;
    let s = CrawlSettings {
        per_host_concurrency: 2,
        global_concurrency: 16,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    let mut tasks = Vec::new();
    for n in 0..8 {
        let f = f.clone();
        let u = at(addr, &format!("/slow/{n}"));
        tasks.push(tokio::spawn(async move { f.get(&u, None).await }));
    }
    for t in tasks {
        assert!(matches!(t.await.unwrap(), FetchOutcome::Fetched(_)));
    }
    // Exactly 2: never more, and the limit is actually used.
    assert_eq!(max_seen.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn global_concurrency_spans_hosts() {
    let (in_flight, max_seen) = (counter(), counter());
    let a = serve(concurrency_router(in_flight.clone(), max_seen.clone())).await;
    let b = serve(concurrency_router(in_flight, max_seen.clone())).await;
    let s = CrawlSettings {
        per_host_concurrency: 4,
        global_concurrency: 3,
        ..settings()
    };
    let f = fetcher(&s, &[a, b]);
    let mut tasks = Vec::new();
    for n in 0..12 {
        let f = f.clone();
        let u = at(if n % 2 == 0 { a } else { b }, &format!("/slow/{n}"));
        tasks.push(tokio::spawn(async move { f.get(&u, None).await }));
    }
    for t in tasks {
        assert!(matches!(t.await.unwrap(), FetchOutcome::Fetched(_)));
    }
    assert_eq!(max_seen.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn service_unavailable_then_ok_is_fetched_after_one_retry() {
    let hits = counter();
    let h = hits.clone();
    let router = Router::new().route(
        "/flaky",
        get(move || async move {
            if h.fetch_add(1, Ordering::SeqCst) == 0 {
                (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
            } else {
                "<html>ok</html>".into_response()
            }
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/flaky"), None).await;
    assert!(matches!(out, FetchOutcome::Fetched(ref p) if p.text == "<html>ok</html>"));
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(f.stats().retries, 1);
}

#[tokio::test]
async fn persistent_5xx_fails_after_all_retries() {
    let hits = counter();
    let h = hits.clone();
    let router = Router::new().route(
        "/down",
        get(move || async move {
            h.fetch_add(1, Ordering::SeqCst);
            StatusCode::BAD_GATEWAY
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/down"), None).await;
    assert_eq!(
        out,
        FetchOutcome::Failed {
            url: at(addr, "/down"),
            failure: Failure::Http(502),
            attempts: 3
        }
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn not_found_is_not_retried() {
    let hits = counter();
    let h = hits.clone();
    let router = Router::new().route(
        "/gone",
        get(move || async move {
            h.fetch_add(1, Ordering::SeqCst);
            StatusCode::NOT_FOUND
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/gone"), None).await;
    assert!(matches!(
        out,
        FetchOutcome::Failed {
            failure: Failure::Http(404),
            attempts: 1,
            ..
        }
    ));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn too_many_requests_with_retry_after_is_waited_out() {
    let times: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let t = times.clone();
    let router = Router::new().route(
        "/limited",
        get(move || async move {
            let mut times = t.lock().unwrap();
            times.push(Instant::now());
            if times.len() == 1 {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "1")],
                    "slow down",
                )
                    .into_response()
            } else {
                "ok".into_response()
            }
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/limited"), None).await;
    assert!(matches!(out, FetchOutcome::Fetched(_)), "{out:?}");
    let times = times.lock().unwrap().clone();
    assert_eq!(times.len(), 2);
    assert!(times[1] - times[0] + Duration::from_millis(30) >= Duration::from_secs(1));
}

#[tokio::test]
async fn retry_after_longer_than_bound_fails_as_throttled_at_once() {
    let hits = counter();
    let h = hits.clone();
    let router = Router::new().route(
        "/limited",
        get(move || async move {
            h.fetch_add(1, Ordering::SeqCst);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "3600")],
                "come back later",
            )
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/limited"), None).await;
    assert!(matches!(
        out,
        FetchOutcome::Failed {
            failure: Failure::Throttled { status: 503 },
            attempts: 1,
            ..
        }
    ));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

const JSL_BODY: &str = "<html><body><script>document.cookie=('_')+('_jsl_clearance_s=1672|0|abc')\
    +';Expires=Mon';location.href=location.pathname+location.search</script></body></html>";
const RUISHU_BODY: &str = "<html><head><meta id=\"9DhefwqGPrzG\" content=\"abc\" r='m'>\
    <script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=74921;$_ts.cd=\"qEkqrrAlq\";</script>\
    </head><body></body></html>";

#[tokio::test]
async fn jsl_521_is_blocked_on_the_first_request_without_retry() {
    let hits = counter();
    let h = hits.clone();
    let router = Router::new().route(
        "/",
        get(move || async move {
            h.fetch_add(1, Ordering::SeqCst);
            (
                StatusCode::from_u16(521).unwrap(),
                [(
                    header::SET_COOKIE,
                    "__jsluid_h=0f3c1a; max-age=31536000; path=/",
                )],
                JSL_BODY,
            )
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/"), None).await;
    assert_eq!(
        out,
        FetchOutcome::Blocked {
            url: at(addr, "/"),
            wall: Wall::Jsl,
            status: 521
        }
    );
    assert_eq!(out.reason_zh(), "HTTP 521 反爬验证(加速乐)");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(f.stats().retries, 0);
    assert_eq!(f.stats().blocked, 1);
}

#[tokio::test]
async fn ruishu_412_and_challenge_only_200_are_blocked() {
    let router = Router::new()
        .route(
            "/412",
            get(|| async { (StatusCode::PRECONDITION_FAILED, RUISHU_BODY) }),
        )
        .route(
            "/200",
            get(|| async { ([(header::CONTENT_TYPE, "text/html")], RUISHU_BODY) }),
        )
        .route(
            "/article",
            get(|| async {
                let para = "<p>瑞数防护会插入 $_ts=window['$_ts'] 脚本；本文说明政府网站如何兼顾安全与可访问性。</p>";
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    format!("<html><body>{}</body></html>", para.repeat(12)),
                )
            }),
        );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    for path in ["/412", "/200"] {
        let out = f.get(&at(addr, path), None).await;
        assert!(
            matches!(
                out,
                FetchOutcome::Blocked {
                    wall: Wall::Ruishu,
                    ..
                }
            ),
            "{path}: {out:?}"
        );
    }
    assert!(matches!(
        f.get(&at(addr, "/article"), None).await,
        FetchOutcome::Fetched(_)
    ));
}

#[tokio::test]
async fn wzws_challenge_redirect_is_blocked() {
    let router = Router::new().route(
        "/",
        get(|| async {
            (
                StatusCode::FOUND,
                [(
                    header::LOCATION,
                    "/WZWSREL2luZGV4Lmh0bWw=?wzwschallenge=V1pXU19DT05GSVJN",
                )],
            )
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    assert!(matches!(
        f.get(&at(addr, "/"), None).await,
        FetchOutcome::Blocked {
            wall: Wall::Wzws,
            status: 302,
            ..
        }
    ));
}

#[tokio::test]
async fn redirect_within_scope_reports_the_final_url() {
    let router = Router::new()
        .route(
            "/old",
            get(|| async { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/new/")]) }),
        )
        .route("/new/", get(|| async { "new home" }));
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    match f.get(&at(addr, "/old"), None).await {
        FetchOutcome::Fetched(page) => {
            assert_eq!(page.url, at(addr, "/new/"));
            assert_eq!(page.text, "new home");
        }
        other => panic!("expected Fetched, got {other:?}"),
    }
}

#[tokio::test]
async fn redirect_to_another_port_is_skipped_off_scope() {
    let other_hits = counter();
    let o = other_hits.clone();
    let other = serve(Router::new().route(
        "/",
        get(move || async move {
            o.fetch_add(1, Ordering::SeqCst);
            "elsewhere"
        }),
    ))
    .await;
    let target = format!("http://{other}/");
    let router = Router::new().route(
        "/",
        get(move || {
            let target = target.clone();
            async move { (StatusCode::FOUND, [(header::LOCATION, target)]) }
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/"), None).await;
    assert_eq!(
        out,
        FetchOutcome::Skipped {
            url: at(addr, "/"),
            reason: SkipReason::OffScope
        }
    );
    assert_eq!(other_hits.load(Ordering::SeqCst), 0);
    // Asking for an off-scope URL directly is skipped too.
    assert!(matches!(
        f.get(&at(other, "/"), None).await,
        FetchOutcome::Skipped {
            reason: SkipReason::OffScope,
            ..
        }
    ));
    assert_eq!(f.stats().skipped, 2);
}

#[tokio::test]
async fn redirect_to_ftp_is_skipped() {
    let router = Router::new().route(
        "/",
        get(|| async {
            (
                StatusCode::FOUND,
                [(header::LOCATION, "ftp://127.0.0.1/pub/file.doc")],
            )
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    assert!(matches!(
        f.get(&at(addr, "/"), None).await,
        FetchOutcome::Skipped {
            reason: SkipReason::NonHttpScheme,
            ..
        }
    ));
    let ftp = Url::parse("ftp://127.0.0.1/x").unwrap();
    assert!(matches!(
        f.get(&ftp, None).await,
        FetchOutcome::Skipped {
            reason: SkipReason::NonHttpScheme,
            ..
        }
    ));
}

#[tokio::test]
async fn redirect_loop_fails_as_too_many_redirects() {
    let router = Router::new().route(
        "/loop/{n}",
        get(
            |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, format!("/loop/{}", n + 1))],
                )
            },
        ),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    assert!(matches!(
        f.get(&at(addr, "/loop/0"), None).await,
        FetchOutcome::Failed {
            failure: Failure::TooManyRedirects,
            attempts: 1,
            ..
        }
    ));
}

#[tokio::test]
async fn body_over_cap_fails_with_and_without_content_length() {
    let router = Router::new()
        .route("/big", get(|| async { "x".repeat(5000) }))
        .route(
            "/stream",
            get(|| async {
                let chunks = (0..10).map(|_| Ok::<_, std::io::Error>("y".repeat(500)));
                Response::new(Body::from_stream(futures::stream::iter(chunks)))
            }),
        )
        .route("/small", get(|| async { "z".repeat(900) }));
    let addr = serve(router).await;
    let s = CrawlSettings {
        max_body_bytes: 1000,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    for path in ["/big", "/stream"] {
        let out = f.get(&at(addr, path), None).await;
        assert!(
            matches!(
                out,
                FetchOutcome::Failed {
                    failure: Failure::BodyTooLarge,
                    attempts: 1,
                    ..
                }
            ),
            "{path}: {out:?}"
        );
    }
    assert!(matches!(
        f.get(&at(addr, "/small"), None).await,
        FetchOutcome::Fetched(ref p) if p.bytes.len() == 900
    ));
}

#[tokio::test]
async fn connection_refused_fails_as_connect_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&at(addr, "/"), None).await;
    assert_eq!(
        out,
        FetchOutcome::Failed {
            url: at(addr, "/"),
            failure: Failure::Connect,
            attempts: 3
        }
    );
    assert_eq!(f.stats().retries, 2);
    assert_eq!(f.stats().failed, 1);
}

#[tokio::test]
async fn handler_sleeping_past_the_timeout_fails_as_timeout() {
    let router = Router::new().route(
        "/sleepy",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(4)).await;
            "too late"
        }),
    );
    let addr = serve(router).await;
    let s = CrawlSettings {
        timeout_s: 1,
        retries: 0,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    let out = f.get(&at(addr, "/sleepy"), None).await;
    assert!(
        matches!(
            out,
            FetchOutcome::Failed {
                failure: Failure::Timeout,
                attempts: 1,
                ..
            }
        ),
        "{out:?}"
    );
}

#[tokio::test]
async fn etag_revalidation_gives_not_modified() {
    let router = Router::new().route(
        "/list",
        get(|h: HeaderMap| async move {
            if h.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some("\"v1\"") {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                (
                    [
                        (header::ETAG, "\"v1\""),
                        (header::LAST_MODIFIED, "Mon, 09 Jan 2023 08:00:00 GMT"),
                    ],
                    "list v1",
                )
                    .into_response()
            }
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let u = at(addr, "/list");
    let FetchOutcome::Fetched(page) = f.get(&u, None).await else {
        panic!("first fetch must succeed");
    };
    assert_eq!(page.etag.as_deref(), Some("\"v1\""));
    let validators = Validators {
        etag: page.etag.clone(),
        last_modified: page.last_modified.clone(),
    };
    assert_eq!(
        f.get(&u, Some(&validators)).await,
        FetchOutcome::NotModified { url: u.clone() }
    );
    assert_eq!(f.stats().not_modified, 1);
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

#[tokio::test]
async fn gbk_page_with_only_a_meta_charset_decodes() {
    let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
        <title>孟津区人民政府</title></head><body><a href=\"/tzgg/\">通知公告</a></body></html>";
    let bytes = gbk(html);
    let router = Router::new().route(
        "/",
        get(move || {
            let bytes = bytes.clone();
            async move { ([(header::CONTENT_TYPE, "text/html")], bytes) }
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let FetchOutcome::Fetched(page) = f.get(&at(addr, "/"), None).await else {
        panic!("fetch must succeed");
    };
    assert_eq!(page.encoding, "GBK");
    assert_eq!(page.text, html);
    assert!(!page.decode_errors);
}

#[tokio::test]
async fn header_charset_wins_over_meta() {
    let html =
        "<html><head><meta charset=\"utf-8\"></head><body>政府信息公开工作年度报告</body></html>";
    let bytes = gbk(html);
    let router = Router::new().route(
        "/",
        get(move || {
            let bytes = bytes.clone();
            async move { ([(header::CONTENT_TYPE, "text/html; charset=GBK")], bytes) }
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let FetchOutcome::Fetched(page) = f.get(&at(addr, "/"), None).await else {
        panic!("fetch must succeed");
    };
    assert_eq!(page.encoding, "GBK");
    assert_eq!(page.text, html);
}

#[tokio::test]
async fn pdf_body_is_kept_as_bytes_without_text() {
    let router = Router::new().route(
        "/report.pdf",
        get(|| async {
            (
                [(header::CONTENT_TYPE, "application/pdf")],
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            )
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    let FetchOutcome::Fetched(page) = f.get(&at(addr, "/report.pdf"), None).await else {
        panic!("fetch must succeed");
    };
    assert!(page.bytes.starts_with(b"%PDF"));
    assert_eq!(page.text, "");
}

#[tokio::test]
async fn post_form_sends_urlencoded_body_and_keeps_session_cookie() {
    let router = Router::new()
        .route(
            "/login",
            get(|| async { ([(header::SET_COOKIE, "JSESSIONID=s1; Path=/")], "hi") }),
        )
        .route(
            "/dataproxy.jsp",
            post(|h: HeaderMap, body: String| async move {
                let cookie = h
                    .get(header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                format!("cookie={cookie};body={body}")
            }),
        );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    f.get(&at(addr, "/login"), None).await;
    let form = vec![
        ("startrecord".to_string(), "1".to_string()),
        ("col".to_string(), "通知 公告".to_string()),
    ];
    let FetchOutcome::Fetched(page) = f.post_form(&at(addr, "/dataproxy.jsp"), &form).await else {
        panic!("post must succeed");
    };
    assert_eq!(
        page.text,
        "cookie=JSESSIONID=s1;body=startrecord=1&col=%E9%80%9A%E7%9F%A5+%E5%85%AC%E5%91%8A"
    );
}

#[tokio::test]
async fn stats_count_requests_retries_bytes_and_outcomes() {
    let hits = counter();
    let h = hits.clone();
    let router = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /no/\n" }),
        )
        .route("/ok", get(|| async { "0123456789" }))
        .route(
            "/flaky",
            get(move || async move {
                if h.fetch_add(1, Ordering::SeqCst) == 0 {
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                } else {
                    "abcde".into_response()
                }
            }),
        )
        .route("/wall", get(|| async { StatusCode::PRECONDITION_FAILED }))
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }));
    let addr = serve(router).await;
    let s = CrawlSettings {
        respect_robots: true,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    f.get(&at(addr, "/ok"), None).await;
    f.get(&at(addr, "/flaky"), None).await;
    f.get(&at(addr, "/wall"), None).await;
    f.get(&at(addr, "/missing"), None).await;
    f.get(&at(addr, "/no/x"), None).await;
    let st = f.stats();
    // robots + ok + flaky×2 + wall + missing; /no/x is never requested.
    assert_eq!(st.requests, 6);
    assert_eq!(st.retries, 1);
    assert_eq!(st.blocked, 1);
    assert_eq!(st.failed, 1);
    assert_eq!(st.skipped, 1);
    assert_eq!(st.not_modified, 0);
    let robots_len = "User-agent: *\nDisallow: /no/\n".len() as u64;
    // robots + "0123456789" + "abcde" (the 500 and 404 have empty bodies; 412 is not read).
    assert_eq!(st.bytes, robots_len + 10 + 5);
}

#[tokio::test]
async fn unknown_host_fails_as_dns() {
    let u = Url::parse("http://govscore-test.invalid/").unwrap();
    let s = CrawlSettings {
        retries: 0,
        ..settings()
    };
    let f = Fetcher::new(&s, Scope::new([&u])).expect("fetcher builds");
    let out = f.get(&u, None).await;
    assert!(
        matches!(
            out,
            FetchOutcome::Failed {
                failure: Failure::Dns,
                ..
            }
        ),
        "{out:?}"
    );
    assert_eq!(out.reason_zh(), "DNS解析失败");
}

#[tokio::test]
async fn tls_handshake_failure_is_tls_and_not_retried() {
    let hits = counter();
    let h = hits.clone();
    let router = Router::new().route(
        "/",
        get(move || async move {
            h.fetch_add(1, Ordering::SeqCst);
            "plain http"
        }),
    );
    let addr = serve(router).await;
    let u = Url::parse(&format!("https://{addr}/")).unwrap();
    let f = fetcher(&settings(), &[addr]);
    let out = f.get(&u, None).await;
    assert!(
        matches!(
            out,
            FetchOutcome::Failed {
                failure: Failure::Tls,
                attempts: 1,
                ..
            }
        ),
        "{out:?}"
    );
    assert_eq!(f.stats().retries, 0);
}

#[tokio::test]
async fn compressed_encodings_are_offered() {
    let seen: Arc<Mutex<String>> = Arc::default();
    let s2 = seen.clone();
    let router = Router::new().route(
        "/",
        get(move |h: HeaderMap| async move {
            *s2.lock().unwrap() = h
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            "ok"
        }),
    );
    let addr = serve(router).await;
    let f = fetcher(&settings(), &[addr]);
    f.get(&at(addr, "/"), None).await;
    let accepted = seen.lock().unwrap().clone();
    for enc in ["gzip", "br", "deflate"] {
        assert!(accepted.contains(enc), "{enc} missing from {accepted:?}");
    }
}

#[tokio::test]
async fn crawl_delay_also_spaces_the_first_page_after_robots() {
    let times: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let (t1, t2) = (times.clone(), times.clone());
    let router = Router::new()
        .route(
            "/robots.txt",
            get(move || async move {
                t1.lock().unwrap().push(Instant::now());
                "User-agent: *\nCrawl-delay: 1\n"
            }),
        )
        .route(
            "/",
            get(move || async move {
                t2.lock().unwrap().push(Instant::now());
                "home"
            }),
        );
    let addr = serve(router).await;
    let s = CrawlSettings {
        respect_robots: true,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    assert!(matches!(
        f.get(&at(addr, "/"), None).await,
        FetchOutcome::Fetched(_)
    ));
    let times = times.lock().unwrap().clone();
    assert_eq!(times.len(), 2);
    assert!(times[1] - times[0] + Duration::from_millis(30) >= Duration::from_secs(1));
}

#[tokio::test]
async fn robots_server_error_disallows_the_host_and_client_errors_allow_it() {
    let robots_status = |status: StatusCode| {
        Router::new()
            .route("/robots.txt", get(move || async move { status }))
            .route("/", get(|| async { "home" }))
    };
    let s = CrawlSettings {
        respect_robots: true,
        ..settings()
    };
    // RFC 9309 §2.3.1.4: an unreachable robots.txt (5xx) means disallow all.
    let addr = serve(robots_status(StatusCode::INTERNAL_SERVER_ERROR)).await;
    let f = fetcher(&s, &[addr]);
    let outcome = f.get(&at(addr, "/"), None).await;
    assert!(
        matches!(
            outcome,
            FetchOutcome::Skipped {
                reason: SkipReason::RobotsUnreadable,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(outcome.reason_zh().contains("robots.txt 无法读取"));
    let notes = f.robots_notes();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, addr.to_string());
    assert!(notes[0].1.contains("500"), "{notes:?}");
    // §2.3.1.3: an unavailable robots.txt (4xx) means allow all.
    for status in [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND] {
        let addr = serve(robots_status(status)).await;
        let f = fetcher(&s, &[addr]);
        assert!(
            matches!(f.get(&at(addr, "/"), None).await, FetchOutcome::Fetched(_)),
            "{status}"
        );
    }
}

#[tokio::test]
async fn a_wall_on_robots_txt_is_left_to_the_page_fetch_to_name() {
    let jsl = || async {
        (
            StatusCode::from_u16(521).unwrap(),
            [(header::SET_COOKIE, "__jsluid_h=abc; path=/")],
            "<script>document.cookie='__jsl_clearance=1'</script>",
        )
    };
    let router = Router::new()
        .route("/robots.txt", get(jsl))
        .route("/", get(jsl));
    let addr = serve(router).await;
    let s = CrawlSettings {
        respect_robots: true,
        ..settings()
    };
    let f = fetcher(&s, &[addr]);
    let outcome = f.get(&at(addr, "/"), None).await;
    assert!(
        matches!(
            outcome,
            FetchOutcome::Blocked {
                wall: Wall::Jsl,
                ..
            }
        ),
        "{outcome:?}"
    );
}

/// A raw server answering every request with `Content-Length: 4096` and 100 bytes of
/// body, then closing the connection.
async fn truncating_server(hits: Arc<AtomicUsize>) -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            hits.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 4096\r\n\r\n";
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&[b'x'; 100]).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_body_cut_off_mid_transfer_is_incomplete_and_retried() {
    let hits = counter();
    let addr = truncating_server(hits.clone()).await;
    let f = fetcher(&settings(), &[addr]);
    let outcome = f.get(&at(addr, "/"), None).await;
    match &outcome {
        FetchOutcome::Failed {
            failure: Failure::Incomplete,
            attempts: 3,
            ..
        } => {}
        other => panic!("expected an incomplete response after 3 tries, got {other:?}"),
    }
    assert!(
        outcome.reason_zh().contains("响应不完整"),
        "{}",
        outcome.reason_zh()
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

mod stay_inside {
    use super::*;
    use govscore::crawl::address::{Lookup, LookupFuture};
    use std::net::IpAddr;

    /// Resolves every name to 127.0.0.1 (standing in for any private address) and records
    /// the names asked for.
    struct PrivateStub(Arc<Mutex<Vec<String>>>);

    impl Lookup for PrivateStub {
        fn lookup(&self, host: &str) -> LookupFuture {
            self.0.lock().unwrap().push(host.to_string());
            Box::pin(async { Ok(vec![IpAddr::from([127, 0, 0, 1])]) })
        }
    }

    /// A loopback listener that must never be connected to: the test fails if it is.
    async fn tripwire() -> (SocketAddr, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let hits = counter();
        let h = hits.clone();
        tokio::spawn(async move {
            while listener.accept().await.is_ok() {
                h.fetch_add(1, Ordering::SeqCst);
            }
        });
        (addr, hits)
    }

    #[tokio::test]
    async fn hosts_not_named_in_the_config_never_reach_a_private_address() {
        let (trap, trapped) = tripwire().await;
        let names: Arc<Mutex<Vec<String>>> = Arc::default();
        // The config names www.a.gov.cn only.
        let named = Url::parse("http://www.a.gov.cn/").unwrap();
        let f = Fetcher::with_lookup(
            &settings(),
            Scope::new([&named]),
            Arc::new(PrivateStub(names.clone())),
        )
        .expect("fetcher builds");
        // A discovered subsite whose name resolves to a private address.
        let discovered = Url::parse(&format!("http://sub.a.gov.cn:{}/", trap.port())).unwrap();
        f.add_to_scope(&discovered);
        let refused = f.address_refusal(&discovered).await.expect("refused");
        assert_eq!(refused.host, "sub.a.gov.cn");
        let outcome = f.get(&discovered, None).await;
        assert!(
            matches!(
                outcome,
                FetchOutcome::Skipped {
                    reason: SkipReason::NonPublicAddress,
                    ..
                }
            ),
            "{outcome:?}"
        );
        assert!(outcome.reason_zh().contains("非公网"));
        // An IP literal on loopback that the config does not name: refused before DNS.
        let literal = at(trap, "/");
        f.add_to_scope(&literal);
        assert!(f.address_refusal(&literal).await.is_some());
        assert!(matches!(
            f.get(&literal, None).await,
            FetchOutcome::Skipped {
                reason: SkipReason::NonPublicAddress,
                ..
            }
        ));
        assert!(names.lock().unwrap().iter().all(|n| n == "sub.a.gov.cn"));
        assert_eq!(trapped.load(Ordering::SeqCst), 0, "nothing connected");
    }

    #[tokio::test]
    async fn a_redirect_from_a_named_host_to_a_private_one_is_not_followed() {
        let (trap, trapped) = tripwire().await;
        let target = format!("http://inner.a.gov.cn:{}/secret", trap.port());
        let to = target.clone();
        let router = Router::new().route(
            "/",
            get(move || async move { (StatusCode::FOUND, [(header::LOCATION, to.clone())], "") }),
        );
        let addr = serve(router).await;
        let names: Arc<Mutex<Vec<String>>> = Arc::default();
        // The config names the loopback server (as the simulator's config does).
        let f = Fetcher::with_lookup(
            &settings(),
            Scope::new([at(addr, "/")]),
            Arc::new(PrivateStub(names.clone())),
        )
        .expect("fetcher builds")
        .with_backoff_base(Duration::from_millis(10));
        f.add_to_scope(&Url::parse(&target).unwrap());
        let outcome = f.get(&at(addr, "/"), None).await;
        assert!(
            matches!(
                outcome,
                FetchOutcome::Skipped {
                    reason: SkipReason::NonPublicAddress,
                    ..
                }
            ),
            "{outcome:?}"
        );
        assert_eq!(names.lock().unwrap().as_slice(), ["inner.a.gov.cn"]);
        assert_eq!(trapped.load(Ordering::SeqCst), 0, "nothing connected");
    }
}

pub(crate) mod certificates {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;

    /// An HTTPS server on loopback with a self-signed certificate (as an incomplete chain
    /// looks to a client), answering every request with `body`; records each request line.
    pub(crate) async fn self_signed_server(
        body: &'static str,
    ) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/");
        let cert = std::fs::read(format!("{dir}self_signed_cert.der")).expect("cert fixture");
        let key = std::fs::read(format!("{dir}self_signed_key.der")).expect("key fixture");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![rustls::pki_types::CertificateDer::from(cert)],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.into()),
            )
            .expect("certificate and key");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (acceptor, log) = (acceptor.clone(), log.clone());
                tokio::spawn(async move {
                    // A client that rejects the certificate aborts the handshake here.
                    let Ok(mut tls) = acceptor.accept(sock).await else {
                        return;
                    };
                    let mut buf = vec![0u8; 8192];
                    let n = tls.read(&mut buf).await.unwrap_or(0);
                    let request = String::from_utf8_lossy(&buf[..n]).into_owned();
                    log.lock()
                        .unwrap()
                        .push(request.lines().next().unwrap_or("").to_string());
                    let resp = html_response(body);
                    let _ = tls.write_all(resp.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        (addr, seen)
    }

    /// A whole HTTP/1.1 200 answer carrying `body` as UTF-8 HTML; the connection closes.
    pub(crate) fn html_response(body: &str) -> String {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    /// A fetcher for `home` that reads robots.txt, with short backoffs; `home` is fetched
    /// and its page returned.
    pub(crate) async fn fetch_home(home: &Url) -> (Fetcher, govscore::crawl::Page) {
        let s = CrawlSettings {
            respect_robots: true,
            ..settings()
        };
        let f = Fetcher::new(&s, Scope::new([home]))
            .expect("fetcher builds")
            .with_backoff_base(Duration::from_millis(10));
        match f.get(home, None).await {
            FetchOutcome::Fetched(page) => (f, page),
            other => panic!("expected the page, got {other:?}"),
        }
    }

    /// Why a POST to `home` failed (it must fail).
    pub(crate) async fn post_failure(f: &Fetcher, home: &Url) -> Failure {
        match f
            .post_form(home, &[("a".to_string(), "1".to_string())])
            .await
        {
            FetchOutcome::Failed { failure, .. } => failure,
            other => panic!("expected the POST to fail, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_certificate_that_does_not_verify_is_read_without_verification_by_get_only() {
        let (addr, seen) =
            self_signed_server("<html><body>通知公告 2023-03-14</body></html>").await;
        let home = Url::parse(&format!("https://{addr}/")).unwrap();
        let (f, page) = fetch_home(&home).await;
        assert!(page.text.contains("2023-03-14"));
        let why = f.certificate_problem(&home).expect("the problem is kept");
        assert!(why.contains("证书颁发机构不受信任"), "{why}");
        // A POST is never sent to such a host: it fails on the certificate.
        assert_eq!(post_failure(&f, &home).await, Failure::Tls);
        let seen = seen.lock().unwrap().clone();
        assert!(!seen.is_empty());
        assert!(seen.iter().all(|l| l.starts_with("GET ")), "{seen:?}");
        assert!(seen.iter().any(|l| l.starts_with("GET /robots.txt")));
    }
}

/// Servers that speak only TLS 1.0/1.1: read through OpenSSL with the `tls-legacy`
/// feature; without it, a failure that names the feature.
pub(crate) mod legacy_tls {
    use super::*;

    /// A "server" that answers any TLS hello with a fatal `protocol_version` alert in a
    /// TLS 1.0 record, as a TLS 1.0-only OpenSSL does to a TLS 1.2+ client.
    async fn protocol_version_alert_server() -> SocketAddr {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let _ = sock.read(&mut buf).await;
                    // alert record, version 3.1, length 2, fatal (2), protocol_version (70)
                    let _ = sock
                        .write_all(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])
                        .await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        addr
    }

    #[tokio::test]
    async fn a_protocol_version_failure_names_the_build_feature_or_fails_as_tls_with_it() {
        let addr = protocol_version_alert_server().await;
        let home = Url::parse(&format!("https://{addr}/")).unwrap();
        let f = Fetcher::new(&settings(), Scope::new([&home]))
            .expect("fetcher builds")
            .with_backoff_base(Duration::from_millis(10));
        let outcome = f.get(&home, None).await;
        let FetchOutcome::Failed {
            failure, attempts, ..
        } = &outcome
        else {
            panic!("expected a failure, got {outcome:?}");
        };
        assert_eq!(*attempts, 1, "a protocol failure is not retried");
        if cfg!(feature = "tls-legacy") {
            // The OpenSSL client met the same alert: an honest TLS failure.
            assert_eq!(*failure, Failure::Tls);
        } else {
            assert_eq!(*failure, Failure::LegacyTls);
            let reason = outcome.reason_zh();
            assert!(reason.contains("TLS 1.0/1.1"), "{reason}");
            assert!(reason.contains("tls-legacy"), "{reason}");
        }
        assert_eq!(f.certificate_problem(&home), None);
    }

    /// An HTTPS server on loopback that speaks only TLS 1.0 (OpenSSL at security level 0),
    /// with the self-signed test certificate, answering every request with `body`;
    /// records each request line with the protocol it came over.
    #[cfg(feature = "tls-legacy")]
    pub(crate) fn tls10_server(body: &'static str) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
        use openssl::ssl::{SslAcceptor, SslMethod, SslVersion};
        use std::io::{Read, Write};
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/");
        let cert = std::fs::read(format!("{dir}self_signed_cert.der")).expect("cert fixture");
        let key = std::fs::read(format!("{dir}self_signed_key.der")).expect("key fixture");
        let cert = openssl::x509::X509::from_der(&cert).expect("certificate");
        let key = openssl::pkey::PKey::private_key_from_pkcs8(&key).expect("key");
        let mut builder =
            SslAcceptor::mozilla_intermediate(SslMethod::tls_server()).expect("acceptor");
        builder
            .set_min_proto_version(Some(SslVersion::TLS1))
            .expect("min version");
        builder
            .set_max_proto_version(Some(SslVersion::TLS1))
            .expect("max version");
        builder
            .set_cipher_list("DEFAULT:@SECLEVEL=0")
            .expect("ciphers");
        builder.set_certificate(&cert).expect("certificate");
        builder.set_private_key(&key).expect("key");
        let acceptor = Arc::new(builder.build());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = seen.clone();
        std::thread::spawn(move || {
            for sock in listener.incoming() {
                let Ok(sock) = sock else { return };
                let (acceptor, log) = (acceptor.clone(), log.clone());
                std::thread::spawn(move || {
                    // A TLS 1.2+ client is refused here with a protocol_version alert.
                    let Ok(mut tls) = acceptor.accept(sock) else {
                        return;
                    };
                    let mut buf = vec![0u8; 8192];
                    let n = tls.read(&mut buf).unwrap_or(0);
                    let request = String::from_utf8_lossy(&buf[..n]).into_owned();
                    let line = request.lines().next().unwrap_or("").to_string();
                    log.lock()
                        .unwrap()
                        .push(format!("{} {line}", tls.ssl().version_str()));
                    let resp = super::certificates::html_response(body);
                    let _ = tls.write_all(resp.as_bytes());
                    let _ = tls.shutdown();
                });
            }
        });
        (addr, seen)
    }

    #[cfg(feature = "tls-legacy")]
    #[tokio::test]
    async fn a_tls10_only_server_is_read_through_openssl_by_get_only() {
        use govscore::crawl::fetch::LEGACY_TLS_PROBLEM;
        let (addr, seen) = tls10_server("<html><body>通知公告 2023-03-14</body></html>");
        let home = Url::parse(&format!("https://{addr}/")).unwrap();
        let (f, page) = super::certificates::fetch_home(&home).await;
        assert_eq!(page.status, 200);
        assert!(page.text.contains("通知公告 2023-03-14"), "{}", page.text);
        let why = f.certificate_problem(&home).expect("the protocol is noted");
        assert!(why.starts_with(LEGACY_TLS_PROBLEM), "{why}");
        // The test certificate is self-signed: that is noted too.
        assert!(why.contains("证书颁发机构不受信任"), "{why}");
        // A POST is never sent to such a host.
        let post = super::certificates::post_failure(&f, &home).await;
        assert_eq!(post, Failure::LegacyTls);
        assert!(
            post.reason_zh().contains("此请求未发送"),
            "{}",
            post.reason_zh()
        );
        // Plain HTTP to the same host is not wrapped in TLS (this server speaks only TLS).
        let plain = Url::parse(&format!("http://{addr}/")).unwrap();
        let outcome = f.get(&plain, None).await;
        assert!(
            matches!(outcome, FetchOutcome::Failed { .. }),
            "{outcome:?}"
        );
        let seen = seen.lock().unwrap().clone();
        assert_eq!(
            seen,
            ["TLSv1 GET /robots.txt HTTP/1.1", "TLSv1 GET / HTTP/1.1"]
        );
    }

    /// A site that speaks only TLS 1.0 is assessed, not "unreachable", and its finding
    /// names the outdated protocol and costs nothing.
    #[cfg(feature = "tls-legacy")]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_tls10_only_site_is_assessed_with_a_protocol_finding() {
        use crate::support::{d, run_opts};
        let as_of = d("2023-03-15");
        let tmp = tempfile::tempdir().unwrap();
        let (addr, _) = tls10_server(
            "<html><head><title>孟津区人民政府</title></head><body><ul><li><a href=\"/a.html\">关于开展政务公开工作的通知</a><span>2023-03-14</span></li></ul></body></html>",
        );
        let yaml = format!(
            "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: https://{addr}/\ncrawl:\n  retries: 0\n  timeout_s: 5\n"
        );
        let settings = govscore::config::load_str(&yaml, "config.yaml", tmp.path()).unwrap();
        let outcome = govscore::pipeline::run(&settings, run_opts(tmp.path(), "r", "db", as_of))
            .await
            .unwrap();
        let site = &outcome.report.sites[0];
        assert_ne!(site.status, "unreachable", "{:?}", site.status_reason);
        assert!(site.score.is_some());
        let found: Vec<_> = site
            .findings
            .iter()
            .filter(|f| f.rule == "certificate")
            .collect();
        assert_eq!(found.len(), 1, "{:?}", site.findings);
        assert!(
            found[0].message.contains("仅支持过时的 TLS 1.0/1.1 协议"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("TLS 1.2"), "{}", found[0].message);
        assert_eq!(found[0].points, 0.0);
    }
}
