//! What a site's home page shows for the 首页不更新 rule (国办秘函〔2019〕19号): the dated
//! items of its list blocks (lists, table rows, Hanweb `<datastore>` records), whether it is
//! navigation only, or whether its lists are loaded by script and cannot be read here.
//!
//! A date counts only when it belongs to an item: a row holding exactly one article link.
//! A clock, a "今天是2023年2月15日" line or a copyright year is not an item date. `MM-DD`
//! dates take their year from the day the page was fetched (a later day is last year's).
//!
//! Pure: it reads one decoded page. Must not judge: the rule (checks::freshness, rules)
//! decides what the dates mean.

use super::dates::{find_date, find_month_day, parse_date, parse_month_day};
use super::text::{element_text, element_text_skipping};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

/// Shortest link text taken for an item title; shorter texts are navigation (首页, 更多).
const MIN_TITLE_CHARS: usize = 6;
/// How far up from a link the row holding its date is looked for.
const MAX_ROW_DEPTH: usize = 4;
/// Undated item rows (long link texts in `li`/`tr`/`dd` rows) that make a page's lists
/// "undated lists" rather than navigation.
const MIN_UNDATED_ROWS: usize = 3;

/// How the home page presents its content (首页不更新: which of the three cases applies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeLayout {
    /// The page shows dated items: they are judged.
    #[default]
    Dated,
    /// No dated list on the page (navigation only, or lists without dates): its 二级页面
    /// (the columns it links to) are judged.
    Navigation,
    /// List blocks are present but filled by script: the page cannot be read here.
    ScriptLoaded,
}

/// One dated item of the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeItem {
    /// Link text (or `title=` when longer, as truncated titles are).
    pub title: String,
    /// Absolute link.
    pub url: String,
    /// The date the page shows for it (year inferred for `MM-DD`).
    pub date: NaiveDate,
}

/// What [`read_home`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeRead {
    /// Which case applies.
    pub layout: HomeLayout,
    /// The dated items, in page order (datastore records after the page's own rows).
    pub items: Vec<HomeItem>,
    /// Item rows without a date.
    pub undated_rows: usize,
    /// Why the lists cannot be read (for `ScriptLoaded`).
    pub reason: Option<String>,
}

static ANCHORS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("static selector"));
static DATASTORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<datastore>(.*?)</datastore>").expect("static regex"));
static RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<record>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</record>")
        .expect("static regex")
});
/// Script that fills a page after it loads (ajax, JSON, a data proxy, an iframe list).
static SCRIPT_LOADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\$\.(?:ajax|get|post|getJSON)\s*\(|\.load\s*\(\s*['\x22]|XMLHttpRequest|\bfetch\s*\(|axios\.|dataproxy\.jsp|<iframe[^>]+src\s*=\s*['\x22]?[^'\x22\s>]*(?:list|news|xxgk|col|index)",
    )
    .expect("static regex")
});

/// Reads a home page fetched on `fetched_on`.
pub fn read_home(html: &str, base: &Url, fetched_on: NaiveDate) -> HomeRead {
    let html = super::bounded(html);
    let mut items = Vec::new();
    let mut undated_rows = 0;
    let mut seen = HashSet::new();
    scan(
        html,
        base,
        fetched_on,
        &mut items,
        &mut undated_rows,
        &mut seen,
    );
    for store in DATASTORE.captures_iter(html) {
        for rec in RECORD.captures_iter(&store[1]) {
            scan(
                &rec[1],
                base,
                fetched_on,
                &mut items,
                &mut undated_rows,
                &mut seen,
            );
        }
    }
    let (layout, reason) = if !items.is_empty() {
        (HomeLayout::Dated, None)
    } else if let Some(m) = SCRIPT_LOADER.find(html) {
        let what = m.as_str();
        let what = if what.to_ascii_lowercase().starts_with("<iframe") {
            "内嵌框架(iframe)"
        } else {
            "脚本加载"
        };
        (
            HomeLayout::ScriptLoaded,
            Some(format!("首页信息列表由{what}生成，无法读取")),
        )
    } else {
        (HomeLayout::Navigation, None)
    };
    let undated_rows = if undated_rows >= MIN_UNDATED_ROWS {
        undated_rows
    } else {
        0
    };
    HomeRead {
        layout,
        items,
        undated_rows,
        reason,
    }
}

fn is_item_link(a: ElementRef<'_>) -> bool {
    title_of(a).chars().count() >= MIN_TITLE_CHARS
}

fn title_of(a: ElementRef<'_>) -> String {
    let text = element_text(a);
    let title = a
        .value()
        .attr("title")
        .map(super::text::collapse_ws)
        .unwrap_or_default();
    if title.chars().count() > text.chars().count() {
        title
    } else {
        text
    }
}

fn scan(
    html: &str,
    base: &Url,
    fetched_on: NaiveDate,
    items: &mut Vec<HomeItem>,
    undated_rows: &mut usize,
    seen: &mut HashSet<String>,
) {
    let doc = Html::parse_document(html);
    for a in doc.select(&ANCHORS) {
        if !is_item_link(a) {
            continue;
        }
        let href = a.value().attr("href").unwrap_or("").trim();
        if href.is_empty()
            || href.starts_with('#')
            || href.to_ascii_lowercase().starts_with("javascript:")
        {
            continue;
        }
        let Ok(mut url) = base.join(href) else {
            continue;
        };
        url.set_fragment(None);
        match row_date(a, fetched_on) {
            Some(date) => {
                if seen.insert(url.to_string()) {
                    items.push(HomeItem {
                        title: title_of(a),
                        url: url.to_string(),
                        date,
                    });
                }
            }
            None => {
                if in_row(a) {
                    *undated_rows += 1;
                }
            }
        }
    }
}

/// Whether the link sits in a list row (`li`, `tr`, `dd`).
fn in_row(a: ElementRef<'_>) -> bool {
    a.ancestors()
        .take(MAX_ROW_DEPTH)
        .filter_map(ElementRef::wrap)
        .any(|e| matches!(e.value().name(), "li" | "tr" | "dd"))
}

/// The date of the row holding the link `a`: inside the link (a date `span`, `MM.DD` in
/// the link text's edge) or beside it in the nearest ancestor that holds no other item
/// link.
fn row_date(a: ElementRef<'_>, fetched_on: NaiveDate) -> Option<NaiveDate> {
    // A date element inside the link (`<a><span>2017-10-14</span>title</a>`).
    for child in a.descendants().filter_map(ElementRef::wrap).skip(1) {
        if let Some(d) = whole_date(&element_text(child), fetched_on) {
            return Some(d);
        }
    }
    let anchor_id = a.id();
    for row in a
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(MAX_ROW_DEPTH)
    {
        // A block of several items, or of several links (a navigation bar, a row of
        // entrances): a date in it is not this link's. One other link is allowed (a
        // `[栏目]` tag or a 更多 link in the row). Stops at the first link that decides it.
        let mut others = 0;
        for x in row
            .select(&ANCHORS)
            .filter(|x| x.id() != anchor_id)
            .filter(|x| x.value().attr("href") != a.value().attr("href"))
        {
            others += 1;
            if others > 1 || is_item_link(x) {
                return None;
            }
        }
        // Leaf elements beside the link that are a date and nothing else.
        for el in row.descendants().filter_map(ElementRef::wrap) {
            if el.id() == anchor_id || el.ancestors().any(|p| p.id() == anchor_id) {
                continue;
            }
            if el.children().any(|c| c.value().is_element()) {
                continue;
            }
            if let Some(d) = whole_date(&element_text(el), fetched_on) {
                return Some(d);
            }
        }
        let beside = element_text_skipping(row, |e| e.id() == anchor_id);
        if let Some(d) = find_date(&beside) {
            return Some(d);
        }
        if let Some((m, d)) = find_month_day(&beside) {
            return month_day(m, d, fetched_on);
        }
        if matches!(row.value().name(), "li" | "tr" | "dd") {
            break;
        }
    }
    None
}

/// A text that is a whole date (`2023-01-05`, `[2023-01-05]`, `01-05`, `01.05`, `1月5日`).
fn whole_date(text: &str, fetched_on: NaiveDate) -> Option<NaiveDate> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 24 {
        return None;
    }
    if let Some(d) = parse_date(t) {
        return Some(d);
    }
    let (m, d) = parse_month_day(t)?;
    month_day(m, d, fetched_on)
}

/// An `MM-DD` date in the year that puts it on or before the fetch day.
pub fn month_day(month: u32, day: u32, fetched_on: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(fetched_on.year(), month, day);
    match this_year {
        Some(d) if d <= fetched_on => Some(d),
        _ => NaiveDate::from_ymd_opt(fetched_on.year() - 1, month, day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn base() -> Url {
        Url::parse("http://www.x.gov.cn/").unwrap()
    }

    fn dates(r: &HomeRead) -> Vec<String> {
        r.items.iter().map(|i| i.date.to_string()).collect()
    }

    #[test]
    fn list_rows_with_full_dates_are_items_and_a_clock_line_is_not() {
        let html = r#"<html><body>
<div class="top">今天是2023年2月15日 星期三 <span id="clock">2023-02-15 10:31</span></div>
<div class="nav"><a href="/zwdt/">政务动态</a><a href="/tzgg/">通知公告</a></div>
<div class="box"><h3>政务动态</h3><ul>
<li><a href="/zwdt/202301/t20230109_1.html">区政府召开常务会议研究部署工作</a><span>2023-01-09</span></li>
<li><a href="/zwdt/202301/t20230105_2.html" title="关于做好春节期间安全生产工作的通知全文">关于做好春节期间安全生产…</a><span>[2023-01-05]</span></li>
</ul><a href="/zwdt/" class="more">更多&gt;&gt;</a></div>
<p>版权所有 2001-2023</p></body></html>"#;
        let r = read_home(html, &base(), d("2023-02-15"));
        assert_eq!(r.layout, HomeLayout::Dated);
        assert_eq!(dates(&r), ["2023-01-09", "2023-01-05"]);
        assert_eq!(r.items[1].title, "关于做好春节期间安全生产工作的通知全文");
        assert_eq!(
            r.items[0].url,
            "http://www.x.gov.cn/zwdt/202301/t20230109_1.html"
        );
    }

    #[test]
    fn month_day_rows_take_the_year_of_the_fetch_day_or_the_one_before() {
        let html = r#"<table>
<tr><td><a href="/a/1.html">全县新一轮活动和会议召开</a></td><td>&nbsp;</td><td>12-30</td></tr>
<tr><td><a href="/a/2.html">余珂现场督办县文体会展中心</a></td><td>&nbsp;</td><td>01-04</td></tr>
</table>"#;
        let r = read_home(html, &base(), d("2023-01-05"));
        assert_eq!(dates(&r), ["2022-12-30", "2023-01-04"]);
        assert_eq!(month_day(2, 29, d("2023-03-01")), None);
        assert_eq!(month_day(2, 29, d("2024-03-01")), Some(d("2024-02-29")));
    }

    #[test]
    fn a_date_inside_the_link_and_mm_dd_with_dots_are_read() {
        let html = r#"<ul><li><a href="/zdgz/1.shtml"><span>2017-10-14</span>全国旅游市场秩序综合整治</a></li>
<li><a href="/zdgz/2.shtml">文明旅游公益宣传活动启动</a><em>10.12</em></li></ul>"#;
        let r = read_home(html, &base(), d("2017-10-20"));
        assert_eq!(dates(&r), ["2017-10-14", "2017-10-12"]);
    }

    #[test]
    fn hanweb_datastore_records_are_items() {
        let html = r#"<div id="38486"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/col/col1/index.html?uid=38486&pageNum=2">下一页</a>]]></nextgroup><recordset>
<record><![CDATA[<li><a href="/art/2023/2/3/art_1_9.html" title="关于春季森林防火工作的通知">关于春季森林防火工作的通知</a><span>2023-02-03</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2023/1/30/art_1_8.html">全区经济运行情况分析会召开</a><span>2023-01-30</span></li>]]></record>
</recordset></datastore></script></div>"#;
        let r = read_home(html, &base(), d("2023-02-15"));
        assert_eq!(r.layout, HomeLayout::Dated);
        assert_eq!(dates(&r), ["2023-02-03", "2023-01-30"]);
    }

    #[test]
    fn navigation_only_and_script_loaded_pages_are_told_apart() {
        let nav = r#"<html><body><div class="top">今天是2023年2月15日</div>
<ul class="nav"><li><a href="/zwdt/">政务动态</a></li><li><a href="/tzgg/">通知公告</a></li><li><a href="/dwgk/">党务公开</a></li></ul>
<div class="icons"><a href="/zwfw/"><img alt="政务服务"></a></div></body></html>"#;
        let r = read_home(nav, &base(), d("2023-02-15"));
        assert_eq!(r.layout, HomeLayout::Navigation);
        assert!(r.items.is_empty());
        let scripted = r#"<html><body><div class="box"><h3>政务动态</h3><ul id="news"></ul></div>
<script>$.ajax({url:'/api/news?size=8',success:function(d){$('#news').html(d)}});</script></body></html>"#;
        let r = read_home(scripted, &base(), d("2023-02-15"));
        assert_eq!(r.layout, HomeLayout::ScriptLoaded);
        assert!(r.reason.unwrap().contains("脚本"));
    }

    /// The real 嘉鱼县 home page (EmpireCMS, GB2312): a 政务动态 box of five rows dated
    /// `12-04`, and tabbed 政府文件 / 县委文件 boxes. Expected values written from the page.
    #[test]
    fn jiayu_home_page_month_day_boxes_are_read_as_dated_items() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/realworld/jiayu/index.html"
        );
        let Ok(bytes) = std::fs::read(path) else {
            println!("skipped: ../shared/realworld not found");
            return;
        };
        let text = crate::extract::charset::decode(&bytes, Some("text/html")).text;
        let base = Url::parse("http://www.jiayu.gov.cn/").unwrap();
        // Fetched early in 2013: `12-04` is last year's.
        let r = read_home(&text, &base, d("2013-01-05"));
        assert_eq!(r.layout, HomeLayout::Dated);
        let want = [
            // 政务动态
            (
                "全县新一轮“三万”活动和计划生育会议召开",
                "zhengwudongtai/2012-12-10/2015.html",
                "2012-12-04",
            ),
            (
                "余珂现场督办县文体会展中心建设进度",
                "zhengwudongtai/2012-12-10/2014.html",
                "2012-12-04",
            ),
            (
                "长鹿农庄董事长邹颂炫率专家组来嘉鱼考察",
                "zhengwudongtai/2012-12-10/2012.html",
                "2012-12-04",
            ),
            (
                "市创卫检查组赴嘉鱼检查创卫工作",
                "zhengwudongtai/2012-12-10/2011.html",
                "2012-12-04",
            ),
            (
                "嘉鱼疾控科研项目获湖北省科技成果证书",
                "zhengwudongtai/2012-12-10/2010.html",
                "2012-12-04",
            ),
            // 政府文件
            (
                "县人民政府办公室关于印发嘉鱼县喜迎“十八大",
                "zhengfuwenjian/2012-09-13/1865.html",
                "2012-09-13",
            ),
            (
                "县人民政府办公室关于印发嘉鱼县政务公开示范",
                "zhengfuwenjian/2012-09-13/1864.html",
                "2012-09-05",
            ),
            (
                "县人民政府办公室关于印发嘉鱼县突发地质灾害",
                "zhengfuwenjian/2012-09-13/1861.html",
                "2012-08-30",
            ),
            (
                "县人民政府关于推进低丘缓坡土地综合开发利用",
                "zhengfuwenjian/2012-09-13/1867.html",
                "2012-08-25",
            ),
            (
                "县人民政府办公室关于开展2012年“慈善一日捐",
                "zhengfuwenjian/2012-09-13/1863.html",
                "2012-08-25",
            ),
        ];
        let got: Vec<(String, String, String)> = r
            .items
            .iter()
            .map(|i| (i.title.clone(), i.url.clone(), i.date.to_string()))
            .collect();
        for (k, (title, tail, date)) in want.iter().enumerate() {
            assert_eq!(got[k].0, *title);
            assert_eq!(
                got[k].1,
                format!("http://www.jiayu.gov.cn/jiayuzhengwu/{tail}")
            );
            assert_eq!(got[k].2, *date, "{title}");
        }
        // 县委文件: five rows dated 09-04.
        assert_eq!(got.len(), 15);
        for g in &got[10..] {
            assert!(g.1.contains("/dangwugongkai/xianweigongzuo/zhongyaowenjian/2012-09-04/"));
            assert_eq!(g.2, "2012-09-04");
        }
        // Fetched on the day of the newest row: the same dates.
        let same_day = read_home(&text, &base, d("2012-12-04"));
        assert_eq!(
            same_day.items.iter().map(|i| i.date).max(),
            Some(d("2012-12-04"))
        );
    }

    #[test]
    fn a_lone_long_link_among_entrances_does_not_take_the_clock_date() {
        let html = r#"<div class="main"><div class="today">今天是2023年3月15日</div>
<div class="entrances"><a href="/zxdt/">最新动态</a><a href="/tzgg/">通知公告</a>
<a href="/zfxxgknb/">政府信息公开年报</a></div></div>"#;
        let r = read_home(html, &base(), d("2023-03-15"));
        assert_eq!(r.layout, HomeLayout::Navigation);
        assert!(r.items.is_empty(), "{:?}", r.items);
    }

    #[test]
    fn a_block_of_several_links_does_not_lend_its_one_date_to_them() {
        let html = r#"<div class="links"><a href="/a/1.html">第一条较长的标题文字</a>
<a href="/a/2.html">第二条较长的标题文字</a><span>2023-02-01</span></div>"#;
        let r = read_home(html, &base(), d("2023-02-15"));
        assert!(r.items.is_empty());
    }
}
