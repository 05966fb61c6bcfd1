//! Subsite discovery (`discover: true`, CONTRACT §2): the 部门 and 乡镇/街道 sites linked from
//! the portal's home page — link lists, `<select>` dropdowns whose options carry URLs,
//! `window.open('…')` links — on subdirectories of the portal or on other hosts.
//!
//! Scope (issue 10 item 6): the units linked from the portal's 部门/乡镇 (站群) sections and
//! unit sites under the portal's registrable domain; never 国务院, 省, 市 or other 区/县
//! governments; `discover_include` / `discover_exclude` for the rest. Every unit link gets a
//! [`Decision`] with its reason, which the run summary and `check --discover` print.
//!
//! Pure: takes the portal's home page, returns site configs. Configured sites always win
//! (same URL); a discovered site's id is a stable slug of its host or path.

use crate::config::SiteConfig;
use crate::extract::nav::{NavLink, classify, nav_links_with_sections};
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

/// What discovery may take: the district's name and the operator's overrides
/// (`discover_include` / `discover_exclude`).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The district's display name (孟津区).
    pub district: &'a str,
    /// Entries that always include a link (unit name, host or URL prefix).
    pub include: &'a [String],
    /// Entries that always exclude a link; they win over `include`.
    pub exclude: &'a [String],
}

/// One unit link of the portal and what discovery decided about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The link text.
    pub name: String,
    /// The link.
    pub url: String,
    /// Whether it is assessed.
    pub included: bool,
    /// Why (Chinese, for the run summary).
    pub reason: String,
}

/// What discovery found on one portal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discovery {
    /// The sites to assess (not yet configured), with unique ids.
    pub sites: Vec<SiteConfig>,
    /// Every unit link considered, included or left out, in page order.
    pub decisions: Vec<Decision>,
}

/// Words of a section label that mark the portal's 站群 (department/town) link lists.
const SITE_GROUP_LABELS: &[&str] = &[
    "部门",
    "乡镇",
    "街道",
    "镇街",
    "站群",
    "区直",
    "县直",
    "子站",
    "单位网站",
    "垂直",
    "垂管",
];

/// Second-level public suffixes under which the registrable domain has three labels.
const CN_SECOND_LEVEL: &[&str] = &["gov", "com", "net", "org", "edu", "ac"];

/// The registrable domain of a host: `mengjin.gov.cn` for `www.mengjin.gov.cn`; an IP
/// address is its own.
fn registrable(host: &str) -> String {
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host.to_string();
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    let keep = if n >= 3 && CN_SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

/// The district's name without its level (孟津区 → 孟津), when that leaves two characters.
fn short_name(district: &str) -> &str {
    let short = district.trim_end_matches(['区', '县', '市', '旗']);
    if short.chars().count() >= 2 {
        short
    } else {
        district
    }
}

static GOVERNMENT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\p{Han}(省|自治区|市|州|盟|区|县|旗)(人民)?政府(办公厅|办公室)?$")
        .expect("static regex")
});

/// Why a unit name is another government (国务院, a 省, a 市, another 区/县), or the
/// district's own government (the portal); None for a unit of the district.
fn other_government(name: &str, district: &str) -> Option<&'static str> {
    let own = name.contains(district) || name.contains(short_name(district));
    if name.contains("国务院") || name.contains("中央人民政府") {
        return Some("国务院网站，不属于本区域");
    }
    // `区政府办公室` (no place name) is the district's own office, a department.
    let level = GOVERNMENT.captures(name)?;
    if own {
        // The district's own 人民政府办公室 is a department; its 人民政府 is the portal.
        return (!name.ends_with("办公室") && !name.ends_with("办公厅"))
            .then_some("本级人民政府（门户网站本身）");
    }
    Some(match &level[1] {
        "省" | "自治区" => "省级人民政府网站，不属于本区域",
        "市" | "州" | "盟" => "其他市或上级市人民政府网站，不属于本区域",
        _ => "其他区县人民政府网站，不属于本区域",
    })
}

/// Whether a config entry names this link: a URL prefix, a host (subdomains too), or a
/// unit name the link text contains.
fn entry_matches(entry: &str, name: &str, url: &Url) -> bool {
    if entry.contains("://") {
        return url.as_str().starts_with(entry);
    }
    let is_host = entry.contains('.') && entry.is_ascii();
    if is_host {
        let host = url.host_str().unwrap_or("");
        return host.eq_ignore_ascii_case(entry)
            || host
                .to_ascii_lowercase()
                .ends_with(&format!(".{}", entry.to_ascii_lowercase()));
    }
    name.contains(entry)
}

/// Decides one unit link: (included, reason).
fn decide(
    portal: &Url,
    name: &str,
    url: &Url,
    section: Option<&str>,
    scope: &Scope<'_>,
) -> (bool, String) {
    if let Some(e) = scope.exclude.iter().find(|e| entry_matches(e, name, url)) {
        return (false, format!("config.yaml discover_exclude 排除（{e}）"));
    }
    if let Some(e) = scope.include.iter().find(|e| entry_matches(e, name, url)) {
        return (true, format!("config.yaml discover_include 纳入（{e}）"));
    }
    if let Some(why) = other_government(name, scope.district) {
        return (false, why.to_string());
    }
    if let Some(label) = section.filter(|l| SITE_GROUP_LABELS.iter().any(|w| l.contains(w))) {
        let label: String = label.chars().take(20).collect();
        return (true, format!("门户网站站群栏目（{label}）中的单位网站"));
    }
    let domain = registrable(portal.host_str().unwrap_or(""));
    let host = url.host_str().unwrap_or("");
    if registrable(host) == domain {
        return (true, format!("门户网站域名（{domain}）下的单位网站"));
    }
    (
        false,
        format!(
            "不在门户网站的部门/乡镇（站群）栏目中，也不在门户网站域名（{domain}）下；如需考核请加入 discover_include"
        ),
    )
}

/// The decisions as printed by the run summary and `govscore check --discover`: the
/// included sites, then those left out, each with its reason.
pub fn render_decisions(decisions: &[Decision]) -> String {
    let mut out = String::new();
    let included = decisions.iter().filter(|d| d.included).count();
    out.push_str(&format!(
        "自动发现：纳入 {} 个网站，排除 {} 个\n",
        included,
        decisions.len() - included
    ));
    for (flag, title) in [(true, "纳入"), (false, "排除")] {
        for d in decisions.iter().filter(|d| d.included == flag) {
            out.push_str(&format!(
                "  [{title}] {} {} — {}\n",
                d.name, d.url, d.reason
            ));
        }
    }
    out
}

/// The subsites linked from the portal home page `html` (at `portal`), excluding those
/// already configured; ids are made unique against the configured ones. Includes the
/// units linked from the portal's 部门/乡镇 (站群) sections and unit sites under the
/// portal's registrable domain (vertically managed units such as …区税务局 or …分局
/// count); leaves out 国务院, 省, 市 and other 区/县 governments; `scope` overrides.
pub fn discover(
    portal: &Url,
    html: &str,
    configured: &[SiteConfig],
    class_names: &BTreeMap<ColumnClass, Vec<String>>,
    scope: &Scope<'_>,
) -> Discovery {
    let mut seen: HashSet<String> = configured.iter().map(|s| super::page_key(&s.url)).collect();
    let mut ids: HashSet<String> = configured.iter().map(|s| s.id.clone()).collect();
    seen.insert(super::page_key(portal));
    let mut out = Discovery::default();
    for (NavLink { text, url }, section) in nav_links_with_sections(html, portal) {
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
        let (included, reason) = decide(portal, &text, &url, section.as_deref(), scope);
        out.decisions.push(Decision {
            name: text.clone(),
            url: url.to_string(),
            included,
            reason,
        });
        if !included {
            continue;
        }
        let mut id = slug(portal, &url);
        let base = id.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        out.sites.push(SiteConfig {
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

    fn scope() -> Scope<'static> {
        Scope {
            district: "云溪区",
            include: &[],
            exclude: &[],
        }
    }

    // A portal (written from cms-patterns.md §3.1 and the link lists of real 区 portals) that
    // links, besides its own units, the 国务院, the 省 and 市 governments, neighbouring
    // counties and vertically managed units.
    const WIDE_PORTAL: &str = r#"<html><body>
<div class="zqlink"><div class="zq-tab"><span>部门网站</span><span>乡镇街道</span></div>
<ul>
  <li><a href="http://www.yunxiqu.gov.cn/bm/jyj/">区教育局</a></li>
  <li><a href="http://hunan.chinatax.gov.cn/yx/">国家税务总局岳阳市云溪区税务局</a></li>
  <li><a href="http://www.yunxiqu.gov.cn/bm/sthj/">岳阳市生态环境局云溪分局</a></li>
</ul></div>
<div class="links"><h3>相关链接</h3>
  <a href="http://www.gov.cn/">中华人民共和国中央人民政府</a>
  <a href="http://www.sasac.gov.cn/">国务院国有资产监督管理委员会</a>
  <a href="http://www.hunan.gov.cn/">湖南省人民政府</a>
  <a href="http://www.yueyang.gov.cn/">岳阳市人民政府</a>
  <a href="http://www.yyx.gov.cn/">岳阳县人民政府</a>
  <a href="http://www.junshan.gov.cn/">君山区人民政府</a>
  <a href="http://www.yueyang.gov.cn/jyj/">岳阳市教育局</a>
  <a href="http://gaj.yunxiqu.gov.cn/">岳阳市公安局云溪分局</a>
  <a href="http://www.yunxiqu.gov.cn/rfb/">区人民防空办公室</a>
</div>
<select onchange="window.open(this.value)"><option>县市区政府网站</option>
  <option value="http://www.linxiang.gov.cn/">临湘市人民政府</option></select>
</body></html>"#;

    #[test]
    fn scope_takes_the_site_group_and_own_domain_units_and_leaves_out_other_governments() {
        let portal = Url::parse("http://www.yunxiqu.gov.cn/").unwrap();
        let d = discover(&portal, WIDE_PORTAL, &[], &names(), &scope());
        let verdicts: Vec<(&str, bool)> = d
            .decisions
            .iter()
            .map(|x| (x.name.as_str(), x.included))
            .collect();
        assert_eq!(
            verdicts,
            vec![
                ("区教育局", true),
                ("国家税务总局岳阳市云溪区税务局", true),
                ("岳阳市生态环境局云溪分局", true),
                ("中华人民共和国中央人民政府", false),
                ("国务院国有资产监督管理委员会", false),
                ("湖南省人民政府", false),
                ("岳阳市人民政府", false),
                ("岳阳县人民政府", false),
                ("君山区人民政府", false),
                ("岳阳市教育局", false),
                ("岳阳市公安局云溪分局", true),
                ("区人民防空办公室", true),
                ("临湘市人民政府", false),
            ]
        );
        let reason = |name: &str| {
            d.decisions
                .iter()
                .find(|x| x.name == name)
                .map(|x| x.reason.clone())
                .unwrap()
        };
        assert!(reason("国家税务总局岳阳市云溪区税务局").contains("站群"));
        assert!(reason("岳阳市公安局云溪分局").contains("yunxiqu.gov.cn"));
        assert!(reason("湖南省人民政府").contains("省级"));
        assert!(reason("岳阳市人民政府").contains("市"));
        assert!(reason("君山区人民政府").contains("其他区县"));
        assert!(reason("国务院国有资产监督管理委员会").contains("国务院"));
        assert!(reason("岳阳市教育局").contains("discover_include"));
        assert_eq!(d.sites.len(), 5);
        assert_eq!(d.sites[1].role, Role::Department);
        let text = render_decisions(&d.decisions);
        assert!(text.starts_with("自动发现：纳入 5 个网站，排除 8 个"));
    }

    #[test]
    fn config_include_and_exclude_override_the_scope_and_exclusion_wins() {
        let portal = Url::parse("http://www.yunxiqu.gov.cn/").unwrap();
        let include = vec!["www.yueyang.gov.cn".to_string(), "区教育局".to_string()];
        let exclude = vec![
            "区教育局".to_string(),
            "http://www.yunxiqu.gov.cn/rfb/".to_string(),
        ];
        let s = Scope {
            district: "云溪区",
            include: &include,
            exclude: &exclude,
        };
        let d = discover(&portal, WIDE_PORTAL, &[], &names(), &s);
        let included: Vec<&str> = d.sites.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(
            included,
            vec![
                "国家税务总局岳阳市云溪区税务局",
                "岳阳市生态环境局云溪分局",
                "岳阳市人民政府",
                "岳阳市教育局",
                "岳阳市公安局云溪分局",
            ]
        );
        let rfb = d
            .decisions
            .iter()
            .find(|x| x.name == "区人民防空办公室")
            .unwrap();
        assert!(!rfb.included && rfb.reason.contains("discover_exclude"));
    }

    #[test]
    fn the_districts_own_office_is_a_unit_and_its_government_the_portal() {
        assert_eq!(other_government("区政府办公室", "孟津区"), None);
        assert_eq!(other_government("孟津区人民政府办公室", "孟津区"), None);
        assert_eq!(other_government("城关镇人民政府", "孟津区"), None);
        assert!(
            other_government("洛阳市孟津区人民政府", "孟津区").is_some_and(|r| r.contains("本级"))
        );
        assert!(
            other_government("偃师区人民政府办公室", "孟津区")
                .is_some_and(|r| r.contains("其他区县"))
        );
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable("www.mengjin.gov.cn"), "mengjin.gov.cn");
        assert_eq!(registrable("jyj.mengjin.gov.cn"), "mengjin.gov.cn");
        assert_eq!(registrable("www.example.com"), "example.com");
        assert_eq!(registrable("127.0.0.1"), "127.0.0.1");
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
        let found = discover(&portal, PORTAL, &[], &names(), &scope()).sites;
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
        let found = discover(&portal, PORTAL, &configured, &names(), &scope()).sites;
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
