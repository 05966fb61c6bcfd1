//! The polite, failure-aware HTTP fetcher: one [`Fetcher`] per run.
//!
//! Owns every HTTP request govscore makes to an assessed site:
//! - scope (only configured/discovered hosts; everything else is `Skipped(OffScope)`),
//!   robots.txt (fetched once per host, same User-Agent, kept between runs for its
//!   lifetime), politeness permits and delays;
//! - its own redirect loop (at most [`MAX_REDIRECTS`], http/https only, within scope);
//! - anti-bot walls recognised on the first response and never retried ([`super::wall`]);
//! - retries with jittered exponential backoff on timeouts, connect errors and 5xx, and
//!   `Retry-After` on 429/503 when the wait is at most [`MAX_RETRY_AFTER`];
//! - the body cap, conditional GET, and charset decoding ([`crate::extract::charset`]).
//!
//! Failures are values: every call returns a [`FetchOutcome`] carrying its reason, never
//! an error or a panic. It must not parse pages (that is `extract`), must not solve
//! challenges, and must not decide site status (the walker does, from the outcomes).

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::error::Error as StdError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use rand::Rng;
use reqwest::Method;
use reqwest::header::{
    CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, ETAG, EXPIRES, HeaderMap, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED, LOCATION, RETRY_AFTER, SET_COOKIE,
};
use url::Url;

use super::address::{AddressPolicy, GuardedResolver, Lookup, NonPublicAddress, SystemLookup};
use super::politeness::{HostKey, Politeness};
use super::robots::{RobotsCache, RobotsPolicy, StoredRobots, robots_lifetime};
use super::wall::{self, Wall};
use crate::config::CrawlSettings;
use crate::extract::charset;

/// Most redirects followed for one request.
pub const MAX_REDIRECTS: u32 = 5;
/// The longest `Retry-After` we wait out; a longer one fails the fetch as throttled.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Default base of the exponential backoff between retries.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Body bytes read by [`Fetcher::check_link`].
pub const LINK_CHECK_BODY_BYTES: usize = 16 * 1024;
/// Largest robots.txt body read.
const MAX_ROBOTS_BYTES: usize = 512 * 1024;
/// The robots.txt product token we match `User-agent:` lines against.
const ROBOTS_AGENT: &str = "govscore";

/// The note kept for a host that speaks only TLS 1.0/1.1 (read through the `tls-legacy`
/// feature's OpenSSL client), shown with the site's 证书问题 finding.
pub const LEGACY_TLS_PROBLEM: &str = "仅支持过时的 TLS 1.0/1.1 协议";

/// Whether a host's problem note (from [`Fetcher::certificate_problem`]) is about an
/// outdated TLS protocol rather than the certificate alone.
pub fn is_legacy_tls_problem(why: &str) -> bool {
    why.starts_with("仅支持过时的 TLS")
}

/// The hosts a run may fetch from: host name plus port.
///
/// A URL is in scope when its (host, port) was added, or when it is the same host on the
/// other scheme's default port (the everyday `http://` ↔ `https://` flip of a gov site).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    hosts: HashSet<HostKey>,
}

impl Scope {
    /// A scope holding the hosts of `urls` (owned or borrowed).
    pub fn new<I, U>(urls: I) -> Scope
    where
        I: IntoIterator<Item = U>,
        U: Borrow<Url>,
    {
        let mut scope = Scope::default();
        for url in urls {
            scope.add(url.borrow());
        }
        scope
    }

    /// The host names (or IP literals) in the scope, without ports.
    pub fn host_names(&self) -> impl Iterator<Item = &str> {
        self.hosts.iter().map(|h| h.host.as_str())
    }

    /// Adds the host of `url` (URLs without a host are ignored).
    pub fn add(&mut self, url: &Url) {
        if let Some(key) = HostKey::of(url) {
            self.hosts.insert(key);
        }
    }

    /// Whether `url` may be fetched.
    pub fn contains(&self, url: &Url) -> bool {
        let Some(key) = HostKey::of(url) else {
            return false;
        };
        if self.hosts.contains(&key) {
            return true;
        }
        let is_default = |port: u16| port == 80 || port == 443;
        is_default(key.port)
            && self
                .hosts
                .iter()
                .any(|h| h.host == key.host && is_default(h.port))
    }
}

/// Cache validators from an earlier fetch, sent as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The earlier `ETag`.
    pub etag: Option<String>,
    /// The earlier `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A page fetched with a 2xx status.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: Url,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The raw body (at most `max_body_bytes`).
    pub bytes: Vec<u8>,
    /// The decoded body when it is textual, else empty.
    pub text: String,
    /// The encoding used to decode (`""` when not textual).
    pub encoding: &'static str,
    /// True when decoding met malformed bytes.
    pub decode_errors: bool,
    /// The `ETag` header, for the next conditional GET.
    pub etag: Option<String>,
    /// The `Last-Modified` header, for the next conditional GET.
    pub last_modified: Option<String>,
}

/// Why a fetch failed (after any retries).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The host name did not resolve.
    Dns,
    /// The TCP connection was refused, reset or unreachable.
    Connect,
    /// The TLS handshake or certificate check failed (not retried).
    Tls,
    /// The server speaks only TLS 1.0/1.1, which rustls cannot (not retried). Built with
    /// the `tls-legacy` feature, govscore reads such a site's GETs through OpenSSL, and only
    /// another method fails this way.
    LegacyTls,
    /// The request did not finish within `timeout_s`.
    Timeout,
    /// The server answered with this error status.
    Http(u16),
    /// The server throttled us (429, 403, or 503 with a `Retry-After` too long to wait).
    Throttled {
        /// The status that throttled.
        status: u16,
    },
    /// The body was larger than `max_body_bytes`.
    BodyTooLarge,
    /// The body was cut off mid-transfer (shorter than announced, or the connection
    /// dropped); retried.
    Incomplete,
    /// More than [`MAX_REDIRECTS`] redirects.
    TooManyRedirects,
    /// A 2xx body that claims to be text but does not decode to text (not retried): the
    /// page is not assessable, never read as empty.
    Unreadable(String),
    /// Anything else, with the client's message.
    Other(String),
}

impl Failure {
    /// The reason shown to supervisors, e.g. `DNS解析失败`.
    pub fn reason_zh(&self) -> String {
        match self {
            Failure::Dns => "DNS解析失败".to_string(),
            Failure::Connect => "无法建立连接".to_string(),
            Failure::Tls => "TLS/证书错误".to_string(),
            // With the feature only a non-GET request ends here (never sent over OpenSSL).
            Failure::LegacyTls if cfg!(feature = "tls-legacy") => {
                format!("{LEGACY_TLS_PROBLEM}，只以 GET 读取，此请求未发送")
            }
            Failure::LegacyTls => format!(
                "{LEGACY_TLS_PROBLEM}，本程序未启用 tls-legacy 功能，无法读取(以 --features tls-legacy 构建后可读取)"
            ),
            Failure::Timeout => "连接超时".to_string(),
            Failure::Http(code) => format!("HTTP {code} 错误"),
            Failure::Throttled { status } => format!("HTTP {status} 访问受限(限流)"),
            Failure::BodyTooLarge => "页面过大，超过读取上限".to_string(),
            Failure::Incomplete => "响应不完整(传输中断)".to_string(),
            Failure::TooManyRedirects => "重定向次数过多".to_string(),
            Failure::Unreadable(why) => format!("无法读取: {why}"),
            Failure::Other(msg) => format!("请求失败: {msg}"),
        }
    }
}

/// Why a URL was not requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// Its host (or a redirect's target host) is not in the run's scope.
    OffScope,
    /// robots.txt disallows it for our User-Agent.
    RobotsDisallowed,
    /// Not http/https (or a redirect to such a URL).
    NonHttpScheme,
    /// robots.txt answered a server error: the host is off limits this run (RFC 9309).
    RobotsUnreadable,
    /// The host is not named in the config and points at a loopback, private or other
    /// non-public address ([`super::address`]).
    NonPublicAddress,
}

impl SkipReason {
    /// The reason shown to supervisors.
    pub fn reason_zh(self) -> &'static str {
        match self {
            SkipReason::OffScope => "超出检测范围(非本站地址)",
            SkipReason::RobotsDisallowed => "robots.txt 禁止抓取",
            SkipReason::NonHttpScheme => "非 http/https 地址",
            SkipReason::RobotsUnreadable => "robots.txt 无法读取(服务器错误)，本次不抓取",
            SkipReason::NonPublicAddress => "地址指向内网或本机(非公网地址)，未访问",
        }
    }
}

/// The result of one fetch. `url()` is the URL asked for, except for `Fetched`, whose
/// page carries the final URL after redirects.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchOutcome {
    /// A 2xx page.
    Fetched(Page),
    /// 304: unchanged since the validators.
    NotModified {
        /// The URL asked for.
        url: Url,
    },
    /// An anti-bot wall; not retried.
    Blocked {
        /// The URL asked for.
        url: Url,
        /// Which wall.
        wall: Wall,
        /// The wall's HTTP status.
        status: u16,
    },
    /// A failure after `attempts` tries.
    Failed {
        /// The URL asked for.
        url: Url,
        /// What went wrong (on the last try).
        failure: Failure,
        /// Requests made for it, the first included.
        attempts: u32,
    },
    /// Not requested.
    Skipped {
        /// The URL asked for.
        url: Url,
        /// Why.
        reason: SkipReason,
    },
}

impl FetchOutcome {
    /// The reason shown to supervisors, e.g. `HTTP 521 反爬验证(加速乐)`.
    pub fn reason_zh(&self) -> String {
        match self {
            FetchOutcome::Fetched(page) => format!("HTTP {} 正常", page.status),
            FetchOutcome::NotModified { .. } => "HTTP 304 未修改".to_string(),
            FetchOutcome::Blocked { wall, status, .. } => {
                format!("HTTP {status} {}", wall.label_zh())
            }
            FetchOutcome::Failed {
                failure, attempts, ..
            } => {
                if *attempts > 1 {
                    format!("{}(共尝试{attempts}次)", failure.reason_zh())
                } else {
                    failure.reason_zh()
                }
            }
            FetchOutcome::Skipped { reason, .. } => reason.reason_zh().to_string(),
        }
    }

    /// The URL asked for (for `Fetched`, the final URL).
    pub fn url(&self) -> &Url {
        match self {
            FetchOutcome::Fetched(page) => &page.url,
            FetchOutcome::NotModified { url }
            | FetchOutcome::Blocked { url, .. }
            | FetchOutcome::Failed { url, .. }
            | FetchOutcome::Skipped { url, .. } => url,
        }
    }
}

/// Counters of one run's fetching (serialisable for the run record).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FetchStats {
    /// HTTP requests sent (robots.txt, every redirect hop and every retry included).
    pub requests: u64,
    /// Fetches answered 304.
    pub not_modified: u64,
    /// Retries made (requests beyond the first for one fetch).
    pub retries: u64,
    /// Body bytes read.
    pub bytes: u64,
    /// Fetches ending in a wall.
    pub blocked: u64,
    /// Fetches ending in a failure.
    pub failed: u64,
    /// Fetches answered 404 or 410 that a walk read as the end of a list: the page after
    /// a short last page of a pager that declares more pages than exist (TRS templates do).
    /// Counted here, not in `failed` ([`Fetcher::count_list_end`]).
    #[serde(default)]
    pub list_ends: u64,
    /// Fetches not made.
    pub skipped: u64,
}

impl FetchStats {
    /// The counters since `before` (an earlier reading of the same fetcher): what one stage
    /// of a run fetched.
    pub fn since(&self, before: &FetchStats) -> FetchStats {
        FetchStats {
            requests: self.requests - before.requests,
            not_modified: self.not_modified - before.not_modified,
            retries: self.retries - before.retries,
            bytes: self.bytes - before.bytes,
            blocked: self.blocked - before.blocked,
            failed: self.failed.saturating_sub(before.failed),
            list_ends: self.list_ends - before.list_ends,
            skipped: self.skipped - before.skipped,
        }
    }
}

/// The fetcher could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchInitError {
    /// The HTTP client could not be built.
    #[error(
        "无法创建 HTTP 客户端（{0}）；请检查 crawl.contact 中是否有特殊字符，以及系统 CA 证书是否已安装"
    )]
    Client(#[source] reqwest::Error),
    /// The OpenSSL client of the `tls-legacy` feature could not be built.
    #[cfg(feature = "tls-legacy")]
    #[error(
        "could not build the OpenSSL client for TLS 1.0/1.1 sites ({0}); check the system OpenSSL (libssl3) installation"
    )]
    Legacy(String),
}

/// Why [`Fetcher::send`] got no response.
enum SendError {
    /// The HTTP client's error.
    Client(reqwest::Error),
    /// The `tls-legacy` client's.
    #[cfg(feature = "tls-legacy")]
    Legacy(super::legacy_tls::LegacyError),
}

impl SendError {
    /// Whether the address policy refused the host.
    fn refused(&self) -> bool {
        match self {
            SendError::Client(e) => super::address::refused_in(e).is_some(),
            #[cfg(feature = "tls-legacy")]
            SendError::Legacy(e) => matches!(e, super::legacy_tls::LegacyError::Refused(_)),
        }
    }

    fn failure(&self) -> Failure {
        match self {
            SendError::Client(e) => classify(e),
            #[cfg(feature = "tls-legacy")]
            SendError::Legacy(super::legacy_tls::LegacyError::Failed(f)) => f.clone(),
            #[cfg(feature = "tls-legacy")]
            SendError::Legacy(super::legacy_tls::LegacyError::Refused(r)) => {
                Failure::Other(r.to_string())
            }
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    not_modified: AtomicU64,
    retries: AtomicU64,
    bytes: AtomicU64,
    blocked: AtomicU64,
    failed: AtomicU64,
    list_ends: AtomicU64,
    skipped: AtomicU64,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    /// The same client without certificate verification, for GETs to hosts whose
    /// certificate did not verify.
    lenient: reqwest::Client,
    /// Host → why its certificate did not verify.
    cert_problems: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// The OpenSSL client for hosts that speak only TLS 1.0/1.1.
    #[cfg(feature = "tls-legacy")]
    legacy: super::legacy_tls::LegacyClient,
    /// Host → its legacy-protocol note ([`LEGACY_TLS_PROBLEM`]); its GETs go to `legacy`.
    #[cfg(feature = "tls-legacy")]
    legacy_hosts: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// Pages fetched with [`Fetcher::get_and_keep`], by the URL asked, until taken.
    kept: std::sync::Mutex<std::collections::HashMap<String, Page>>,
    /// URLs (asked and final, without fragment) that answered a GET with 2xx or 304 in
    /// this run: the dead-link check does not ask them again. A set of keys (16 bytes a
    /// URL: a run reads hundreds of thousands), apart from the few errors below.
    answered: std::sync::Mutex<HashSet<u128>>,
    /// GETs answered with an HTTP error in this run (after retries), by URL key.
    failed: std::sync::Mutex<HashMap<u128, FetchOutcome>>,
    resolver: GuardedResolver,
    scope: RwLock<Scope>,
    politeness: Politeness,
    robots: RobotsCache,
    counters: Counters,
    respect_robots: bool,
    retries: u32,
    max_body: usize,
}

/// The run's HTTP client with its limits; cheap to clone (shared state).
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
    backoff_base: Duration,
    max_retry_after: Duration,
}

/// What one try produced.
enum Step {
    /// Final, whatever it is.
    Done(FetchOutcome),
    /// Worth another try after `wait` (or the backoff).
    Retry {
        failure: Failure,
        wait: Option<Duration>,
    },
    /// A failure not worth retrying.
    GiveUp(Failure),
}

/// The request being made, carried along redirects.
struct Req<'a> {
    method: Method,
    form: Option<String>,
    validators: Option<&'a Validators>,
    /// Read at most this many body bytes and stop there without failing (link checks).
    body_cap: Option<usize>,
}

impl Fetcher {
    /// A fetcher for one run with the limits of `settings`, allowed to fetch from `scope`.
    /// The hosts of `scope` are the ones the config names: they alone may be on loopback
    /// or private addresses; hosts added later (discovery) must be public.
    pub fn new(settings: &CrawlSettings, scope: Scope) -> Result<Fetcher, FetchInitError> {
        Fetcher::with_lookup(settings, scope, Arc::new(SystemLookup))
    }

    /// Like [`Fetcher::new`], resolving names with `lookup` (tests pass a stub).
    pub fn with_lookup(
        settings: &CrawlSettings,
        scope: Scope,
        lookup: Arc<dyn Lookup>,
    ) -> Result<Fetcher, FetchInitError> {
        let timeout = Duration::from_secs(settings.timeout_s.max(1));
        let resolver = GuardedResolver::new(lookup, AddressPolicy::new(scope.host_names()));
        let builder = || {
            reqwest::Client::builder()
                .dns_resolver(Arc::new(resolver.clone()))
                .user_agent(settings.user_agent())
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .gzip(true)
                .brotli(true)
                .deflate(true)
                .connect_timeout(timeout)
                .timeout(timeout)
        };
        let client = builder().build().map_err(FetchInitError::Client)?;
        let lenient = builder()
            .tls_danger_accept_invalid_certs(true)
            .build()
            .map_err(FetchInitError::Client)?;
        #[cfg(feature = "tls-legacy")]
        let legacy = super::legacy_tls::LegacyClient::new(
            resolver.clone(),
            timeout,
            &settings.user_agent(),
            settings.max_body_bytes,
        )
        .map_err(FetchInitError::Legacy)?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                lenient,
                cert_problems: Default::default(),
                #[cfg(feature = "tls-legacy")]
                legacy,
                #[cfg(feature = "tls-legacy")]
                legacy_hosts: Default::default(),
                kept: Default::default(),
                answered: Default::default(),
                failed: Default::default(),
                resolver,
                scope: RwLock::new(scope),
                politeness: Politeness::new(
                    settings.global_concurrency,
                    settings.per_host_concurrency,
                    Duration::from_millis(settings.delay_ms),
                ),
                robots: RobotsCache::new(),
                counters: Counters::default(),
                respect_robots: settings.respect_robots,
                retries: settings.retries,
                max_body: settings.max_body_bytes,
            }),
            backoff_base: DEFAULT_BACKOFF_BASE,
            max_retry_after: MAX_RETRY_AFTER,
        })
    }

    /// The same fetcher with another backoff base (tests use a few milliseconds).
    pub fn with_backoff_base(mut self, base: Duration) -> Fetcher {
        self.backoff_base = base;
        self
    }

    /// Adds a host to the scope (e.g. a subsite discovered from the portal).
    pub fn add_to_scope(&self, url: &Url) {
        let mut scope = self.inner.scope.write().unwrap_or_else(|p| p.into_inner());
        scope.add(url);
    }

    /// Whether `url` is in the scope.
    pub fn in_scope(&self, url: &Url) -> bool {
        let scope = self.inner.scope.read().unwrap_or_else(|p| p.into_inner());
        scope.contains(url)
    }

    /// Why `url` may not be fetched because of the address it points at, if so (a host
    /// not named in the config on a loopback or private address). Discovery asks before
    /// it adds a subsite.
    pub async fn address_refusal(&self, url: &Url) -> Option<NonPublicAddress> {
        self.inner.resolver.refusal(url).await
    }

    /// Notes about hosts whose robots.txt could not be read (their pages were allowed).
    pub fn robots_notes(&self) -> Vec<(String, String)> {
        self.inner
            .robots
            .notes()
            .into_iter()
            .map(|(host, note)| (host.to_string(), note))
            .collect()
    }

    /// GETs `url`, conditionally when `validators` are given.
    pub async fn get(&self, url: &Url, validators: Option<&Validators>) -> FetchOutcome {
        let req = Req {
            method: Method::GET,
            form: None,
            validators,
            body_cap: None,
        };
        self.fetch(url, req).await
    }

    /// GETs `url` (unconditionally) and, when fetched, keeps the page for
    /// [`Fetcher::get_kept`] until [`Fetcher::forget_kept`]: a page two stages or two sites
    /// read (an annual report the walker dated, a truncated title the annual reader looked
    /// up, a department's report the portal lists too) is requested once.
    pub async fn get_and_keep(&self, url: &Url) -> FetchOutcome {
        let out = self.get(url, None).await;
        if let FetchOutcome::Fetched(page) = &out {
            self.inner
                .kept
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(url.to_string(), page.clone());
        }
        out
    }

    /// The page [`Fetcher::get_and_keep`] kept for `url` (a copy: every site whose annual
    /// report it may be reads the one request), else [`Fetcher::get_unless_failed`],
    /// conditional when `validators` are given.
    pub async fn get_kept(&self, url: &Url, validators: Option<&Validators>) -> FetchOutcome {
        let kept = self
            .inner
            .kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(url.as_str())
            .cloned();
        match kept {
            Some(page) => FetchOutcome::Fetched(page),
            None => self.get_unless_failed(url, validators).await,
        }
    }

    /// A GET of `url`, unless it answered an HTTP error earlier in the run (after the
    /// request's retries, [`Fetcher::earlier_answer`]): that answer stands, so a page a
    /// walk found removed is not requested again by the stages after it (the annual
    /// reports, the screening).
    pub async fn get_unless_failed(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> FetchOutcome {
        match self.earlier_answer(url) {
            Some(EarlierAnswer::HttpError(earlier)) => *earlier,
            _ => self.get(url, validators).await,
        }
    }

    /// Whether a page is kept for `url` ([`Fetcher::get_and_keep`]).
    pub fn is_kept(&self, url: &Url) -> bool {
        self.inner
            .kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(url.as_str())
    }

    /// Drops the kept pages: the stages that read them (the crawl, the annual reports) are
    /// over.
    pub fn forget_kept(&self) {
        std::mem::take(&mut *self.inner.kept.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// POSTs `form` (url-encoded) to `url`, e.g. an ASP.NET postback or a Hanweb dataproxy.
    pub async fn post_form(&self, url: &Url, form: &[(String, String)]) -> FetchOutcome {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter())
            .finish();
        let req = Req {
            method: Method::POST,
            form: Some(body),
            validators: None,
            body_cap: None,
        };
        self.fetch(url, req).await
    }

    /// GETs `url` for a link check: like [`Fetcher::get`] (scope, robots, walls, retries,
    /// redirects), but at most [`LINK_CHECK_BODY_BYTES`] of the body are read and a larger
    /// body is no failure — a link to a 20 MB PDF answers as well as a page does, and the
    /// first bytes are enough to recognise a wall served with status 200.
    pub async fn check_link(&self, url: &Url) -> FetchOutcome {
        let req = Req {
            method: Method::GET,
            form: None,
            validators: None,
            body_cap: Some(LINK_CHECK_BODY_BYTES),
        };
        self.fetch(url, req).await
    }

    /// How a GET of `url` (fragment ignored) was answered earlier in this run, if one was:
    /// a link to it need not be requested again to know how it answers. A URL that
    /// answered 2xx or 304 once in the run counts as answered, whatever else it answered.
    pub fn earlier_answer(&self, url: &Url) -> Option<EarlierAnswer> {
        let key = url_key(url);
        let answered = self
            .inner
            .answered
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if answered.contains(&key) {
            return Some(EarlierAnswer::Answered);
        }
        drop(answered);
        let failed = self.inner.failed.lock().unwrap_or_else(|e| e.into_inner());
        failed
            .get(&key)
            .map(|outcome| EarlierAnswer::HttpError(Box::new(outcome.clone())))
    }

    fn note_answered(&self, url: &Url, outcome: &FetchOutcome) {
        let final_url = match outcome {
            FetchOutcome::Fetched(page) => &page.url,
            FetchOutcome::NotModified { url } => url,
            FetchOutcome::Failed {
                failure: Failure::Http(_),
                ..
            } => {
                let mut failed = self.inner.failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.insert(url_key(url), outcome.clone());
                return;
            }
            _ => return,
        };
        let mut answered = self
            .inner
            .answered
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        answered.insert(url_key(url));
        answered.insert(url_key(final_url));
    }

    /// The counters so far.
    pub fn stats(&self) -> FetchStats {
        let c = &self.inner.counters;
        FetchStats {
            requests: c.requests.load(Ordering::Relaxed),
            not_modified: c.not_modified.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            bytes: c.bytes.load(Ordering::Relaxed),
            blocked: c.blocked.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            list_ends: c.list_ends.load(Ordering::Relaxed),
            skipped: c.skipped.load(Ordering::Relaxed),
        }
    }

    /// Counts a failed fetch (a 404 or 410 this fetcher answered) as the end of a list
    /// instead: see [`FetchStats::list_ends`].
    pub fn count_list_end(&self) {
        let c = &self.inner.counters;
        let _ = c
            .failed
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        c.list_ends.fetch_add(1, Ordering::Relaxed);
    }

    async fn fetch(&self, url: &Url, req: Req<'_>) -> FetchOutcome {
        let outcome = self.fetch_with_retries(url, &req).await;
        if req.method == Method::GET && req.body_cap.is_none() {
            self.note_answered(url, &outcome);
        }
        if !matches!(outcome, FetchOutcome::Fetched(_)) {
            tracing::debug!(%url, reason = %outcome.reason_zh(), "fetch did not return a page");
        }
        let c = &self.inner.counters;
        let counter = match &outcome {
            FetchOutcome::Fetched(_) => None,
            FetchOutcome::NotModified { .. } => Some(&c.not_modified),
            FetchOutcome::Blocked { .. } => Some(&c.blocked),
            FetchOutcome::Failed { .. } => Some(&c.failed),
            FetchOutcome::Skipped { .. } => Some(&c.skipped),
        };
        if let Some(counter) = counter {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        outcome
    }

    async fn fetch_with_retries(&self, url: &Url, req: &Req<'_>) -> FetchOutcome {
        if let Some(reason) = self.admission(url).await {
            return FetchOutcome::Skipped {
                url: url.clone(),
                reason,
            };
        }
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let (failure, wait) = match self.attempt(url, req).await {
                Step::Done(outcome) => return outcome,
                Step::GiveUp(failure) => {
                    return FetchOutcome::Failed {
                        url: url.clone(),
                        failure,
                        attempts,
                    };
                }
                Step::Retry { failure, wait } => (failure, wait),
            };
            if attempts > self.inner.retries {
                return FetchOutcome::Failed {
                    url: url.clone(),
                    failure,
                    attempts,
                };
            }
            let wait = wait.unwrap_or_else(|| self.backoff(attempts));
            tracing::debug!(%url, attempt = attempts, ?failure, ?wait, "retrying");
            tokio::time::sleep(wait).await;
            self.inner.counters.retries.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Jittered exponential backoff before retry number `attempt` (1-based).
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .backoff_base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(6));
        let jitter: f64 = rand::rng().random_range(0.5..1.5);
        exp.mul_f64(jitter)
    }

    /// Why `url` must not be requested at all, if so: scheme, scope, then robots.txt.
    async fn admission(&self, url: &Url) -> Option<SkipReason> {
        if !matches!(url.scheme(), "http" | "https") {
            return Some(SkipReason::NonHttpScheme);
        }
        if !self.in_scope(url) {
            return Some(SkipReason::OffScope);
        }
        if self.inner.resolver.policy().literal_refused(url).is_some() {
            return Some(SkipReason::NonPublicAddress);
        }
        if self.inner.respect_robots {
            let key = HostKey::of(url)?;
            let policy = self.robots_for(&key, url).await;
            if policy.is_unreadable() {
                return Some(SkipReason::RobotsUnreadable);
            }
            if !policy.allowed(url) {
                return Some(SkipReason::RobotsDisallowed);
            }
        }
        None
    }

    async fn robots_for(&self, key: &HostKey, url: &Url) -> Arc<RobotsPolicy> {
        let policy = self
            .inner
            .robots
            .get_or_load(key, || self.load_robots(url))
            .await;
        if let Some(delay) = policy.crawl_delay() {
            self.inner.politeness.raise_delay(key, delay);
        }
        policy
    }

    /// Adds the robots.txt earlier runs stored ([`super::robots::RobotsCache`]): used
    /// without a request within their lifetime, asked conditionally after it.
    pub fn restore_robots(&self, stored: Vec<StoredRobots>) {
        self.inner.robots.restore(stored);
    }

    /// The robots.txt read or renewed in this run, for the next runs.
    pub fn robots_to_store(&self) -> Vec<StoredRobots> {
        self.inner.robots.updates()
    }

    /// The policy of `url`'s host: from the stored robots.txt while it is fresh, else
    /// fetched (conditionally when the stored one has validators; a 304 renews it).
    async fn load_robots(&self, url: &Url) -> RobotsPolicy {
        let stored = HostKey::of(url).and_then(|k| self.inner.robots.stored(&k));
        if let Some(s) = stored.as_ref().filter(|s| s.fresh(chrono::Utc::now())) {
            return s.policy(ROBOTS_AGENT);
        }
        self.fetch_robots(url, stored).await
    }

    /// Fetches and parses robots.txt of `url`'s host, following in-scope redirects;
    /// `stored` is what an earlier run read (its validators make the request conditional).
    async fn fetch_robots(&self, url: &Url, stored: Option<StoredRobots>) -> RobotsPolicy {
        let mut current = match url.join("/robots.txt") {
            Ok(u) => u,
            Err(e) => return RobotsPolicy::allow_all(Some(format!("robots.txt 地址无效: {e}"))),
        };
        let Some(host) = HostKey::of(url) else {
            return RobotsPolicy::allow_all(Some("robots.txt 地址无效".to_string()));
        };
        let validators = stored.as_ref().filter(|s| s.has_validators());
        for _ in 0..=MAX_REDIRECTS {
            let Some(key) = HostKey::of(&current) else {
                break;
            };
            let Ok(_permit) = self.inner.politeness.acquire(&key).await else {
                break;
            };
            let build = |c: &reqwest::Client| {
                let mut b = c.get(current.clone());
                if let Some(v) = validators {
                    if let Some(etag) = &v.etag {
                        b = b.header(IF_NONE_MATCH, etag);
                    }
                    if let Some(lm) = &v.last_modified {
                        b = b.header(IF_MODIFIED_SINCE, lm);
                    }
                }
                b
            };
            tracing::trace!(target: "govscore::request", "GET {current} ");
            let mut resp = match self.send(&key.host, &Method::GET, build).await {
                Ok(r) => r,
                Err(e) => {
                    return RobotsPolicy::allow_all(Some(format!(
                        "robots.txt 无法读取({})，按允许抓取处理",
                        e.failure().reason_zh()
                    )));
                }
            };
            let status = resp.status();
            let now = chrono::Utc::now();
            let lifetime = robots_lifetime(
                header_string(resp.headers(), CACHE_CONTROL).as_deref(),
                header_string(resp.headers(), EXPIRES).as_deref(),
                now,
            );
            if status == reqwest::StatusCode::NOT_MODIFIED
                && let Some(s) = validators
            {
                self.inner
                    .counters
                    .not_modified
                    .fetch_add(1, Ordering::Relaxed);
                let renewed = StoredRobots {
                    fetched_at: now,
                    expires_at: now + lifetime.unwrap_or(Duration::ZERO),
                    ..s.clone()
                };
                let policy = renewed.policy(ROBOTS_AGENT);
                if lifetime.is_some() {
                    self.inner.robots.record(renewed);
                }
                return policy;
            }
            if status.is_redirection() {
                let next = location(resp.headers()).and_then(|l| current.join(&l).ok());
                match next {
                    Some(n) if matches!(n.scheme(), "http" | "https") && self.in_scope(&n) => {
                        current = n;
                        continue;
                    }
                    _ => {
                        return RobotsPolicy::allow_all(Some(
                            "robots.txt 重定向到检测范围之外，按允许抓取处理".to_string(),
                        ));
                    }
                }
            }
            let mut body = Vec::new();
            loop {
                match resp.chunk().await {
                    Ok(Some(chunk)) => {
                        self.inner
                            .counters
                            .bytes
                            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        body.extend_from_slice(&chunk);
                        if body.len() > MAX_ROBOTS_BYTES {
                            body.truncate(MAX_ROBOTS_BYTES);
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        return RobotsPolicy::allow_all(Some(format!(
                            "robots.txt 读取中断({})，按允许抓取处理",
                            classify(&e).reason_zh()
                        )));
                    }
                }
            }
            if status.is_server_error()
                && let Some(why) = leave_to_page(status.as_u16(), resp.headers(), &body)
            {
                return RobotsPolicy::allow_all(Some(format!(
                    "robots.txt 返回 HTTP {}({why})，由页面请求判断",
                    status.as_u16()
                )));
            }
            // A 429 is a moment's throttling, not the host's rules: never stored.
            if (status.is_success() || (status.is_client_error() && status.as_u16() != 429))
                && let Some(lifetime) = lifetime
            {
                self.inner.robots.record(StoredRobots {
                    host: host.to_string(),
                    status: status.as_u16(),
                    body: body.clone(),
                    etag: header_string(resp.headers(), ETAG),
                    last_modified: header_string(resp.headers(), LAST_MODIFIED),
                    fetched_at: now,
                    expires_at: now + lifetime,
                });
            }
            return RobotsPolicy::from_response(ROBOTS_AGENT, status.as_u16(), &body);
        }
        RobotsPolicy::allow_all(Some(
            "robots.txt 重定向次数过多，按允许抓取处理".to_string(),
        ))
    }

    /// Sends one request (counted). A GET to a host whose certificate does not verify is
    /// sent again without verification, and later GETs to that host go that way at once:
    /// the site is read and assessed, and [`Fetcher::certificate_problem`] says why. Any
    /// other method keeps verification (nothing but a GET is sent to such a host). With the
    /// `tls-legacy` feature, a GET to a host that speaks only TLS 1.0/1.1 goes the same way
    /// to the OpenSSL client.
    async fn send(
        &self,
        host: &str,
        method: &Method,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, SendError> {
        let get = *method == Method::GET;
        let counters = &self.inner.counters;
        counters.requests.fetch_add(1, Ordering::Relaxed);
        #[cfg(feature = "tls-legacy")]
        if get && self.legacy_note(host).is_some() {
            return self.send_legacy(host, &build).await;
        }
        if get && self.host_cert_problem(host).is_some() {
            return build(&self.inner.lenient)
                .send()
                .await
                .map_err(SendError::Client);
        }
        match build(&self.inner.client).send().await {
            #[cfg(feature = "tls-legacy")]
            Err(e) if get && is_protocol_version_error(&e) => {
                tracing::warn!(
                    host,
                    "the server speaks only TLS 1.0/1.1; reading through OpenSSL (tls-legacy)"
                );
                counters.requests.fetch_add(1, Ordering::Relaxed);
                self.send_legacy(host, &build).await
            }
            Err(e) if get && is_certificate_error(&e) => {
                let why = certificate_reason(&e);
                tracing::warn!(
                    host,
                    "certificate does not verify ({why}); reading without verification"
                );
                self.inner
                    .cert_problems
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(host.to_string(), why);
                counters.requests.fetch_add(1, Ordering::Relaxed);
                build(&self.inner.lenient)
                    .send()
                    .await
                    .map_err(SendError::Client)
            }
            other => other.map_err(SendError::Client),
        }
    }

    /// A GET through the OpenSSL client; a handshake that succeeds marks the host as
    /// legacy (and notes its certificate when that did not verify). A plain-HTTP URL of
    /// such a host goes to the main client.
    #[cfg(feature = "tls-legacy")]
    async fn send_legacy(
        &self,
        host: &str,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, SendError> {
        let request = build(&self.inner.client)
            .build()
            .map_err(SendError::Client)?;
        if request.url().scheme() != "https" {
            return self
                .inner
                .client
                .execute(request)
                .await
                .map_err(SendError::Client);
        }
        let read = self
            .inner
            .legacy
            .get(request)
            .await
            .map_err(SendError::Legacy)?;
        let note = if matches!(read.protocol, "TLSv1" | "TLSv1.1") {
            LEGACY_TLS_PROBLEM.to_string()
        } else {
            format!("仅支持过时的 TLS 协议或加密算法({})", read.protocol)
        };
        self.inner
            .legacy_hosts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(host.to_string(), note);
        if let Some(why) = read.certificate {
            self.inner
                .cert_problems
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(host.to_string(), why);
        }
        Ok(read.response)
    }

    #[cfg(feature = "tls-legacy")]
    fn legacy_note(&self, host: &str) -> Option<String> {
        let hosts = self
            .inner
            .legacy_hosts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        hosts.get(host).cloned()
    }

    fn host_cert_problem(&self, host: &str) -> Option<String> {
        let problems = self
            .inner
            .cert_problems
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        problems.get(host).cloned()
    }

    /// Why the certificate of `url`'s host did not verify, when it did not (the host was
    /// then read without verification), e.g. `证书颁发机构不受信任或证书链不完整`.
    /// With the `tls-legacy` feature, a host read through OpenSSL has its protocol note
    /// first, e.g. `仅支持过时的 TLS 1.0/1.1 协议；证书颁发机构不受信任或证书链不完整(…)`.
    pub fn certificate_problem(&self, url: &Url) -> Option<String> {
        let host = HostKey::of(url)?.host;
        let certificate = self.host_cert_problem(&host);
        #[cfg(feature = "tls-legacy")]
        if let Some(note) = self.legacy_note(&host) {
            return Some(match certificate {
                Some(why) => format!("{note}；{why}"),
                None => note,
            });
        }
        certificate
    }

    /// One try: the request plus its redirect hops.
    async fn attempt(&self, original: &Url, req: &Req<'_>) -> Step {
        let mut current = original.clone();
        let mut method = req.method.clone();
        let mut form = req.form.clone();
        for hop in 0..=MAX_REDIRECTS {
            if hop > 0
                && let Some(reason) = self.admission(&current).await
            {
                return Step::Done(FetchOutcome::Skipped {
                    url: original.clone(),
                    reason,
                });
            }
            let Some(key) = HostKey::of(&current) else {
                return Step::Done(FetchOutcome::Skipped {
                    url: original.clone(),
                    reason: SkipReason::NonHttpScheme,
                });
            };
            let permit = match self.inner.politeness.acquire(&key).await {
                Ok(p) => p,
                Err(e) => return Step::GiveUp(Failure::Other(e.to_string())),
            };
            let build = |client: &reqwest::Client| {
                let mut builder = client.request(method.clone(), current.clone());
                if let Some(v) = req.validators {
                    if let Some(etag) = &v.etag {
                        builder = builder.header(IF_NONE_MATCH, etag);
                    }
                    if let Some(lm) = &v.last_modified {
                        builder = builder.header(IF_MODIFIED_SINCE, lm);
                    }
                }
                if let Some(body) = &form {
                    builder = builder
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(body.clone());
                }
                builder
            };
            // One line per request sent, for the scale benchmark's plain-fetcher replay
            // (`RUST_LOG=govscore::request=trace`, scripts/bench-scale.sh).
            tracing::trace!(target: "govscore::request", "{method} {current} {}", form.as_deref().unwrap_or(""));
            let mut resp = match self.send(&key.host, &method, build).await {
                Ok(r) => r,
                Err(e) if e.refused() => {
                    return Step::Done(FetchOutcome::Skipped {
                        url: original.clone(),
                        reason: SkipReason::NonPublicAddress,
                    });
                }
                Err(e) => return failure_step(e.failure()),
            };
            let status = resp.status();
            let code = status.as_u16();
            let headers = resp.headers().clone();
            let set_cookies: Vec<String> = headers
                .get_all(SET_COOKIE)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            let loc = location(&headers);

            if status.is_redirection() && code != 304 {
                if let Some(wall) = wall::detect(&wall::Signals {
                    status: code,
                    set_cookies: &set_cookies,
                    location: loc.as_deref(),
                    body: b"",
                }) {
                    return Step::Done(blocked(original, wall, code));
                }
                if let Some(loc) = loc {
                    let Ok(next) = current.join(&loc) else {
                        return Step::GiveUp(Failure::Other(format!(
                            "invalid redirect Location {loc:?}"
                        )));
                    };
                    if !matches!(next.scheme(), "http" | "https") {
                        return Step::Done(FetchOutcome::Skipped {
                            url: original.clone(),
                            reason: SkipReason::NonHttpScheme,
                        });
                    }
                    // 301/302/303 turn a POST into a GET, as browsers do; 307/308 keep it.
                    if matches!(code, 301..=303) && method == Method::POST {
                        method = Method::GET;
                        form = None;
                    }
                    drop(permit);
                    current = next;
                    continue;
                }
            }
            if code == 304 {
                return Step::Done(FetchOutcome::NotModified {
                    url: original.clone(),
                });
            }
            if code == 412 {
                return Step::Done(blocked(original, Wall::Ruishu, code));
            }

            let body = match self.read_body(&mut resp, &headers, req.body_cap).await {
                Ok(b) => b,
                Err(step) => return step,
            };
            drop(permit);
            if let Some(wall) = wall::detect(&wall::Signals {
                status: code,
                set_cookies: &set_cookies,
                location: loc.as_deref(),
                body: &body,
            }) {
                return Step::Done(blocked(original, wall, code));
            }
            return self.judge_status(code, &headers, current, body);
        }
        Step::GiveUp(Failure::TooManyRedirects)
    }

    /// Reads the body by chunks up to the cap.
    async fn read_body(
        &self,
        resp: &mut reqwest::Response,
        headers: &HeaderMap,
        cap: Option<usize>,
    ) -> Result<Vec<u8>, Step> {
        if let Some(cap) = cap {
            return Ok(self.read_capped(resp, cap).await);
        }
        let max = self.inner.max_body;
        let declared = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > max as u64) {
            return Err(Step::GiveUp(Failure::BodyTooLarge));
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    self.inner
                        .counters
                        .bytes
                        .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    if body.len() + chunk.len() > max {
                        return Err(Step::GiveUp(Failure::BodyTooLarge));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => {
                    // A body cut off mid-way: the response was incomplete (retried),
                    // unless the clock ran out.
                    let failure = match classify(&e) {
                        Failure::Timeout => Failure::Timeout,
                        _ => Failure::Incomplete,
                    };
                    return Err(failure_step(failure));
                }
            }
        }
    }

    /// Reads the first `cap` bytes of the body (or less when it ends or breaks off) and
    /// leaves the rest unread: a link check needs the status and the start of the page.
    async fn read_capped(&self, resp: &mut reqwest::Response, cap: usize) -> Vec<u8> {
        let mut body = Vec::new();
        while body.len() < cap {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    self.inner
                        .counters
                        .bytes
                        .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    let take = chunk.len().min(cap - body.len());
                    body.extend_from_slice(&chunk[..take]);
                }
                Ok(None) | Err(_) => break,
            }
        }
        body
    }

    /// Turns a final non-redirect, non-wall response into a step.
    fn judge_status(&self, code: u16, headers: &HeaderMap, url: Url, bytes: Vec<u8>) -> Step {
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        match code {
            200..=299 => {
                let content_type = header_string(headers, CONTENT_TYPE);
                let textual = charset::is_textual(content_type.as_deref()) && !is_document(&bytes);
                let (text, encoding, decode_errors) = if textual {
                    let d = charset::decode(&bytes, content_type.as_deref());
                    if let Some(why) = charset::unreadable_reason(&d) {
                        return Step::GiveUp(Failure::Unreadable(why));
                    }
                    (d.text, d.encoding, d.had_errors)
                } else {
                    (String::new(), "", false)
                };
                Step::Done(FetchOutcome::Fetched(Page {
                    url,
                    status: code,
                    content_type,
                    bytes,
                    text,
                    encoding,
                    decode_errors,
                    etag: header_string(headers, ETAG),
                    last_modified: header_string(headers, LAST_MODIFIED),
                }))
            }
            429 | 503 if retry_after.is_some() => {
                let wait = retry_after.unwrap_or_default();
                let failure = Failure::Throttled { status: code };
                if wait > self.max_retry_after {
                    Step::GiveUp(failure)
                } else {
                    Step::Retry {
                        failure,
                        wait: Some(wait),
                    }
                }
            }
            429 | 403 => Step::Retry {
                failure: Failure::Throttled { status: code },
                wait: None,
            },
            500..=599 => Step::Retry {
                failure: Failure::Http(code),
                wait: None,
            },
            _ => Step::GiveUp(Failure::Http(code)),
        }
    }
}

/// A robots.txt server error that the page fetch itself names better: an anti-bot wall or
/// throttling with `Retry-After`.
fn leave_to_page(status: u16, headers: &HeaderMap, body: &[u8]) -> Option<&'static str> {
    let set_cookies: Vec<String> = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let walled = wall::detect(&wall::Signals {
        status,
        set_cookies: &set_cookies,
        location: location(headers).as_deref(),
        body,
    });
    if walled.is_some() {
        Some("反爬验证")
    } else if headers.contains_key(RETRY_AFTER) {
        Some("限流")
    } else {
        None
    }
}

/// How a GET was answered earlier in a run ([`Fetcher::earlier_answer`]).
#[derive(Debug, Clone)]
pub enum EarlierAnswer {
    /// 2xx or 304 (the asked URL and, after redirects, the final one).
    Answered,
    /// An HTTP error, after the request's retries, and no 2xx or 304.
    HttpError(Box<FetchOutcome>),
}

/// A 128-bit key of `url` without its fragment, for the set of URLs a run read: a district
/// run reads hundreds of thousands of pages, and the set holds 16 bytes per URL instead of
/// the URL (two SipHash-1-3 sums under different prefixes; a collision among a run's URLs
/// has a chance of about n²/2¹²⁹).
fn url_key(url: &Url) -> u128 {
    text_key(&without_fragment(url))
}

/// A 128-bit key of `text` (two SipHash-1-3 sums under different prefixes), for sets that
/// would otherwise hold many long strings.
pub(crate) fn text_key(text: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        text.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

fn without_fragment(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.to_string()
}

fn blocked(url: &Url, wall: Wall, status: u16) -> FetchOutcome {
    FetchOutcome::Blocked {
        url: url.clone(),
        wall,
        status,
    }
}

/// Transport failures worth another try: everything but TLS and oversize bodies.
fn failure_step(failure: Failure) -> Step {
    match failure {
        Failure::Tls
        | Failure::LegacyTls
        | Failure::BodyTooLarge
        | Failure::TooManyRedirects
        | Failure::Unreadable(_) => Step::GiveUp(failure),
        f => Step::Retry {
            failure: f,
            wait: None,
        },
    }
}

fn location(headers: &HeaderMap) -> Option<String> {
    headers
        .get(LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn header_string(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A document (PDF, ZIP/DOCX, OLE/DOC) served under a textual or missing header: kept as
/// bytes for the attachment readers, not decoded. Any other body is decoded, and is
/// [`Failure::Unreadable`] only when what comes out is not text (see
/// [`charset::unreadable_reason`]); a NUL byte alone no longer makes a page "binary".
fn is_document(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF")
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// `Retry-After` as a wait: delta-seconds or an HTTP date (a past date means "now").
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Sorts a client error into a [`Failure`] from reqwest's flags and the error chain.
fn classify(err: &reqwest::Error) -> Failure {
    if err.is_timeout() {
        return Failure::Timeout;
    }
    // Match words in the causes only: the top-level message carries the URL, whose host
    // may well contain "tls" or "ssl".
    let lower = source_chain(err, |e| e.to_string()).to_ascii_lowercase();
    if err.is_dns()
        || lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
        || lower.contains("no such host")
    {
        return Failure::Dns;
    }
    if is_protocol_version_error(err) {
        return Failure::LegacyTls;
    }
    if is_tls_error(err, &lower) {
        return Failure::Tls;
    }
    if err.is_connect()
        || lower.contains("connection refused")
        || lower.contains("connection reset")
        || lower.contains("network is unreachable")
    {
        return Failure::Connect;
    }
    if let Some(status) = err.status() {
        return Failure::Http(status.as_u16());
    }
    Failure::Other(error_chain(err))
}

/// Whether the TLS handshake failed on the server's certificate (unknown issuer, an
/// incomplete chain, expired, another name) rather than on the protocol.
fn is_certificate_error(err: &reqwest::Error) -> bool {
    let debug = source_chain(err, |e| format!("{e:?}"));
    debug.contains("InvalidCertificate")
        || source_chain(err, |e| e.to_string())
            .to_ascii_lowercase()
            .contains("invalid peer certificate")
}

/// Whether the TLS handshake failed because the server offers no protocol version rustls
/// speaks (TLS 1.2/1.3): it answered a `protocol_version` alert, or a TLS 1.0/1.1 hello.
fn is_protocol_version_error(err: &reqwest::Error) -> bool {
    let debug = source_chain(err, |e| format!("{e:?}"));
    debug.contains("AlertReceived(ProtocolVersion)")
        || debug.contains("ServerDoesNotSupportTls12Or13")
}

/// The 证书问题 shown to supervisors for a certificate error.
fn certificate_reason(err: &reqwest::Error) -> String {
    let debug = source_chain(err, |e| format!("{e:?}"));
    let what = if debug.contains("UnknownIssuer") {
        "证书颁发机构不受信任或证书链不完整"
    } else if debug.contains("Expired") {
        "证书已过期"
    } else if debug.contains("NotValidYet") {
        "证书尚未生效"
    } else if debug.contains("NotValidForName") {
        "证书与网站域名不符"
    } else if debug.contains("Revoked") {
        "证书已被吊销"
    } else {
        "证书无法验证"
    };
    // The verifier's own words, for whoever fixes the certificate.
    let detail = source_chain(err, |e| e.to_string());
    let detail = detail.rsplit(": ").next().unwrap_or_default();
    if detail.is_empty() {
        what.to_string()
    } else {
        format!("{what}({detail})")
    }
}

/// rustls errors do not always say "TLS" in their message ("received corrupt message of
/// type InvalidContentType" for a plain-HTTP server on 443), so look at the wording, the
/// rustls variant names in the debug form, and an `InvalidData` I/O error while connecting.
fn is_tls_error(err: &reqwest::Error, lower_chain: &str) -> bool {
    const WORDS: &[&str] = &[
        "certificate",
        "tls",
        "ssl",
        "handshake",
        "corrupt message",
        "peer is incompatible",
        "peer misbehaved",
        "fatal alert",
    ];
    const RUSTLS_VARIANTS: &[&str] = &[
        "InvalidMessage",
        "InvalidCertificate",
        "AlertReceived",
        "PeerIncompatible",
        "PeerMisbehaved",
        "NoCertificatesPresented",
        "InappropriateHandshakeMessage",
        "InappropriateMessage",
        "HandshakeNotComplete",
        "DecryptError",
    ];
    if WORDS.iter().any(|w| lower_chain.contains(w)) {
        return true;
    }
    let debug = source_chain(err, |e| format!("{e:?}"));
    if RUSTLS_VARIANTS.iter().any(|v| debug.contains(v)) {
        return true;
    }
    let https = err.url().is_some_and(|u| u.scheme() == "https");
    let mut source = err.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::InvalidData
            && https
            && err.is_connect()
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// The causes of `err` (not its own message), each rendered by `render`.
fn source_chain(err: &reqwest::Error, render: impl Fn(&dyn StdError) -> String) -> String {
    let mut parts = Vec::new();
    let mut source = err.source();
    while let Some(e) = source {
        parts.push(render(e));
        source = e.source();
    }
    parts.join(": ")
}

fn error_chain(err: &reqwest::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn scope_matches_host_and_port_and_the_scheme_flip() {
        let scope = Scope::new([url("http://www.a.gov.cn/"), url("http://127.0.0.1:8080/")]);
        assert_eq!(
            scope,
            Scope::new(&[url("http://www.a.gov.cn/"), url("http://127.0.0.1:8080/")])
        );
        assert!(scope.contains(&url("http://WWW.A.gov.cn/zwgk/index.html")));
        assert!(scope.contains(&url("https://www.a.gov.cn/")));
        assert!(scope.contains(&url("http://127.0.0.1:8080/x")));
        assert!(!scope.contains(&url("http://127.0.0.1:8081/x")));
        assert!(!scope.contains(&url("http://www.b.gov.cn/")));
        assert!(!scope.contains(&url("http://www.a.gov.cn:8443/")));
    }

    #[tokio::test]
    async fn an_answer_in_the_run_is_not_replaced_by_a_later_error() {
        let f = Fetcher::new(
            &CrawlSettings::default(),
            Scope::new([url("http://a.gov.cn/")]),
        )
        .expect("fetcher");
        let failed = |u: &str, code| FetchOutcome::Failed {
            url: url(u),
            failure: Failure::Http(code),
            attempts: 2,
        };
        let is_error = |u: &str, want: u16| {
            matches!(
                f.earlier_answer(&url(u)),
                Some(EarlierAnswer::HttpError(e)) if matches!(
                    *e,
                    FetchOutcome::Failed { failure: Failure::Http(code), .. } if code == want
                )
            )
        };
        let answered = |u: &str| matches!(f.earlier_answer(&url(u)), Some(EarlierAnswer::Answered));
        // An error, then an answer: answered (the fragment is ignored).
        f.note_answered(&url("http://a.gov.cn/x"), &failed("http://a.gov.cn/x", 503));
        assert!(is_error("http://a.gov.cn/x#top", 503));
        let x = url("http://a.gov.cn/x");
        f.note_answered(&x, &FetchOutcome::NotModified { url: x.clone() });
        assert!(answered("http://a.gov.cn/x"));
        // An answer, then an error: still answered.
        f.note_answered(&x, &failed("http://a.gov.cn/x", 404));
        assert!(answered("http://a.gov.cn/x"));
        // Neither a timeout nor an unasked URL is an answer.
        let y = url("http://a.gov.cn/y");
        let timeout = FetchOutcome::Failed {
            url: y.clone(),
            failure: Failure::Timeout,
            attempts: 2,
        };
        f.note_answered(&y, &timeout);
        assert!(f.earlier_answer(&y).is_none());
        assert!(f.earlier_answer(&url("http://a.gov.cn/z")).is_none());
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let future = (chrono::Utc::now() + chrono::Duration::seconds(30))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let wait = parse_retry_after(&future).expect("date parses");
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn reasons_in_chinese() {
        let u = url("http://a.gov.cn/");
        let blocked = FetchOutcome::Blocked {
            url: u.clone(),
            wall: Wall::Jsl,
            status: 521,
        };
        assert_eq!(blocked.reason_zh(), "HTTP 521 反爬验证(加速乐)");
        let dns = FetchOutcome::Failed {
            url: u.clone(),
            failure: Failure::Dns,
            attempts: 1,
        };
        assert_eq!(dns.reason_zh(), "DNS解析失败");
        let robots = FetchOutcome::Skipped {
            url: u.clone(),
            reason: SkipReason::RobotsDisallowed,
        };
        assert_eq!(robots.reason_zh(), "robots.txt 禁止抓取");
        assert_eq!(robots.url(), &u);
    }

    #[test]
    fn binary_magic_is_not_decoded_as_text() {
        assert!(is_document(b"%PDF-1.7\n"));
        assert!(is_document(b"PK\x03\x04rest"));
        assert!(!is_document("<html>通知</html>".as_bytes()));
        assert!(!is_document(b"<html>\0</html>"));
    }
}
