//! Recognition of anti-bot walls (CONTRACT §3 `blocked`, cms-patterns.md §3.2).
//!
//! Owns the pure decision "is this first response a JavaScript/cookie challenge?" for
//! 加速乐 (JSL), 瑞数 (Ruishu) and `wzws`. It looks only at the status, the `Set-Cookie`
//! values, the `Location` header and the body. It must never try to solve a challenge,
//! and must not call an ordinary article a wall because it merely mentions a marker
//! (e.g. a long page quoting `$_ts`): body markers count only on a page with almost no
//! visible text.

use std::fmt;

/// An anti-bot wall in front of a site. A walled site opens in a browser, so a wall is
/// reported for manual review, never retried and never counted as unavailability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Wall {
    /// 加速乐 (知道创宇): `521`/`512` with a `__jsl_clearance` script or `__jsluid` cookie.
    Jsl,
    /// 瑞数: `412`, or a `202`/`200` page that is only a `$_ts` challenge.
    Ruishu,
    /// `wzws` challenge: `wzws_*` cookies or a redirect to `/WZWS…?wzwschallenge=`.
    Wzws,
}

impl Wall {
    /// The label shown to supervisors, e.g. `反爬验证(加速乐)`.
    pub fn label_zh(self) -> &'static str {
        match self {
            Wall::Jsl => "反爬验证(加速乐)",
            Wall::Ruishu => "反爬验证(瑞数)",
            Wall::Wzws => "反爬验证(wzws)",
        }
    }

    /// A short English name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Wall::Jsl => "jsl",
            Wall::Ruishu => "ruishu",
            Wall::Wzws => "wzws",
        }
    }
}

impl fmt::Display for Wall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A challenge page carries at most this many visible (non-script, non-tag) characters;
/// a real page or article has far more.
const CHALLENGE_MAX_VISIBLE_CHARS: usize = 200;

/// What a response looked like, as far as wall detection needs.
#[derive(Debug, Clone, Copy)]
pub struct Signals<'a> {
    /// The HTTP status.
    pub status: u16,
    /// Every `Set-Cookie` header value of the response.
    pub set_cookies: &'a [String],
    /// The `Location` header, if any.
    pub location: Option<&'a str>,
    /// The body read so far (empty for redirects or when not read).
    pub body: &'a [u8],
}

/// The wall this response is, if any.
pub fn detect(s: &Signals<'_>) -> Option<Wall> {
    let cookie_named = |prefix: &str| {
        s.set_cookies.iter().any(|c| {
            c.trim_start()
                .to_ascii_lowercase()
                .starts_with(&prefix.to_ascii_lowercase())
        })
    };
    let body_has = |needle: &str| contains(s.body, needle.as_bytes());

    // 加速乐: 521 (some deployments 512) plus its cookie or clearance script.
    if matches!(s.status, 521 | 512)
        && (cookie_named("__jsluid")
            || body_has("__jsl_clearance")
            || (body_has("document.cookie") && looks_like_challenge(s.body)))
    {
        return Some(Wall::Jsl);
    }

    // wzws: a redirect (or refresh) to the challenge URL, or its cookies on a non-200.
    let location_is_wzws = s.location.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("wzwschallenge") || l.contains("/wzws")
    });
    if location_is_wzws
        || (s.status != 200 && cookie_named("wzws_"))
        || (body_has("wzwschallenge") && looks_like_challenge(s.body))
    {
        return Some(Wall::Wzws);
    }

    // 瑞数: 412 is its signature; a 200/202 counts only when the page is just the challenge.
    if s.status == 412 {
        return Some(Wall::Ruishu);
    }
    if matches!(s.status, 200 | 202)
        && body_has("$_ts")
        && (body_has("$_ts=window") || body_has("$_ts.cd=") || body_has("$_ts.nsd="))
        && looks_like_challenge(s.body)
    {
        return Some(Wall::Ruishu);
    }
    None
}

/// True when the page has (almost) no visible text outside `<script>`/`<style>` and tags:
/// the shape of a challenge page, not of an article that quotes a marker.
fn looks_like_challenge(body: &[u8]) -> bool {
    visible_chars(body, CHALLENGE_MAX_VISIBLE_CHARS + 1) <= CHALLENGE_MAX_VISIBLE_CHARS
}

/// Counts non-whitespace characters outside tags, scripts, styles and comments, stopping
/// once `limit` is reached (bodies can be megabytes).
fn visible_chars(body: &[u8], limit: usize) -> usize {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() && count < limit {
        let rest = &lower[i..];
        if rest.starts_with("<script") || rest.starts_with("<style") {
            let close = if rest.starts_with("<script") {
                "</script"
            } else {
                "</style"
            };
            i = rest
                .find(close)
                .map_or(bytes.len(), |e| i + e + close.len());
            continue;
        }
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        if bytes[i] == b'<' {
            i = rest.find('>').map_or(bytes.len(), |e| i + e + 1);
            continue;
        }
        let Some(ch) = rest.chars().next() else {
            break;
        };
        if !ch.is_whitespace() {
            count += 1;
        }
        i += ch.len_utf8();
    }
    count
}

/// Whether `needle` occurs in `haystack`: a scan for its first byte, then a comparison at
/// each hit (every page a run reads goes through here; the markers start with rare bytes).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return false;
    };
    let mut from = 0;
    while let Some(at) = haystack[from..].iter().position(|&b| b == first) {
        let at = from + at;
        if haystack[at + 1..].starts_with(rest) {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSL_BODY: &str = "<html><body><script>document.cookie=('_')+('_jsl_clearance_s=1672\
        |0|abc')+';Expires=Mon';location.href=location.pathname+location.search</script></body></html>";
    const RUISHU_BODY: &str = "<html><head><meta id=\"9DhefwqGPrzG\" content=\"abc\" r='m'>\
        <script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=74921;$_ts.cd=\"qEkqrrAlq\";</script>\
        <script src=\"/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js\" r='m'></script></head><body></body></html>";

    fn sig<'a>(status: u16, cookies: &'a [String], body: &'a str) -> Signals<'a> {
        Signals {
            status,
            set_cookies: cookies,
            location: None,
            body: body.as_bytes(),
        }
    }

    #[test]
    fn jsl_521_with_clearance_script() {
        assert_eq!(detect(&sig(521, &[], JSL_BODY)), Some(Wall::Jsl));
    }

    #[test]
    fn jsl_512_with_jsluid_cookie_only() {
        let cookies = vec!["__jsluid_h=0f3c; max-age=31536000; path=/; HttpOnly".to_string()];
        assert_eq!(detect(&sig(512, &cookies, "")), Some(Wall::Jsl));
    }

    #[test]
    fn plain_521_without_jsl_markers_is_not_a_wall() {
        assert_eq!(detect(&sig(521, &[], "<h1>Web server is down</h1>")), None);
    }

    #[test]
    fn ruishu_412_and_challenge_only_200() {
        assert_eq!(detect(&sig(412, &[], "")), Some(Wall::Ruishu));
        assert_eq!(detect(&sig(200, &[], RUISHU_BODY)), Some(Wall::Ruishu));
        assert_eq!(detect(&sig(202, &[], RUISHU_BODY)), Some(Wall::Ruishu));
    }

    #[test]
    fn long_article_quoting_ts_marker_is_not_a_wall() {
        let para = "<p>瑞数动态防护会在页面中插入形如 $_ts=window['$_ts'] 的脚本，\
            本文介绍政府网站如何兼顾安全与可访问性，以及检测工具应如何识别这类页面。</p>";
        let body = format!(
            "<html><body><h1>技术文章</h1>{}</body></html>",
            para.repeat(10)
        );
        assert_eq!(detect(&sig(200, &[], &body)), None);
    }

    #[test]
    fn wzws_redirect_and_cookie() {
        let redirect = Signals {
            status: 302,
            set_cookies: &[],
            location: Some("/WZWSREL2luZGV4Lmh0bWw=?wzwschallenge=V1pXU19DT05GSVJN"),
            body: b"",
        };
        assert_eq!(detect(&redirect), Some(Wall::Wzws));
        let cookies = vec!["wzws_cid=4c1f; path=/".to_string()];
        assert_eq!(detect(&sig(202, &cookies, "")), Some(Wall::Wzws));
    }

    #[test]
    fn ordinary_pages_are_not_walls() {
        let cookies = vec!["JSESSIONID=abc; Path=/".to_string()];
        assert_eq!(
            detect(&sig(200, &cookies, "<html><body>通知公告</body></html>")),
            None
        );
        assert_eq!(detect(&sig(404, &[], "not found")), None);
        assert_eq!(detect(&sig(503, &[], "busy")), None);
    }

    #[test]
    fn the_marker_search_finds_needles_anywhere_and_only_whole() {
        for (hay, needle, found) in [
            ("", "a", false),
            ("abc", "", false),
            ("abc", "abc", true),
            ("xxabc", "abc", true),
            ("ababac", "abac", true),
            ("abab", "abac", false),
            ("$_t$_ts=window", "$_ts=window", true),
            ("$_ts=windo", "$_ts=window", false),
            ("页面$_ts.cd=", "$_ts.cd=", true),
        ] {
            assert_eq!(
                contains(hay.as_bytes(), needle.as_bytes()),
                found,
                "{hay} {needle}"
            );
        }
    }
}
