//! Subsite discovery (`discover: true`, CONTRACT §2): the 部门 and 乡镇/街道 sites linked from
//! the portal's home page — link lists, `<select>` dropdowns whose options carry URLs,
//! `window.open('…')` links — on subdirectories of the portal or on other hosts.
//!
//! Pure: takes the portal's home page, returns site configs. Configured sites always win
//! (same URL); a discovered site's id is a stable slug of its host or path.

use crate::config::SiteConfig;
use crate::extract::nav::{NavLink, classify, nav_links};
use crate::model::{ColumnClass, Role};
use std::collections::{BTreeMap, HashSet};
use url::Url;

/// Endings of unit names (区教育局, 城关镇人民政府, 河阳街道办事处, 区人民防空办公室 …).
const UNIT_SUFFIXES: &[&str] = &[
    "局",
    "委",
    "办",
    "办公室",
    "委员会",
    "中心",
    "镇",
    "乡",
    "街道",
    "办事处",
    "政府",
    "院",
    "所",
    "队",
    "站",
    "会",
    "处",
    "馆",
    "分局",
    "管委会",
    "园区",
];

/// Unit names are short; article titles are long.
const MAX_UNIT_NAME_CHARS: usize = 20;

/// Whether a unit name is a town (乡镇/街道) rather than a department.
pub fn role_of(name: &str) -> Role {
    let n = name.trim_end_matches("人民政府").trim_end_matches("办事处");
    if n.ends_with('镇') || n.ends_with('乡') || n.ends_with("街道") {
        Role::Town
    } else {
        Role::Department
    }
}

/// A stable id for a discovered site: its host (dots to dashes) when it has its own host,
/// else its path segments joined by dashes; only `[a-z0-9_-]`.
pub fn slug(portal: &Url, url: &Url) -> String {
    let raw = if url.host_str() != portal.host_str() || url.port() != portal.port() {
        let host = url.host_str().unwrap_or("site");
        match url.port() {
            Some(p) => format!("{host}-{p}"),
            None => host.to_string(),
        }
    } else {
        url.path()
            .split('/')
            .filter(|s| !s.is_empty() && !s.contains('.'))
            .collect::<Vec<_>>()
            .join("-")
    };
    let mut out = String::new();
    for c in raw.to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "site".to_string()
    } else {
        out
    }
}

fn is_unit_name(text: &str) -> bool {
    let n = text.chars().count();
    (2..=MAX_UNIT_NAME_CHARS).contains(&n)
        && UNIT_SUFFIXES.iter().any(|s| text.ends_with(s))
        && !text.contains("年")
}

/// The subsites linked from the portal home page `html` (at `portal`), excluding those
/// already configured. Ids are made unique against the configured ones.
pub fn discover(
    portal: &Url,
    html: &str,
    configured: &[SiteConfig],
    class_names: &BTreeMap<ColumnClass, Vec<String>>,
) -> Vec<SiteConfig> {
    let mut seen: HashSet<String> = configured.iter().map(|s| super::page_key(&s.url)).collect();
    let mut ids: HashSet<String> = configured.iter().map(|s| s.id.clone()).collect();
    seen.insert(super::page_key(portal));
    let mut out = Vec::new();
    for NavLink { text, url } in nav_links(html, portal) {
        let text = text.trim().to_string();
        if !matches!(url.scheme(), "http" | "https") || !is_unit_name(&text) {
            continue;
        }
        if super::looks_like_article(&url) || classify(&text, class_names).is_some() {
            continue;
        }
        let same_host = url.host_str() == portal.host_str() && url.port() == portal.port();
        if same_host && url.path() == "/" {
            continue;
        }
        if !seen.insert(super::page_key(&url)) {
            continue;
        }
        let mut id = slug(portal, &url);
        let base = id.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        out.push(SiteConfig {
            id,
            name: text.clone(),
            role: role_of(&text),
            url,
            columns: Vec::new(),
            contacts: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> BTreeMap<ColumnClass, Vec<String>> {
        ColumnClass::ALL
            .into_iter()
            .map(|c| (c, c.builtin_names().iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    // Written from cms-patterns.md §3.1 (link lists, select dropdowns, window.open).
    const PORTAL: &str = r#"<html><head><meta name="SiteName" content="云溪区人民政府"></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/gzdt/">工作动态</a><a href="/zwgk/tzgg/">通知公告</a></div>
<ul class="news"><li><a href="/zwgk/gzdt/202301/t20230109_1.html">区教育局召开2023年工作会议</a><span>2023-01-09</span></li></ul>
<div class="bmwz"><h3>部门网站</h3>
  <a href="http://www.yunxiqu.gov.cn/zwgk/bmxxgk/jyj/" target="_blank">区教育局</a>
  <a href="http://wjw.yunxiqu.gov.cn" target="_blank">区卫生健康局</a>
  <a href="javascript:void(0);" onclick="window.open('http://www.yunxiqu.gov.cn/bmjz/czj/')">区财政局</a>
</div>
<select onchange="if(this.value!='乡镇街道')window.open(this.value)">
  <option selected="selected">乡镇街道</option>
  <option value="http://www.yunxiqu.gov.cn/xzjd/cgz/"> 城关镇人民政府 </option>
  <option value="http://www.yunxiqu.gov.cn/xzjd/hyjd/"> 河阳街道办事处 </option>
  <option value="http://www.yunxiqu.gov.cn/zwgk/bmxxgk/jyj/"> 区教育局 </option>
</select>
<div class="footer"><a href="http://www.gov.cn/">中国政府网</a> <a href="mailto:a@b.cn">联系我们</a></div>
</body></html>"#;

    #[test]
    fn finds_link_list_select_and_window_open_subsites_once_each() {
        let portal = Url::parse("http://www.yunxiqu.gov.cn/").unwrap();
        let found = discover(&portal, PORTAL, &[], &names());
        let got: Vec<(&str, &str, Role, &str)> = found
            .iter()
            .map(|s| (s.id.as_str(), s.name.as_str(), s.role, s.url.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "zwgk-bmxxgk-jyj",
                    "区教育局",
                    Role::Department,
                    "http://www.yunxiqu.gov.cn/zwgk/bmxxgk/jyj/"
                ),
                (
                    "wjw-yunxiqu-gov-cn",
                    "区卫生健康局",
                    Role::Department,
                    "http://wjw.yunxiqu.gov.cn/"
                ),
                (
                    "bmjz-czj",
                    "区财政局",
                    Role::Department,
                    "http://www.yunxiqu.gov.cn/bmjz/czj/"
                ),
                (
                    "xzjd-cgz",
                    "城关镇人民政府",
                    Role::Town,
                    "http://www.yunxiqu.gov.cn/xzjd/cgz/"
                ),
                (
                    "xzjd-hyjd",
                    "河阳街道办事处",
                    Role::Town,
                    "http://www.yunxiqu.gov.cn/xzjd/hyjd/"
                ),
            ]
        );
    }

    #[test]
    fn configured_sites_win_and_ids_stay_unique() {
        let portal = Url::parse("http://www.yunxiqu.gov.cn/").unwrap();
        let configured = vec![SiteConfig {
            id: "xzjd-cgz".into(),
            name: "城关镇".into(),
            role: Role::Town,
            url: Url::parse("http://www.yunxiqu.gov.cn/xzjd/cgz/index.html").unwrap(),
            columns: vec![],
            contacts: vec![],
        }];
        let found = discover(&portal, PORTAL, &configured, &names());
        assert!(found.iter().all(|s| s.name != "城关镇人民政府"));
        assert_eq!(found.len(), 4);
        let ids: HashSet<&str> = found.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 4);
        assert!(!ids.contains("xzjd-cgz"));
    }

    #[test]
    fn role_and_slug_rules() {
        assert_eq!(role_of("会盟镇人民政府"), Role::Town);
        assert_eq!(role_of("吉利街道办事处"), Role::Town);
        assert_eq!(role_of("孟津区教育局"), Role::Department);
        let p = Url::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(
            slug(&p, &Url::parse("http://127.0.0.1:9090/").unwrap()),
            "127-0-0-1-9090"
        );
        assert_eq!(
            slug(
                &p,
                &Url::parse("http://127.0.0.1:8080/bm/jyj/index.html").unwrap()
            ),
            "bm-jyj"
        );
    }
}
