//! The seeded generator of the simulated district.
//!
//! Owns: deciding which units exist, which columns they have, how many items each column
//! gets in which week, and the deliberate flaws (missed weeks, a blank column, a stale
//! column, pinned old items, an off-site item, late/missing annual reports, GBK and
//! legacy-table sites). Must not render HTML or depend on anything but the config: the
//! same `SimConfig` always yields the same `District`.

use super::names::{self, DEPARTMENTS, DISTRICT, PORTAL_NAME, TOWNS};
use super::rng::SplitMix64;
use super::{
    Cms, District, ListDates, ListLayout, MetaFlaw, PagerQuirk, PubDateStyle, SimColumn, SimConfig,
    SimItem, SimSite, SiteBehavior,
};
use crate::model::{ColumnClass, Role};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use std::collections::{BTreeMap, BTreeSet};

/// Most subsites the name tables provide.
pub const MAX_SUBSITES: usize = DEPARTMENTS.len() + TOWNS.len();

/// First TRS document id handed out (ids grow with the publish date, as in a real WCM).
const FIRST_DOC_ID: u64 = 4_373_000;

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

/// The Monday of the ISO week containing `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    add_days(d, -i64::from(d.weekday().num_days_from_monday()))
}

/// What is special about a unit (decided once per district, from the seed).
#[derive(Debug, Default, Clone)]
struct Quirks {
    /// Weeks (Monday) → item count, for 最新动态 and/or 党务公开.
    news_short: BTreeMap<NaiveDate, u32>,
    party_short: BTreeMap<NaiveDate, u32>,
    blank_party: bool,
    stale_notice: bool,
    table_layout: bool,
    gbk: bool,
    gbk_in_header: bool,
    annual_late: bool,
    annual_missing: bool,
    annual_title_niandu: bool,
    annual_inconsistent: bool,
    pinned_news: bool,
    offsite_news: bool,
    leader_cards: bool,
    pattern: Pattern,
    annual_layout_deviates: bool,
}

/// Which CMS pattern (cms-patterns.md §9) a unit's site shows beyond the TRS default.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// Plain TRS (list or legacy table).
    #[default]
    Plain,
    /// Hanweb with perPage 5 (the data proxy is needed within a quarter).
    HanwebSmall,
    /// Hanweb with perPage 15, `[YYYY-MM-DD]` dates, on a host of its own (`<a>` link).
    HanwebOwnHost,
    Guangdong,
    Shtml,
    QueryPage,
    CurPage,
    JumpList,
    Vsb,
    /// Dede-like, no list dates, two undated items; own host (linked from the portal by
    /// the `<select>` or by `onclick`, whichever town comes first takes the `<select>`).
    Dede,
    /// No SiteIDCode/ContentSource; own host (`<select>` or `onclick`, as above).
    NoMetaOwnHost,
    BadSiteCode,
    NoPubDate,
    /// 通知公告 opened recently; its pager declares two pages too many.
    LyingPager,
    /// 通知公告 opened recently; every page number serves page one.
    RepeatingPager,
}

/// The department patterns, then the town patterns, handed to eligible units in order.
const DEPARTMENT_PATTERNS: [Pattern; 11] = [
    Pattern::HanwebSmall,
    Pattern::HanwebOwnHost,
    Pattern::Guangdong,
    Pattern::Shtml,
    Pattern::QueryPage,
    Pattern::CurPage,
    Pattern::JumpList,
    Pattern::Vsb,
    Pattern::BadSiteCode,
    Pattern::NoPubDate,
    Pattern::LyingPager,
];
const TOWN_PATTERNS: [Pattern; 3] = [
    Pattern::Dede,
    Pattern::NoMetaOwnHost,
    Pattern::RepeatingPager,
];

impl Pattern {
    fn cms(self) -> Cms {
        match self {
            Pattern::HanwebSmall | Pattern::HanwebOwnHost => Cms::Hanweb,
            Pattern::Guangdong => Cms::Guangdong,
            Pattern::Shtml => Cms::UuidShtml,
            Pattern::Vsb => Cms::Vsb,
            Pattern::Dede => Cms::Dede,
            _ => Cms::Trs,
        }
    }

    fn own_host(self) -> bool {
        matches!(
            self,
            Pattern::HanwebOwnHost | Pattern::Dede | Pattern::NoMetaOwnHost
        )
    }

    fn pubdate_style(self) -> PubDateStyle {
        match self {
            Pattern::HanwebSmall | Pattern::Guangdong | Pattern::JumpList => PubDateStyle::Seconds,
            Pattern::Shtml | Pattern::Dede => PubDateStyle::DateOnly,
            Pattern::QueryPage => PubDateStyle::LowerCase,
            Pattern::NoPubDate => PubDateStyle::Absent,
            _ => PubDateStyle::Minutes,
        }
    }

    fn meta_flaws(self) -> Vec<MetaFlaw> {
        match self {
            Pattern::NoMetaOwnHost => {
                vec![MetaFlaw::MissingSiteIdCode, MetaFlaw::MissingContentSource]
            }
            Pattern::BadSiteCode => vec![MetaFlaw::MalformedSiteIdCode],
            Pattern::NoPubDate => vec![MetaFlaw::MissingPubDate],
            _ => Vec::new(),
        }
    }

    /// Layout and date style of the unit's list columns.
    fn list_style(self, table: bool) -> (ListLayout, ListDates) {
        match self {
            Pattern::HanwebSmall => (ListLayout::Hanweb { per_page: 5 }, ListDates::Iso),
            Pattern::HanwebOwnHost => (ListLayout::Hanweb { per_page: 15 }, ListDates::Bracketed),
            Pattern::Guangdong => (ListLayout::Guangdong, ListDates::Slash),
            Pattern::Shtml => (ListLayout::ShtmlList, ListDates::Chinese),
            Pattern::QueryPage => (ListLayout::QueryPage { param: "page" }, ListDates::Iso),
            Pattern::CurPage => (ListLayout::QueryPage { param: "cur_page" }, ListDates::Dot),
            Pattern::JumpList => (ListLayout::JumpList, ListDates::Bracketed),
            Pattern::Vsb => (ListLayout::VsbDown, ListDates::Dot),
            Pattern::Dede => (ListLayout::NextLink, ListDates::None),
            _ if table => (ListLayout::TrsTable, ListDates::MonthDay),
            _ => (ListLayout::TrsList, ListDates::Iso),
        }
    }
}

struct Unit {
    id: String,
    short: String,
    name: String,
    role: Role,
    path: String,
}

/// Hands the §9 patterns to units that carry no other layout quirk (legacy tables, GBK,
/// blank or stale columns keep TRS), departments from the last one back, towns likewise.
fn assign_patterns(units: &[Unit], q: &mut [Quirks]) {
    let eligible = |i: usize, q: &Quirks| {
        !q.table_layout && !q.gbk && !q.blank_party && !q.stale_notice && units[i].id != "jyj"
    };
    for (role, patterns) in [
        (Role::Department, &DEPARTMENT_PATTERNS[..]),
        (Role::Town, &TOWN_PATTERNS[..]),
    ] {
        let picks: Vec<usize> = (0..units.len())
            .rev()
            .filter(|i| units[*i].role == role && eligible(*i, &q[*i]))
            .collect();
        for (p, i) in patterns.iter().zip(picks) {
            q[i].pattern = *p;
        }
    }
}

/// An item before paths and document ids are assigned.
#[derive(Default)]
struct Draft {
    title: String,
    date: NaiveDate,
    time: NaiveTime,
    pinned: bool,
    offsite: Option<String>,
    /// A URL creation date other than the usual one (the deliberate year-crossing item).
    made: Option<NaiveDate>,
    undated: bool,
}

fn time_of_day(rng: &mut SplitMix64) -> NaiveTime {
    let minutes = rng.range(8 * 60 + 30, 18 * 60) as u32;
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or(NaiveTime::MIN)
}

/// Dates of a weekly-cadence column: `lo..=hi` items each week (working days mostly),
/// overridden per week by `short`, clipped to `start..=end`.
fn weekly_dates(
    rng: &mut SplitMix64,
    start: NaiveDate,
    end: NaiveDate,
    lo: u64,
    hi: u64,
    short: &BTreeMap<NaiveDate, u32>,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut monday = monday_of(start);
    while monday <= end {
        let drawn = rng.range(lo, hi);
        let count = short.get(&monday).map(|c| u64::from(*c)).unwrap_or(drawn);
        let mut days: Vec<i64> = if count <= 5 {
            let mut all = vec![0, 1, 2, 3, 4];
            rng.shuffle(&mut all);
            all.truncate(count as usize);
            all
        } else {
            (0..count).map(|_| rng.range(0, 4) as i64).collect()
        };
        // Now and then a unit publishes on a Saturday (加班).
        if !days.is_empty() && rng.chance(0.08) {
            let k = rng.index(days.len());
            if !days.contains(&5) {
                days[k] = 5;
            }
        }
        for d in days {
            let date = add_days(monday, d);
            if date >= start && date <= end {
                out.push(date);
            }
        }
        monday = add_days(monday, 7);
    }
    out
}

/// Dates of an occasional column: each week one item with probability `p` (a second one
/// with probability `p2`), on working days.
fn sparse_dates(
    rng: &mut SplitMix64,
    start: NaiveDate,
    end: NaiveDate,
    p: f64,
    p2: f64,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut monday = monday_of(start);
    while monday <= end {
        let mut n = 0;
        if rng.chance(p) {
            n += 1;
            if rng.chance(p2) {
                n += 1;
            }
        }
        for _ in 0..n {
            let date = add_days(monday, rng.range(0, 4) as i64);
            if date >= start && date <= end {
                out.push(date);
            }
        }
        monday = add_days(monday, 7);
    }
    out
}

fn drafts(
    rng: &mut SplitMix64,
    dates: Vec<NaiveDate>,
    mut title: impl FnMut(&mut SplitMix64) -> String,
) -> Vec<Draft> {
    dates
        .into_iter()
        .map(|date| Draft {
            title: title(rng),
            date,
            time: time_of_day(rng),
            ..Draft::default()
        })
        .collect()
}

/// The last Monday of a week that ended on or before `as_of`.
fn last_full_week(as_of: NaiveDate) -> NaiveDate {
    if as_of.weekday() == Weekday::Sun {
        monday_of(as_of)
    } else {
        add_days(monday_of(as_of), -7)
    }
}

fn units(n: usize) -> Vec<Unit> {
    let n = n.min(MAX_SUBSITES);
    // Keep the 30:14 proportion for smaller districts, rounding towns to nearest.
    let towns_n = ((n * TOWNS.len() + MAX_SUBSITES / 2) / MAX_SUBSITES).min(TOWNS.len());
    let depts_n = (n - towns_n).min(DEPARTMENTS.len());
    let mut out = vec![Unit {
        id: "portal".to_string(),
        short: DISTRICT.to_string(),
        name: PORTAL_NAME.to_string(),
        role: Role::Portal,
        path: "/".to_string(),
    }];
    for (id, short) in DEPARTMENTS.iter().take(depts_n) {
        out.push(Unit {
            id: (*id).to_string(),
            short: (*short).to_string(),
            name: names::department_name(short),
            role: Role::Department,
            path: format!("/bm/{id}/"),
        });
    }
    for (id, short) in TOWNS.iter().take(towns_n) {
        out.push(Unit {
            id: (*id).to_string(),
            short: (*short).to_string(),
            name: names::town_name(short),
            role: Role::Town,
            path: format!("/xz/{id}/"),
        });
    }
    out
}

fn quirks(rng: &mut SplitMix64, units: &[Unit], as_of: NaiveDate, start: NaiveDate) -> Vec<Quirks> {
    let mut q = vec![Quirks::default(); units.len()];
    let subs: Vec<usize> = (1..units.len()).collect();
    if subs.is_empty() {
        return q;
    }
    let mut order = subs.clone();
    rng.shuffle(&mut order);
    let at = |k: usize| order[k % order.len()];

    // About six units miss specific weeks in the last quarter.
    let last = last_full_week(as_of);
    let candidates: Vec<NaiveDate> = (0..13)
        .map(|k| add_days(last, -7 * k))
        .filter(|m| *m >= monday_of(start) && *m > start)
        .collect();
    for &u in order.iter().take(6) {
        if candidates.is_empty() {
            break;
        }
        let which = rng.range(0, 2); // 0 news, 1 party, 2 both
        let mut weeks = candidates.clone();
        rng.shuffle(&mut weeks);
        weeks.truncate(rng.range(2, 4) as usize);
        for w in weeks {
            let count = rng.range(0, 1) as u32;
            if which != 1 {
                q[u].news_short.insert(w, count);
            }
            if which != 0 {
                q[u].party_short.insert(w, count);
            }
        }
    }
    q[at(6)].blank_party = true;
    q[at(7)].stale_notice = true;
    for k in 8..12 {
        q[at(k)].table_layout = true;
    }
    q[at(12)].annual_late = true;
    q[at(13)].annual_missing = true;
    for k in 14..17 {
        q[at(k)].pinned_news = true;
    }
    q[at(17)].offsite_news = true;
    q[at(18)].annual_title_niandu = true;
    q[at(19)].annual_inconsistent = true;
    for k in 19..30 {
        q[at(k)].leader_cards = true;
    }
    // One unit's latest annual report keeps the 2019 form's single （六） row and misprints a
    // row label (a layout deviation: warnings, not errors).
    q[at(20)].annual_layout_deviates = true;
    // About five town sites are legacy GBK; some also say so in the HTTP header.
    let mut towns: Vec<usize> = subs
        .iter()
        .copied()
        .filter(|i| units[*i].role == Role::Town)
        .collect();
    rng.shuffle(&mut towns);
    for (k, t) in towns.iter().take(5).enumerate() {
        q[*t].gbk = true;
        q[*t].gbk_in_header = k % 2 == 0;
    }
    q
}

struct ColumnDraft {
    name: &'static str,
    class: ColumnClass,
    slug: &'static str,
    layout: ListLayout,
    drafts: Vec<Draft>,
    short_weeks: Vec<NaiveDate>,
}

fn annual_drafts(
    rng: &mut SplitMix64,
    unit: &Unit,
    q: &Quirks,
    as_of: NaiveDate,
    end: NaiveDate,
) -> Vec<Draft> {
    let mut out = Vec::new();
    let latest = as_of.year() - 1;
    for year in (as_of.year() - 4)..end.year() {
        if year == latest && q.annual_missing {
            continue;
        }
        let date = if year == latest && q.annual_late {
            NaiveDate::from_ymd_opt(year + 1, 2, rng.range(2, 10) as u32)
        } else {
            NaiveDate::from_ymd_opt(year + 1, 1, rng.range(6, 28) as u32)
        };
        let Some(date) = date else { continue };
        if date > end {
            continue;
        }
        let title = if q.annual_title_niandu {
            format!("{}{year}年度政府信息公开工作年度报告", unit.name)
        } else {
            format!("{}{year}年政府信息公开工作年度报告", unit.name)
        };
        out.push(Draft {
            title,
            date,
            time: time_of_day(rng),
            ..Draft::default()
        });
    }
    out
}

fn site_columns(
    rng: &mut SplitMix64,
    unit: &Unit,
    q: &Quirks,
    as_of: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<ColumnDraft> {
    let (list, _) = q.pattern.list_style(q.table_layout);
    let mut cols = Vec::new();
    if unit.role == Role::Portal {
        let mut subjects: Vec<String> = vec![DISTRICT.to_string(), "我区".to_string()];
        subjects.extend(DEPARTMENTS.iter().map(|(_, s)| (*s).to_string()));
        subjects.extend(TOWNS.iter().map(|(_, s)| (*s).to_string()));
        let dates = weekly_dates(rng, start, end, 5, 8, &BTreeMap::new());
        let mut news = drafts(rng, dates, |r| {
            let s = r.pick(&subjects).clone();
            names::news_title(r, &s)
        });
        // One 要闻 is a repost of the district's WeChat account.
        let wx_date = add_days(as_of, -(rng.range(10, 30) as i64));
        let wx_date = if wx_date.weekday() == Weekday::Sun {
            add_days(wx_date, -2)
        } else {
            wx_date
        };
        if wx_date >= start {
            let token = names::wechat_token(rng);
            news.push(Draft {
                title: format!("【微孟津】{}", names::news_title(rng, DISTRICT)),
                date: wx_date,
                time: time_of_day(rng),
                offsite: Some(format!("https://mp.weixin.qq.com/s/{token}")),
                ..Draft::default()
            });
        }
        cols.push(ColumnDraft {
            name: "要闻动态",
            class: ColumnClass::News,
            slug: "xwzx/ywdt",
            layout: list,
            drafts: news,
            short_weeks: vec![],
        });
        let dates = weekly_dates(rng, start, end, 1, 3, &BTreeMap::new());
        let mut notices = drafts(rng, dates, |r| names::notice_title(r, "孟津区人民政府"));
        pin_old(rng, &mut notices, start);
        cols.push(ColumnDraft {
            name: "通知公告",
            class: ColumnClass::Notice,
            slug: "zwgk/tzgg",
            layout: list,
            drafts: notices,
            short_weeks: vec![],
        });
        let dates = sparse_dates(rng, start, end, 0.5, 0.1);
        let policy = drafts(rng, dates, names::policy_title);
        cols.push(ColumnDraft {
            name: "政策文件",
            class: ColumnClass::Policy,
            slug: "zwgk/zcwj",
            layout: list,
            drafts: policy,
            short_weeks: vec![],
        });
        let mut annual = annual_drafts(rng, unit, q, as_of, end);
        if let Some(d) = NaiveDate::from_ymd_opt(as_of.year() - 2, 3, 15) {
            annual.push(Draft {
                title: format!("{}信息公开指南", unit.name),
                date: d,
                time: time_of_day(rng),
                ..Draft::default()
            });
        }
        cols.push(ColumnDraft {
            name: "政府信息公开年报",
            class: ColumnClass::AnnualReport,
            slug: "zwgk/zfxxgknb",
            layout: list,
            drafts: annual,
            short_weeks: vec![],
        });
        return cols;
    }

    let short = unit.short.as_str();
    let dates = weekly_dates(rng, start, end, 2, 4, &q.news_short);
    let mut news = drafts(rng, dates, |r| names::news_title(r, short));
    if q.pinned_news {
        pin_old(rng, &mut news, start);
    }
    if q.offsite_news {
        // A repost from the unit's WeChat account, in a week that is not a short one.
        let mut d = add_days(last_full_week(as_of), rng.range(0, 4) as i64);
        while q.news_short.contains_key(&monday_of(d)) {
            d = add_days(d, -7);
        }
        if d >= start && d <= end {
            let token = names::wechat_token(rng);
            news.push(Draft {
                title: names::news_title(rng, short),
                date: d,
                time: time_of_day(rng),
                offsite: Some(format!("https://mp.weixin.qq.com/s/{token}")),
                ..Draft::default()
            });
        }
    }
    if q.pattern == Pattern::Dede {
        // Two items that carry no date anywhere (issue 4): placed in the two newest full
        // weeks for ordering only.
        for k in 0..2 {
            let date = add_days(last_full_week(as_of), 2 - 7 * k);
            if date >= start && date <= end {
                news.push(Draft {
                    title: names::news_title(rng, short),
                    date,
                    time: time_of_day(rng),
                    undated: true,
                    ..Draft::default()
                });
            }
        }
    }
    if q.table_layout {
        // The year-crossing case: listed `12-30` under a URL created `t…0103` of the next
        // year; the ground-truth date is the December one.
        let dec30 = NaiveDate::from_ymd_opt(as_of.year() - 1, 12, 30);
        let jan3 = NaiveDate::from_ymd_opt(as_of.year(), 1, 3);
        if let (Some(dec30), Some(jan3)) = (dec30, jan3)
            && dec30 >= start
            && jan3 <= end
            && !q.news_short.contains_key(&monday_of(dec30))
        {
            news.push(Draft {
                title: names::news_title(rng, short),
                date: dec30,
                time: time_of_day(rng),
                made: Some(jan3),
                ..Draft::default()
            });
        }
    }
    cols.push(ColumnDraft {
        name: "最新动态",
        class: ColumnClass::News,
        slug: "zxdt",
        layout: list,
        drafts: news,
        short_weeks: q.news_short.keys().copied().collect(),
    });

    let party = if q.blank_party {
        Vec::new()
    } else {
        let dates = weekly_dates(rng, start, end, 2, 4, &q.party_short);
        drafts(rng, dates, |r| names::party_title(r, short))
    };
    let party_short = if q.blank_party {
        vec![]
    } else {
        q.party_short.keys().copied().collect()
    };
    cols.push(ColumnDraft {
        name: "党务公开",
        class: ColumnClass::Party,
        slug: "dwgk",
        layout: list,
        drafts: party,
        short_weeks: party_short,
    });

    let notice_dates = if q.stale_notice {
        // Nothing in the last 200 days: the newest notice is over six months old.
        let n = rng.range(3, 6);
        let mut v: Vec<NaiveDate> = (0..n)
            .map(|_| add_days(as_of, -(rng.range(205, 420) as i64)))
            .collect();
        v.sort();
        v
    } else if q.pattern == Pattern::LyingPager {
        // A column opened two months ago, busy enough for two pages.
        weekly_dates(
            rng,
            add_days(as_of, -60).max(start),
            end,
            3,
            4,
            &BTreeMap::new(),
        )
    } else if q.pattern == Pattern::RepeatingPager {
        // A column opened two months ago: one page of items.
        let mut v = sparse_dates(rng, add_days(as_of, -60).max(start), end, 0.7, 0.2);
        v.truncate(super::PAGE_SIZE);
        v
    } else {
        sparse_dates(rng, start, end, 0.4, 0.15)
    };
    let notices = drafts(rng, notice_dates, |r| names::notice_title(r, short));
    cols.push(ColumnDraft {
        name: "通知公告",
        class: ColumnClass::Notice,
        slug: "tzgg",
        layout: list,
        drafts: notices,
        short_weeks: vec![],
    });

    let org_date = add_days(as_of, -(rng.range(20, 500) as i64));
    let org = vec![Draft {
        title: "机构概况".to_string(),
        date: org_date,
        time: time_of_day(rng),
        ..Draft::default()
    }];
    cols.push(ColumnDraft {
        name: "机构概况",
        class: ColumnClass::Org,
        slug: "jggk",
        layout: ListLayout::SinglePage,
        drafts: org,
        short_weeks: vec![],
    });

    let leaders_date = add_days(as_of, -(rng.range(30, 600) as i64));
    let leaders = if q.leader_cards {
        let n = rng.range(3, 5);
        (0..n)
            .map(|_| Draft {
                title: names::person(rng),
                date: leaders_date,
                time: time_of_day(rng),
                ..Draft::default()
            })
            .collect()
    } else {
        vec![Draft {
            title: "单位领导".to_string(),
            date: leaders_date,
            time: time_of_day(rng),
            ..Draft::default()
        }]
    };
    let leader_layout = if q.leader_cards {
        ListLayout::Cards
    } else {
        ListLayout::SinglePage
    };
    cols.push(ColumnDraft {
        name: "单位领导",
        class: ColumnClass::Leaders,
        slug: "ldxx",
        layout: leader_layout,
        drafts: leaders,
        short_weeks: vec![],
    });

    let annual = annual_drafts(rng, unit, q, as_of, end);
    cols.push(ColumnDraft {
        name: "政府信息公开年报",
        class: ColumnClass::AnnualReport,
        slug: "zfxxgknb",
        layout: list,
        drafts: annual,
        short_weeks: vec![],
    });
    cols
}

/// Marks one item from the first two months of history as 置顶.
fn pin_old(rng: &mut SplitMix64, drafts: &mut [Draft], start: NaiveDate) {
    let limit = add_days(start, 60);
    let old: Vec<usize> = (0..drafts.len())
        .filter(|i| drafts[*i].date <= limit)
        .collect();
    if !old.is_empty() {
        let k = old[rng.index(old.len())];
        drafts[k].pinned = true;
    }
}

pub(super) fn generate(cfg: &SimConfig) -> District {
    let mut rng = SplitMix64::new(cfg.seed);
    let as_of = cfg.as_of;
    let start = add_days(as_of, -i64::from(cfg.history_days));
    let end = add_days(as_of, i64::from(cfg.future_days));
    let units = units(cfg.subsites);
    let mut quirks = quirks(&mut rng, &units, as_of, start);
    assign_patterns(&units, &mut quirks);
    // Subsites on hosts of their own are rooted at `/` there.
    let mut next_host = 0;
    let hosts: Vec<usize> = quirks
        .iter()
        .map(|q| {
            if q.pattern.own_host() {
                next_host += 1;
                next_host
            } else {
                0
            }
        })
        .collect();
    let units: Vec<Unit> = units
        .into_iter()
        .zip(&hosts)
        .map(|(mut u, h)| {
            if *h > 0 {
                u.path = "/".to_string();
            }
            u
        })
        .collect();

    let mut per_site: Vec<Vec<ColumnDraft>> = Vec::with_capacity(units.len());
    for (u, q) in units.iter().zip(&quirks) {
        let mut site_rng = SplitMix64::derive(cfg.seed, &u.id);
        per_site.push(site_columns(&mut site_rng, u, q, as_of, start, end));
    }

    // TRS document ids grow with the publish date across the whole district.
    let mut keys: Vec<(NaiveDate, usize, usize, usize)> = Vec::new();
    for (s, cols) in per_site.iter().enumerate() {
        for (c, col) in cols.iter().enumerate() {
            for (i, d) in col.drafts.iter().enumerate() {
                if d.offsite.is_none() {
                    keys.push((d.date, s, c, i));
                }
            }
        }
    }
    keys.sort();
    let mut ids: BTreeMap<(usize, usize, usize), u64> = BTreeMap::new();
    let mut next = FIRST_DOC_ID;
    for (_, s, c, i) in keys {
        next += rng.range(1, 9);
        ids.insert((s, c, i), next);
    }

    let mut sites = Vec::with_capacity(units.len());
    for (s, (u, cols)) in units.iter().zip(per_site).enumerate() {
        let q = &quirks[s];
        let cms = q.pattern.cms();
        let (_, list_dates) = q.pattern.list_style(q.table_layout);
        let mut columns = Vec::with_capacity(cols.len());
        for (c, col) in cols.into_iter().enumerate() {
            let column_id = match cms {
                Cms::Hanweb => 1_229_000_000 + (s as u64) * 1000 + c as u64,
                _ => 10 + (s as u64) * 10 + c as u64,
            };
            let col_dir = match col.layout {
                ListLayout::Hanweb { .. } => format!("{}col/col{column_id}/", u.path),
                _ => format!("{}{}/", u.path, col.slug),
            };
            let col_path = match col.layout {
                ListLayout::Hanweb { .. } => format!("{col_dir}index.html"),
                ListLayout::ShtmlList => format!("{col_dir}list.shtml"),
                ListLayout::VsbDown => format!("{col_dir}list.htm"),
                _ => col_dir.clone(),
            };
            let mut items: Vec<SimItem> = col
                .drafts
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    let doc_id = ids.get(&(s, c, i)).copied().unwrap_or(0);
                    let path = match (&d.offsite, col.layout) {
                        (Some(url), _) => url.clone(),
                        (None, ListLayout::SinglePage) => col_path.clone(),
                        (None, ListLayout::Hanweb { .. }) => format!(
                            "{}art/{}/{}/{}/art_{column_id}_{doc_id}.html",
                            u.path,
                            d.date.year(),
                            d.date.month(),
                            d.date.day()
                        ),
                        (None, ListLayout::Guangdong) => {
                            format!("{col_dir}content/post_{doc_id}.html")
                        }
                        (None, ListLayout::ShtmlList) => format!(
                            "{col_dir}{}/{:016x}{:016x}.shtml",
                            d.date.format("%Y%m"),
                            SplitMix64::derive(cfg.seed ^ doc_id, "uuid-hi").next_u64(),
                            SplitMix64::derive(cfg.seed ^ doc_id, "uuid-lo").next_u64()
                        ),
                        (None, ListLayout::VsbDown) => {
                            format!("{}info/{}/{doc_id}.htm", u.path, column_id % 10_000)
                        }
                        (None, ListLayout::NextLink) => format!("{col_dir}{doc_id}.html"),
                        (None, layout) => {
                            // The t-date is the document's creation date: on modern lists
                            // it is now and then a day or two before the publish date.
                            let lag = if layout == ListLayout::TrsList && rng.chance(0.1) {
                                rng.range(1, 2) as i64
                            } else {
                                0
                            };
                            let made = d.made.unwrap_or_else(|| add_days(d.date, -lag));
                            format!(
                                "{col_dir}{}/t{}_{doc_id}.html",
                                made.format("%Y%m"),
                                made.format("%Y%m%d")
                            )
                        }
                    };
                    SimItem {
                        title: d.title,
                        path,
                        date: d.date,
                        time: d.time,
                        visible_from: d.date,
                        pinned: d.pinned,
                        doc_id,
                        undated: d.undated,
                    }
                })
                .collect();
            items.sort_by(|a, b| {
                b.pinned
                    .cmp(&a.pinned)
                    .then(b.date.cmp(&a.date))
                    .then(b.doc_id.cmp(&a.doc_id))
            });
            let short: BTreeSet<NaiveDate> = col.short_weeks.into_iter().collect();
            let pager_quirk = match (q.pattern, col.class) {
                (Pattern::LyingPager, ColumnClass::Notice) => PagerQuirk::Overstates(2),
                (Pattern::RepeatingPager, ColumnClass::Notice) => PagerQuirk::RepeatsFirst(3),
                _ => PagerQuirk::None,
            };
            let dates = match col.layout {
                ListLayout::Cards => ListDates::None,
                ListLayout::SinglePage => ListDates::Iso,
                _ => list_dates,
            };
            columns.push(SimColumn {
                name: col.name.to_string(),
                class: col.class,
                path: col_path,
                layout: col.layout,
                list_dates: dates,
                pager_quirk,
                column_id,
                items,
                short_weeks: short.into_iter().collect(),
                walk_shape: super::WalkShape::None,
            });
        }
        sites.push(SimSite {
            id: u.id.clone(),
            name: u.name.clone(),
            role: u.role,
            path: u.path.clone(),
            host: hosts[s],
            cms,
            pubdate_style: q.pattern.pubdate_style(),
            meta_flaws: q.pattern.meta_flaws(),
            charset_gbk: q.gbk,
            gbk_in_header: q.gbk_in_header,
            behavior: SiteBehavior::Normal,
            annual_inconsistent: q.annual_inconsistent,
            columns,
            annual_layout_deviates: q.annual_layout_deviates,
        });
    }

    let mut district = District {
        name: DISTRICT.to_string(),
        as_of,
        seed: cfg.seed,
        sites,
    };
    super::walk_shapes::apply(&mut district);
    for b in &cfg.backdated {
        district.mark_backdated(&b.site_id, b.class, b.lag_days);
    }
    super::shapes::apply(&mut district);
    unrecognised_party_column(&mut district);
    district
}

/// Renames the 党务公开 column of the last plain TRS department (no missed weeks, no other
/// quirk) to a name no built-in name matches. Done after generation, so the seeded
/// content of every site stays as it was.
fn unrecognised_party_column(district: &mut District) {
    let plain = |s: &SimSite| {
        s.role == Role::Department
            && s.cms == Cms::Trs
            && !s.charset_gbk
            && s.meta_flaws.is_empty()
            && s.home_style() == super::HomeStyle::Boxes
            && s.columns.iter().all(|c| c.pager_quirk == PagerQuirk::None)
            && s.column(ColumnClass::Party).is_some_and(|c| {
                c.short_weeks.is_empty() && !c.items.is_empty() && c.layout == ListLayout::TrsList
            })
    };
    if let Some(site) = district.sites.iter_mut().rev().find(|s| plain(s))
        && let Some(col) = site
            .columns
            .iter_mut()
            .find(|c| c.class == ColumnClass::Party)
    {
        col.name = super::UNRECOGNISED_PARTY_NAME.to_string();
    }
}
