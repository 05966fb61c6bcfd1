//! The simulated district: a deterministic 孟津区-like portal with 44 部门/乡镇街道 subsites,
//! served over HTTP on loopback for `govscore demo`, `govscore sim`, the integration tests
//! and the benchmarks.
//!
//! Owns: the ground-truth model of every site, column and item ([`District`]), its seeded
//! generator (`generate`), the HTML that real 政府网站 serve for it (`render`, following
//! `cms-patterns.md` §9 items 1–13: TRS `ul/li` and legacy-table lists, `createPageHTML`
//! pagers, Hanweb datastores and `dataproxy.jsp`, Guangdong `index_2.html`, `list.shtml`,
//! query-string, jump-list, next-link and VSB pagers, meta tags in several dialects, GBK
//! town sites, walls) and the loopback server ([`SimServer`]).
//!
//! Must not: reach the network beyond the address it binds, read the system clock to decide
//! content (everything is dated from [`SimConfig::as_of`] and [`SimServer::set_today`]), or
//! shape its HTML for the convenience of govscore's own extractor — the crawler has to
//! cope with it the way it copes with real sites.
//!
//! Layout of the shared host (the portal's; three subsites have hosts of their own):
//! - `/` the portal (要闻动态 `/xwzx/ywdt/`, 通知公告 `/zwgk/tzgg/`, 政策文件 `/zwgk/zcwj/`,
//!   政府信息公开年报 `/zwgk/zfxxgknb/`), linking every subsite from a 部门网站 list and a
//!   乡镇街道 `<select onchange="window.open(this.value)">` (one town only through
//!   `onclick="window.open('…')"`); subsites on other hosts are linked absolutely;
//! - `/bm/<id>/` departments and `/xz/<id>/` towns (`/` on a host of their own), each with
//!   最新动态 `zxdt/`, 党务公开 `dwgk/`, 通知公告 `tzgg/`, 机构概况 `jggk/`, 单位领导 `ldxx/`,
//!   政府信息公开年报 `zfxxgknb/`;
//! - TRS list pages `index.html`, `index_1.html`, … (20 items a page), articles
//!   `<column>/YYYYMM/tYYYYMMDD_<docid>.html`, `robots.txt` allowing everything.
//!
//! CMS families of the standard district (units picked by the seed among those without
//! another layout quirk; see [`ListLayout`], [`Cms`], [`ListDates`], [`PubDateStyle`]):
//! - two Hanweb departments: `col/col{id}/index.html` with the first `3 × perPage` records
//!   in a `<script type="text/xml"><datastore>`, `var param_…`, a jpage config and
//!   `POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=` for the rest
//!   (perPage 5 on one, so the proxy is needed within a quarter; the other, perPage 15 with
//!   `[YYYY-MM-DD]` dates, lives on a host of its own); articles `art/Y/M/D/art_{col}_{id}.html`;
//! - a Guangdong department (`index_2.html`, `a.next` 下一页/尾页, `YYYY/MM/DD`,
//!   `content/post_N.html`), a `list.shtml` department (`list_2.shtml`, `YYYY年M月D日`,
//!   32-hex `.shtml` articles with a 信息公开 metadata block), `?page=N` (lower-case
//!   `pubdate` meta) and `?cur_page=N` (`YYYY.MM.DD`) departments, a TRS department whose only
//!   pager is an `<option value="index_3.html">` jump list, a VSB department
//!   (`list.htm` → `list/{P-1}.htm`, `/info/N/N.htm`), and a Dede-like town on a host of its
//!   own (`list_{id}_2.html` behind plain 下一页 links, no dates in the list, date-only
//!   `PubDate`);
//! - everything else is TRS (`PubDate` `YYYY-MM-DD HH:MM`, with seconds on some sites).
//!
//! Deliberate flaws of the standard district (seeded; the model is the ground truth):
//! - six units miss specific recent weeks in 最新动态 and/or 党务公开 (0 or 1 item; see
//!   [`SimColumn::short_weeks`]); every other full week has 2–4 items (the portal 5–8);
//! - one unit's 党务公开 is blank ("暂无信息"); one unit's 通知公告 has nothing in the last
//!   200 days;
//! - pinned (置顶) old items top the portal's 通知公告 and three units' 最新动态; the
//!   portal's 要闻动态 and one unit's 最新动态 hold a `mp.weixin.qq.com` item;
//! - one unit published its latest annual report in February (late for a 部门/乡镇),
//!   another has not published it; one unit titles its reports `…年度政府信息公开…`;
//! - four units use the legacy table layout (`MM-DD` dates, truncated titles, inline pager
//!   code), five towns are GBK (some say so only in `<meta>`), eleven show leaders as cards;
//!   each table unit's 最新动态 lists an item `12-30` under a `t{year}0103_` URL (year crossing);
//! - about one modern-list article in ten has a URL `t`-date a day or two before its
//!   publish date (a TRS creation date), as on real sites;
//! - the Dede town's 最新动态 holds two items with no date anywhere ([`SimItem::undated`]);
//! - metadata ([`SimSite::meta_flaws`]): one town (own host) lacks `SiteIDCode` and
//!   `ContentSource`, one department prints the malformed code `41032A`, one department's
//!   articles lack the `PubDate` meta;
//! - pagers ([`SimColumn::pager_quirk`]): one department's 通知公告 (opened two months ago)
//!   declares two pages more than exist (404 past the real end); one town's 通知公告 declares
//!   three pages and serves page one for every page number;
//! - shapes of real sites added after generation (`shapes`, issue 10): one TRS unit on the
//!   Fujian `<dl><dd>` list template, one whose 政府信息公开年报 column lists a single undated
//!   report (its article carries the date);
//! - about one TRS 通知公告 article in three carries attachments: `var file_appendix='<a
//!   href="./P0….pdf">…'` and a `module/download/downfile.jsp?classid=0&filename=….xls` link,
//!   both served (a tiny PDF; an HTML table saved as `.xls`).
//!
//! - walk shapes (`walk_shapes`, the last suitable TRS departments): an old item pinned
//!   without a 置顶 mark, a list out of date order, a `gotoCurrentPage` script pager, a
//!   countdown pager (`maxPageNum`), and a 年报 column whose latest report is on page two.
//!
//! Home pages and names (issue 10, 首页不更新 and required columns; see [`HomeStyle`]):
//! table-layout units show `MM-DD` boxes, Hanweb units `<datastore>` boxes, the VSB unit a
//! navigation-only home page with a "今天是…" line; one plain TRS department links its
//! 党务公开 column as [`UNRECOGNISED_PARTY_NAME`]. The portal's 部门网站 list links the
//! 生态环境分局 by its vertically managed name (洛阳市生态环境局孟津分局), and a 相关链接
//! block links 国务院, the 省, the 市 and neighbouring 区/县 governments (other hosts, never
//! served).
//!
//! Behaviours switched on at run time ([`SimServer::set_behavior`],
//! [`SimServer::set_column_behavior`]): 521/412 walls, wzws 302 challenges, 503 throttling,
//! timeouts, and per-column 412/404/timeout-on-page-2/404-from-page-2 (a partial site) or a
//! script-rendered list (无法读取), and dead links ([`SimServer::set_dead_links`]: a removed
//! page linked from the portal's and one department's home pages, a page answering 500 on
//! every second request, a page behind a 412 wall).

mod annual;
mod dead_links;
mod generate;
mod minimum;
mod names;
mod render;
mod rng;
mod server;
mod shapes;
pub mod slips;
mod walk_shapes;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_patterns;
#[cfg(test)]
mod tests_verdicts;

use crate::model::{ColumnClass, Role};
use chrono::{NaiveDate, NaiveTime};
use std::collections::BTreeMap;

pub use dead_links::{DeadLinkKind, SimDeadLink};
pub use minimum::{META_SAMPLE, MinimumRequests};
pub use names::OTHER_GOVERNMENTS;
pub use render::MALFORMED_SITE_ID_CODE;
pub use server::SimServer;

/// Items shown per list page (TRS default templates show 20).
pub const PAGE_SIZE: usize = 20;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// Seed of the generator: the same seed gives the same district.
    pub seed: u64,
    /// The day the district is generated "as of": items are dated relative to it, and the
    /// server shows the district as it stood that day unless told otherwise.
    pub as_of: NaiveDate,
    /// Number of 部门/乡镇 subsites (at most 44: 30 departments and 14 towns/streets;
    /// larger values are clamped). Smaller values keep the 30:14 proportion.
    pub subsites: usize,
    /// How far back the regular columns reach, in days.
    pub history_days: u32,
    /// How far past `as_of` items are generated (published later, invisible until then).
    pub future_days: u32,
    /// Items to mark as backdated (published online well after their publish date).
    pub backdated: Vec<Backdate>,
}

impl SimConfig {
    /// The standard district: seed 2022, 44 subsites, 200 days of history, no future.
    pub fn new(as_of: NaiveDate) -> Self {
        SimConfig {
            seed: 2022,
            as_of,
            subsites: 44,
            history_days: 200,
            future_days: 0,
            backdated: Vec::new(),
        }
    }
}

/// A request to backdate one item: in the column of `class` on site `site_id`, the newest
/// regular item whose date plus `lag_days` is still on or before `as_of` becomes visible
/// only `lag_days` after its publish date (补发/倒签: it shows an old date when it appears).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backdate {
    /// The site's id.
    pub site_id: String,
    /// The column's class (the first column of that class is used).
    pub class: ColumnClass,
    /// Days between the publish date and the first day the item is online.
    pub lag_days: u32,
}

/// The simulated district: the portal first, then departments, then towns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// Display name, 孟津区.
    pub name: String,
    /// The day it was generated as of.
    pub as_of: NaiveDate,
    /// The seed it was generated from (article bodies are derived from it on request).
    pub seed: u64,
    /// Every site, portal first.
    pub sites: Vec<SimSite>,
}

/// One site of the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimSite {
    /// Config id: `portal`, or the unit's pinyin slug (`jyj`, `cgz`, …).
    pub id: String,
    /// The unit's name as the site shows it (孟津区人民政府, 孟津区教育局, 城关镇人民政府).
    pub name: String,
    /// portal | department | town.
    pub role: Role,
    /// Path of the home page on its host: `/` for the portal, `/bm/jyj/`, `/xz/cgz/` on the
    /// shared host; `/` for a subsite served on a host of its own.
    pub path: String,
    /// Which host serves it: 0 is the shared host (the portal's); a subsite with `host > 0`
    /// has a loopback listener of its own (another "host" with its own port), and
    /// [`SimServer::site_url`] gives its real URL.
    pub host: usize,
    /// The CMS that built it: decides the article template and URL scheme.
    pub cms: Cms,
    /// How its article pages write the `PubDate` meta tag.
    pub pubdate_style: PubDateStyle,
    /// Deliberate flaws of its page metadata (ground truth for the metadata check).
    pub meta_flaws: Vec<MetaFlaw>,
    /// Served in GBK (`<meta charset="gb2312">`).
    pub charset_gbk: bool,
    /// For a GBK site: whether the HTTP `Content-Type` header also names the charset
    /// (when false only the `<meta>` does).
    pub gbk_in_header: bool,
    /// How the site answers by default (the server can switch it).
    pub behavior: SiteBehavior,
    /// The latest annual report's table 三 has a 总计 one higher than its row's sum (an
    /// R2 error, and R1 on the 总计 column): the unit with an inconsistent report.
    pub annual_inconsistent: bool,
    /// Its columns, in navigation order.
    pub columns: Vec<SimColumn>,
    /// Its latest annual report deviates from the 2021 form: the old single （六）其他处理
    /// row kept and a row label misprinted (layout warnings, no error).
    pub annual_layout_deviates: bool,
}

/// The CMS family a site was built with (cms-patterns.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cms {
    /// TRS WCM: `t20230105_123.html` articles, `TRS_Editor` bodies.
    Trs,
    /// Hanweb JCMS (大汉): `/art/2023/1/5/art_{col}_{id}.html`, `Maketime`/`i_columnid`
    /// metas and `<$[…]>` template markers.
    Hanweb,
    /// Guangdong 集约化: `/content/post_NNNNNNN.html`, `title_info` line.
    Guangdong,
    /// `list.shtml` + 32-hex `.shtml` articles with a 信息公开 metadata block.
    UuidShtml,
    /// 博达 VSB: `/info/NNNN/NNNNN.htm`, `v_news_content` bodies.
    Vsb,
    /// Small-site CMS (Dede-like): `/<col>/NNNNN.html` articles without dates in the URL.
    Dede,
}

/// How a site's articles write the `PubDate` meta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PubDateStyle {
    /// `<meta name="PubDate" content="2023-01-05 09:30">` (the spec format).
    Minutes,
    /// With seconds: `2023-01-05 09:30:00`.
    Seconds,
    /// Date only: `2023-01-05`.
    DateOnly,
    /// Lower-case name: `<meta name="pubdate" content="2023-01-05 09:30"/>`.
    LowerCase,
    /// No `PubDate` meta at all (the visible 发布时间 line is the only date).
    Absent,
}

/// A deliberate flaw of a site's page metadata (国办发〔2017〕47号 meta group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaFlaw {
    /// No `SiteIDCode` meta on any page.
    MissingSiteIdCode,
    /// No `ContentSource` meta on article pages.
    MissingContentSource,
    /// `SiteIDCode` present but malformed (not ten digits, e.g. `41032A`).
    MalformedSiteIdCode,
    /// Article pages have no `PubDate` meta (visible date only).
    MissingPubDate,
}

/// How a site answers requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiteBehavior {
    /// Serves its pages.
    Normal,
    /// 加速乐-style wall: every page answers 521 with a JS cookie challenge and
    /// `Set-Cookie: __jsluid_h=…`.
    Wall521,
    /// 瑞数-style wall: every page answers 412 with a `$_ts` challenge body.
    Wall412,
    /// Never answers in time: the request hangs far past any client timeout.
    Timeout,
    /// 安恒 wzws-style challenge: every page answers 302 to
    /// `/WZWS_CHALLENGE?wzwschallenge=…` with `Set-Cookie: wzws_cid=…`.
    Wzws,
    /// Plain throttling: every page answers 503 with `Retry-After: 120`.
    Throttle503,
    /// The home page is saved as UTF-16LE without a byte-order mark and served as plain
    /// `text/html` (an IIS page saved as "Unicode"); every other page is normal.
    HomeUtf16,
    /// The home page carries a stray NUL byte in its first KiB (a CMS template bug);
    /// every other page is normal.
    HomeStrayNul,
    /// The home page answers 200 `text/html` with bytes that are not text (a gzip stream
    /// without `Content-Encoding`); every other page is normal.
    HomeUndecodable,
    /// `/robots.txt` of the site's host answers 500 (pages are normal). Give it to a
    /// subsite on a host of its own, or every site of the shared host is affected.
    Robots500,
}

/// How one column's list pages answer while the rest of the site works (a partial site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnBehavior {
    /// Serves its pages.
    Normal,
    /// Every list page of the column answers a 瑞数-style 412.
    Wall412,
    /// Every list page of the column answers 404.
    NotFound,
    /// The first list page works; every later one (and every data-proxy request) hangs.
    TimeoutOnPage2,
    /// The first list page works; every later one (and every data-proxy request) answers
    /// 404 (a broken countdown pager, as on 丰城's site).
    NotFoundFromPage2,
    /// The list is drawn in the browser: the column page holds only a `v-for` template and
    /// the script that loads the entries, none of them in its source (govscore must say
    /// 无法读取, never 空白).
    ScriptRendered,
}

/// A list shape that decides how far a column walk must go (see `walk_shapes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WalkShape {
    /// The list as its layout renders it.
    None,
    /// Its pinned old item carries no 置顶 mark.
    UnmarkedPin,
    /// An item from months ago sits in the middle of page one.
    Unsorted,
    /// Paged only by `javascript:gotoCurrentPage('k')` links and a `<select>`.
    GotoPager,
    /// Paged by a countdown pager: page two is `index_{N-1}.html`, the last `index_1.html`.
    Countdown,
    /// A 年报 column whose latest report is on page two.
    ReportOnPage2,
}

/// A deliberately broken pager (the real list is unchanged; only the pager lies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PagerQuirk {
    /// The pager is honest.
    None,
    /// `createPageHTML` declares this many pages more than exist; they answer 404.
    Overstates(usize),
    /// The pager declares this many pages, and every page number serves page one again.
    RepeatsFirst(usize),
}

/// How a list writes its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListDates {
    /// `2023-01-05`.
    Iso,
    /// `[2023-01-05]`.
    Bracketed,
    /// `2023/01/05`.
    Slash,
    /// `2023.01.05`.
    Dot,
    /// `2023年1月5日`.
    Chinese,
    /// `01-05` (legacy tables; the year comes from the URL).
    MonthDay,
    /// No date in the list: only the article pages carry it.
    None,
}

/// One column of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimColumn {
    /// The link text in the site's navigation (最新动态, 党务公开, …).
    pub name: String,
    /// Its class.
    pub class: ColumnClass,
    /// Absolute path of the list page (`/bm/jyj/zxdt/`).
    pub path: String,
    /// How the list is rendered and paged.
    pub layout: ListLayout,
    /// How the list writes dates.
    pub list_dates: ListDates,
    /// A deliberately broken pager, if any.
    pub pager_quirk: PagerQuirk,
    /// The CMS's column id (Hanweb `columnid`, Dede `list_{id}_N`, VSB `/info/{id}/`).
    pub column_id: u64,
    /// Items in list order (pinned first, then newest first). A `SinglePage` column has
    /// one item whose path is the column page itself (its 发布时间 is the item's date);
    /// a blank column has none.
    pub items: Vec<SimItem>,
    /// Mondays of the weeks in which this column was deliberately given fewer than two
    /// items (the "missed week" ground truth for cadence checks).
    pub short_weeks: Vec<NaiveDate>,
    /// A list shape for the column walk (order, marks, script pagers).
    pub walk_shape: WalkShape,
}

/// How a column's list page is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListLayout {
    /// TRS `ul/li` list with `YYYY-MM-DD` dates and the `createPageHTML` pager.
    TrsList,
    /// Legacy TRS table list: one `<tr>` per item, `MM-DD` dates only, truncated titles.
    TrsTable,
    /// The column page is itself an article (机构概况, 单位领导).
    SinglePage,
    /// Leader cards: `<li><img><a href="./YYYYMM/t….html">张三</a><span>局长</span></li>`,
    /// no dates in the list (the per-leader pages carry them).
    Cards,
    /// Hanweb jpage: the column page `col/col{id}/index.html` embeds the first
    /// `3 × per_page` records as `<datastore>` XML; later records come from
    /// `POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=`.
    Hanweb {
        /// Records per jpage page.
        per_page: usize,
    },
    /// Guangdong: `index.html` → `index_2.html` (no `index_1`), `div.pages` with a
    /// `a.next` 下一页 link and 尾页.
    Guangdong,
    /// `list.shtml` → `list_2.shtml`, 下一页/尾页 links.
    ShtmlList,
    /// Query-string pages: `./?page=2` (or `cur_page=2`), 下一页/尾页 links.
    QueryPage {
        /// The parameter's name (`page`, `cur_page`).
        param: &'static str,
    },
    /// TRS numbering (`index_3.html` is page four) whose only pager is an `<option>` jump list.
    JumpList,
    /// Dede-like: `index.html` → `list_{id}_2.html`, only 上一页/下一页 links (no total).
    NextLink,
    /// VSB: `list.htm` → `list/{P-1}.htm` → … → `list/1.htm` (numbers count down).
    VsbDown,
    /// Fujian province TRS 集约化 platform: one `<dl><dd><a>title</a></dd><dd>date</dd></dl>`
    /// per entry, TRS page names and `createPageHTML` pager (see `shapes`).
    DlRows,
}

/// One item of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimItem {
    /// Full title.
    pub title: String,
    /// Absolute path on the shared host, or a full URL for an off-site item.
    pub path: String,
    /// Publish date (shown in the list and as `PubDate`).
    pub date: NaiveDate,
    /// Publish time of day (shown as `PubDate` / 发布时间 `HH:MM`).
    pub time: NaiveTime,
    /// First day the item is online; equal to `date` except for backdated items.
    pub visible_from: NaiveDate,
    /// Shown 置顶 at the top of the list.
    pub pinned: bool,
    /// TRS document id (the number in `t20220523_<docid>.html`); 0 for off-site items.
    pub doc_id: u64,
    /// Carries no date anywhere (no list date, no meta, no visible date, no date in the
    /// URL). `date` then only orders the item in its list; ground-truth counts
    /// ([`SimColumn::visible_items`], `weekly_counts`, `last_update`) leave it out.
    pub undated: bool,
}

impl SimItem {
    /// Whether the item links off the simulated host (mp.weixin.qq.com …).
    pub fn is_offsite(&self) -> bool {
        self.path.starts_with("http://") || self.path.starts_with("https://")
    }
}

impl District {
    /// Generates the district for `cfg`; the same config always gives the same district.
    pub fn generate(cfg: &SimConfig) -> District {
        generate::generate(cfg)
    }

    /// The site with this id.
    pub fn site(&self, id: &str) -> Option<&SimSite> {
        self.sites.iter().find(|s| s.id == id)
    }

    /// The portal (the first site).
    pub fn portal(&self) -> Option<&SimSite> {
        self.sites.iter().find(|s| s.role == Role::Portal)
    }

    /// Reposts a department's article on the portal, as portals do with 部门动态 and
    /// forwarded notices: the newest dated, unpinned item of the first department on the
    /// shared host with a TRS column of `class` (whose items carry attachments) is also
    /// listed, under the same URL, in the portal's column of that class. Returns its path;
    /// None when either column does not exist. The article is served as the department's.
    pub fn add_repost(&mut self, class: ColumnClass) -> Option<String> {
        let as_of = self.as_of;
        let item = self
            .sites
            .iter()
            .filter(|s| s.role == Role::Department && s.host == 0 && s.cms == Cms::Trs)
            .find_map(|s| {
                let col = s.columns.iter().find(|c| c.class == class)?;
                col.items
                    .iter()
                    .filter(|i| !i.pinned && !i.undated && !i.is_offsite())
                    .filter(|i| i.visible_from <= as_of && i.doc_id.is_multiple_of(3))
                    .max_by_key(|i| (i.date, i.doc_id))
                    .cloned()
            })?;
        let portal = self.sites.iter_mut().find(|s| s.role == Role::Portal)?;
        let column = portal.columns.iter_mut().find(|c| c.class == class)?;
        // List order: pinned first, then newest first.
        let at = column
            .items
            .iter()
            .position(|i| !i.pinned && (i.date, i.doc_id) < (item.date, item.doc_id))
            .unwrap_or(column.items.len());
        let path = item.path.clone();
        column.items.insert(at, item);
        Some(path)
    }

    /// Makes the list of `site_id`'s column of `class` show no dates: only its article pages
    /// carry them, so a crawler reads every article in the window for its date. False when
    /// the site or the column does not exist.
    pub fn hide_list_dates(&mut self, site_id: &str, class: ColumnClass) -> bool {
        let column = self
            .sites
            .iter_mut()
            .find(|s| s.id == site_id)
            .and_then(|s| s.columns.iter_mut().find(|c| c.class == class));
        match column {
            Some(c) => {
                c.list_dates = ListDates::None;
                true
            }
            None => false,
        }
    }

    /// Backdates one item (see [`Backdate`]) and returns its path, or None when the site,
    /// the column or a suitable item does not exist.
    pub fn mark_backdated(
        &mut self,
        site_id: &str,
        class: ColumnClass,
        lag_days: u32,
    ) -> Option<String> {
        let as_of = self.as_of;
        let site = self.sites.iter_mut().find(|s| s.id == site_id)?;
        let column = site.columns.iter_mut().find(|c| c.class == class)?;
        let lag = chrono::Days::new(u64::from(lag_days));
        let item = column
            .items
            .iter_mut()
            .filter(|i| {
                !i.pinned
                    && !i.undated
                    && i.visible_from == i.date
                    && column.layout != ListLayout::SinglePage
            })
            .filter(|i| i.date.checked_add_days(lag).is_some_and(|d| d <= as_of))
            .max_by_key(|i| (i.date, i.doc_id))?;
        item.visible_from = item.date.checked_add_days(lag)?;
        Some(item.path.clone())
    }
}

/// How a site's home page shows its content (the three cases of 首页不更新).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HomeStyle {
    /// TRS boxes of the latest items, `YYYY-MM-DD` dates.
    Boxes,
    /// Legacy table boxes with `MM-DD` dates (the table-layout units).
    MonthDayBoxes,
    /// Hanweb: each box is a `<script type="text/xml"><datastore>` of records (the Hanweb
    /// units).
    Datastore,
    /// Navigation only: column links and a "今天是…" date line, no list (the VSB unit).
    NavigationOnly,
}

/// The 党务公开 column of one department is linked as this name, which no built-in name
/// matches (a unit without a recognisable 党务公开 column, see [`District::generate`]).
pub const UNRECOGNISED_PARTY_NAME: &str = "支部生活";

impl SimSite {
    /// How its home page is rendered (derived from its CMS and list layouts).
    pub fn home_style(&self) -> HomeStyle {
        if self.cms == Cms::Vsb {
            HomeStyle::NavigationOnly
        } else if self
            .columns
            .iter()
            .any(|c| matches!(c.layout, ListLayout::Hanweb { .. }))
        {
            HomeStyle::Datastore
        } else if self
            .columns
            .iter()
            .any(|c| c.layout == ListLayout::TrsTable)
        {
            HomeStyle::MonthDayBoxes
        } else {
            HomeStyle::Boxes
        }
    }

    /// Whether the site's pages carry `flaw`.
    pub fn has_flaw(&self, flaw: MetaFlaw) -> bool {
        self.meta_flaws.contains(&flaw)
    }

    /// The first column of a class.
    pub fn column(&self, class: ColumnClass) -> Option<&SimColumn> {
        self.columns.iter().find(|c| c.class == class)
    }
}

impl SimColumn {
    /// Whether its link text contains a built-in name of its class (CONTRACT §2), so a
    /// crawler finds it by name; false for [`UNRECOGNISED_PARTY_NAME`].
    pub fn recognisable(&self) -> bool {
        self.class
            .builtin_names()
            .iter()
            .any(|n| self.name.contains(n))
    }

    /// Ground truth: the dated items a visitor sees on `today`, in list order (pinned
    /// first, then newest first). Undated items are listed but not counted: see
    /// [`SimColumn::listed_items`].
    pub fn visible_items(&self, today: NaiveDate) -> Vec<&SimItem> {
        self.items
            .iter()
            .filter(|i| i.visible_from <= today && !i.undated)
            .collect()
    }

    /// Every item the list shows on `today`, undated ones included, in list order.
    pub fn listed_items(&self, today: NaiveDate) -> Vec<&SimItem> {
        self.items
            .iter()
            .filter(|i| i.visible_from <= today)
            .collect()
    }

    /// The directory of the list page (`/bm/jyj/zxdt/` for `/bm/jyj/zxdt/list.shtml`).
    pub fn dir(&self) -> &str {
        match self.path.rfind('/') {
            Some(i) => &self.path[..=i],
            None => &self.path,
        }
    }

    /// Ground truth for cadence checks: visible items published on or before `today`,
    /// counted per ISO week (keyed by the week's Monday). Weeks without items are absent.
    pub fn weekly_counts(&self, today: NaiveDate) -> BTreeMap<NaiveDate, usize> {
        let mut out = BTreeMap::new();
        for item in self
            .visible_items(today)
            .into_iter()
            .filter(|i| i.date <= today)
        {
            *out.entry(generate::monday_of(item.date)).or_insert(0) += 1;
        }
        out
    }

    /// Ground truth for freshness checks: the newest publish date among the items
    /// visible on `today` (None for a blank column).
    pub fn last_update(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.visible_items(today)
            .into_iter()
            .map(|i| i.date)
            .filter(|d| *d <= today)
            .max()
    }

    /// Number of real list pages on `today` (at least 1, even for an empty list). A Hanweb
    /// column has one HTML page (later records come from the data proxy).
    pub fn page_count(&self, today: NaiveDate) -> usize {
        if matches!(self.layout, ListLayout::Hanweb { .. }) {
            return 1;
        }
        self.listed_items(today).len().div_ceil(PAGE_SIZE).max(1)
    }

    /// The path of list page `k` (0-based) when the list has `pages` pages.
    pub fn page_path(&self, k: usize, pages: usize) -> String {
        let dir = self.dir();
        if k == 0 {
            return self.path.clone();
        }
        if self.walk_shape == WalkShape::Countdown {
            return format!("{dir}index_{}.html", pages.saturating_sub(k));
        }
        match self.layout {
            ListLayout::Guangdong => format!("{dir}index_{}.html", k + 1),
            ListLayout::ShtmlList => format!("{dir}list_{}.shtml", k + 1),
            ListLayout::QueryPage { param } => format!("{dir}?{param}={}", k + 1),
            ListLayout::NextLink => format!("{dir}list_{}_{}.html", self.column_id, k + 1),
            ListLayout::VsbDown => format!("{dir}list/{}.htm", pages.saturating_sub(k)),
            _ => format!("{dir}index_{k}.html"),
        }
    }

    /// Which list page (0-based) `file` (the path below [`SimColumn::dir`]) with `query`
    /// names when the list has `pages` pages; None when it names none. Pages past the end
    /// are returned as such (the caller answers 404 or applies a pager quirk).
    pub fn parse_page(&self, file: &str, query: Option<&str>, pages: usize) -> Option<usize> {
        let own = self.path.rsplit('/').next().unwrap_or("");
        let first = file.is_empty() || file == own || file == "index.html";
        match self.layout {
            ListLayout::QueryPage { param } => {
                if !(file.is_empty() || file == "index.html") {
                    return None;
                }
                let n = query
                    .unwrap_or("")
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(param)?.strip_prefix('='))
                    .map(|v| v.parse::<usize>().ok());
                match n {
                    None => Some(0),
                    Some(Some(n)) if n >= 1 => Some(n - 1),
                    Some(_) => None,
                }
            }
            _ if first => Some(0),
            _ if self.walk_shape == WalkShape::Countdown => {
                // index_{pages-1}.html is page two; numbers past the top are no page.
                let n = numbered(file, "index_", ".html").filter(|n| *n >= 1)?;
                if n >= pages { None } else { Some(pages - n) }
            }
            ListLayout::Guangdong => numbered(file, "index_", ".html")
                .filter(|n| *n >= 2)
                .map(|n| n - 1),
            ListLayout::ShtmlList => numbered(file, "list_", ".shtml")
                .filter(|n| *n >= 2)
                .map(|n| n - 1),
            ListLayout::NextLink => numbered(file, &format!("list_{}_", self.column_id), ".html")
                .filter(|n| *n >= 2)
                .map(|n| n - 1),
            ListLayout::VsbDown => {
                let n = numbered(file, "list/", ".htm").filter(|n| *n >= 1)?;
                // list/{pages-1}.htm is page two; numbers past the top are no page.
                if n >= pages { None } else { Some(pages - n) }
            }
            ListLayout::Hanweb { .. } => None,
            _ => numbered(file, "index_", ".html").filter(|n| *n >= 1),
        }
    }
}

fn numbered(file: &str, prefix: &str, suffix: &str) -> Option<usize> {
    let n = file.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}
