//! Date parsing for government pages: list dates (`2022-05-23`, `[2014-05-20]`,
//! `2022年5月23日`, `10-19`…), dates embedded in URLs (`t20220523_`, `/art/2022/5/23/`) and
//! labelled article dates (`发布时间：…`).
//!
//! Pure string functions: no DOM, no I/O. Invalid calendar dates (`2023-02-30`) and
//! implausible years are rejected rather than guessed.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Years outside this range are treated as noise (ids, phone numbers), not dates.
const MIN_YEAR: i32 = 1990;
/// See [`MIN_YEAR`].
const MAX_YEAR: i32 = 2100;

/// How far (in days) a `MM-DD` list date may lie from its URL date when the year is moved
/// across a year boundary (a December item under a January URL, and vice versa).
const YEAR_CROSSING_MAX_DAYS: i64 = 92;

static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*([-/.])\s*(\d{1,2})(?:\s*日)?(?:\s+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?$",
    )
    .expect("static regex")
});

static CJK_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*\d{1,2}[:：]\d{1,2}(?:[:：]\d{1,2})?)?$")
        .expect("static regex")
});

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})\s*(?:[-/.]\s*(\d{1,2})|月\s*(\d{1,2})\s*日)$").expect("static regex")
});

/// A full date anywhere in a text (not glued to other digits).
static DATE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^0-9])(\d{4}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日))(?:[^0-9]|$)",
    )
    .expect("static regex")
});

/// A `MM-DD` date anywhere in a text (not glued to other digits or dashes).
static MONTH_DAY_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9\-/.])(\d{1,2}-\d{1,2})(?:[^0-9\-/.]|$)").expect("static regex")
});

static LABELED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(发布时间|发布日期|日期)[\s\u{3000}\u{a0}]*[：:][\s\u{3000}\u{a0}]*(\d{4}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日))",
    )
    .expect("static regex")
});

static URL_T_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/t(\d{4})(\d{2})(\d{2})_\d+").expect("static regex"));
static URL_YMD_DIRS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/(\d{4})/(\d{1,2})/(\d{1,2})/").expect("static regex"));
static URL_YM_DASH_D: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/(\d{4})-(\d{2})/(\d{2})/").expect("static regex"));
static URL_YMD8_DIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/(\d{4})(\d{2})(\d{2})/").expect("static regex"));

/// Replaces full-width spaces, no-break spaces and literal `&nbsp;` by plain spaces and
/// trims the result.
fn clean(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace(['\u{3000}', '\u{a0}'], " ")
        .trim()
        .to_string()
}

/// Removes one pair of surrounding brackets (`[..]`, `【..】`, `(..)`, `（..）`).
fn strip_brackets(s: &str) -> &str {
    let pairs = [('[', ']'), ('【', '】'), ('(', ')'), ('（', '）')];
    for (open, close) in pairs {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner.trim();
        }
    }
    s
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Parses a whole string as a date: `YYYY-MM-DD`, `[YYYY-MM-DD]`, `YYYY/MM/DD`,
/// `YYYY.MM.DD`, `YYYY年M月D日`, each with an optional time (`16:42`, `9:37:15`).
/// Full-width spaces and `&nbsp;` are trimmed. Invalid dates (`2023-02-30`) give `None`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let cleaned = clean(s);
    let t = strip_brackets(&cleaned);
    if let Some(c) = NUMERIC_DATE.captures(t) {
        // `2022-05/23` is not a date format anyone writes: both separators must agree.
        if c[2] != c[4] {
            return None;
        }
        return ymd(&c[1], &c[3], &c[5]);
    }
    let c = CJK_DATE.captures(t)?;
    ymd(&c[1], &c[2], &c[3])
}

/// Parses a whole string as a month and day without year: `MM-DD`, `[ 05-25 ]`, `5月25日`.
/// Returns `(month, day)` when the pair can exist in some year (so `02-29` is accepted).
pub fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let cleaned = clean(s);
    let t = strip_brackets(&cleaned);
    let c = MONTH_DAY.captures(t)?;
    let m: u32 = c.get(1)?.as_str().parse().ok()?;
    let d: u32 = c.get(2).or_else(|| c.get(3))?.as_str().parse().ok()?;
    // 2000 is a leap year, so every real month/day pair exists in it.
    NaiveDate::from_ymd_opt(2000, m, d)?;
    Some((m, d))
}

/// Finds the first full date inside a longer text (`发布时间：2022-05-23 16:42`,
/// `标题[2014-05-20]`). Digit runs that merely contain a date-like part are ignored.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    let cleaned = clean(text);
    DATE_IN_TEXT
        .captures_iter(&cleaned)
        .filter_map(|c| parse_date(c.get(1)?.as_str()))
        .next()
}

/// Finds the first `MM-DD` inside a longer text (`[ 05-25 ]`).
pub fn find_month_day(text: &str) -> Option<(u32, u32)> {
    let cleaned = clean(text);
    MONTH_DAY_IN_TEXT
        .captures_iter(&cleaned)
        .filter_map(|c| parse_month_day(c.get(1)?.as_str()))
        .next()
}

/// The date embedded in a URL's path: TRS `t20220523_123.html`, Hanweb
/// `/art/2022/5/23/art_…`, `/2026/9/11/…`, `/2022-05/23/…`, Shanghai `/20230331/…`.
/// A bare `/202205/` month directory is not a date; other digit runs (ids) never are.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    // Only the path: query strings carry ids and timestamps that are not dates.
    let no_query = url.split(['?', '#']).next().unwrap_or("");
    let path = match no_query.find("://") {
        Some(i) => {
            let rest = &no_query[i + 3..];
            rest.find('/').map_or("", |j| &rest[j..])
        }
        None => no_query,
    };
    let patterns: [&Regex; 4] = [&URL_T_DATE, &URL_YMD_DIRS, &URL_YM_DASH_D, &URL_YMD8_DIR];
    patterns.iter().find_map(|re| {
        re.captures_iter(path)
            .find_map(|c| ymd(c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str()))
    })
}

/// Gives a year to a list's `MM-DD` date using the item URL's date. The URL date is a
/// creation date close to the publish date, so a `12-30` item under a URL created in early
/// January belongs to the previous year, and a `01-02` item under a late-December URL to
/// the next one. Without a URL date there is no year, and so no date.
pub fn resolve_month_day(month: u32, day: u32, url_date: Option<NaiveDate>) -> Option<NaiveDate> {
    let anchor = url_date?;
    let y = anchor.year();
    let same = NaiveDate::from_ymd_opt(y, month, day);
    let distance = |d: NaiveDate| (d - anchor).num_days().abs();
    let crossing = [y - 1, y + 1]
        .into_iter()
        .filter_map(|yy| NaiveDate::from_ymd_opt(yy, month, day))
        .filter(|d| distance(*d) <= YEAR_CROSSING_MAX_DAYS)
        .min_by_key(|d| distance(*d));
    match (same, crossing) {
        (Some(s), Some(c)) => Some(if distance(c) < distance(s) { c } else { s }),
        (Some(s), None) => Some(s),
        (None, c) => c,
    }
}

/// How many days a yearless list date may lie after the entry above it and still be taken
/// in that entry's year (lists are newest first, but entries a few weeks out of order are
/// common); further after it, the date belongs to the year before.
const OUT_OF_ORDER_MAX_DAYS: i64 = 62;

/// Gives a list's `MM-DD` date a year from the day the page was fetched: the latest such
/// day on or before `fetched_on`. `previous` is the date of the entry above it in the list:
/// in a newest-first list a `12-28` entry below `01-03` is in the year before, so the date is
/// taken at most 62 days after `previous` (a few weeks out of order are common).
pub fn infer_month_day_year(
    month: u32,
    day: u32,
    fetched_on: NaiveDate,
    previous: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let anchor = previous.map_or(fetched_on, |p| p.min(fetched_on));
    // Eight years reach a 02-29 from any year.
    (0..8).find_map(|back| {
        let date = NaiveDate::from_ymd_opt(anchor.year() - back, month, day)?;
        (date <= fetched_on && (date - anchor).num_days() <= OUT_OF_ORDER_MAX_DAYS).then_some(date)
    })
}

/// Finds the publish date on a labelled line: `发布时间：2022-05-23 16:42`,
/// `发布日期：2022-05-23`, `日期：2022年5月23日`. Dates after `成文日期`/`发文日期` are
/// document dates, not publish dates, and are skipped.
pub fn find_labeled_date(text: &str) -> Option<NaiveDate> {
    let cleaned = clean(text);
    LABELED_DATE.captures_iter(&cleaned).find_map(|c| {
        let label = c.get(1)?;
        if label.as_str() == "日期" {
            let before = &cleaned[..label.start()];
            if before.ends_with('文') {
                // 成文日期 / 发文日期
                return None;
            }
        }
        parse_date(c.get(2)?.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn parse_date_accepts_every_list_and_article_format() {
        let table: &[(&str, Option<NaiveDate>)] = &[
            ("2022-05-23", d(2022, 5, 23)),
            ("[2014-05-20]", d(2014, 5, 20)),
            ("【2014-05-20】", d(2014, 5, 20)),
            ("2016/11/11", d(2016, 11, 11)),
            ("2016/11/11 9:37:15", d(2016, 11, 11)),
            ("2026.08.27", d(2026, 8, 27)),
            ("2024年04月06日", d(2024, 4, 6)),
            ("2024年4月6日 16:40", d(2024, 4, 6)),
            ("2022-05-23 16:42", d(2022, 5, 23)),
            ("2022-05-23 10:30:45", d(2022, 5, 23)),
            ("\u{3000}2022-05-23\u{3000}", d(2022, 5, 23)),
            ("&nbsp;2022-05-23&nbsp;", d(2022, 5, 23)),
            ("\u{a0}2022-5-3", d(2022, 5, 3)),
            ("2024-02-29", d(2024, 2, 29)),
        ];
        for (input, want) in table {
            assert_eq!(parse_date(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn parse_date_rejects_invalid_and_non_dates() {
        for input in [
            "2023-02-30",
            "2023-02-29",
            "2022-13-01",
            "2022-00-10",
            "2022-05-32",
            "2022年2月30日",
            "10-19",
            "",
            "abc",
            "2022-05/23",
            "0001-01-01",
            "2022-05-23x",
            "发布时间：2022-05-23",
        ] {
            assert_eq!(parse_date(input), None, "input {input:?}");
        }
    }

    #[test]
    fn parse_month_day_reads_short_list_dates() {
        assert_eq!(parse_month_day("10-19"), Some((10, 19)));
        assert_eq!(parse_month_day("[ 05-25 ]"), Some((5, 25)));
        assert_eq!(parse_month_day("\u{3000}05-25"), Some((5, 25)));
        assert_eq!(parse_month_day("5月25日"), Some((5, 25)));
        assert_eq!(parse_month_day("02-29"), Some((2, 29)));
        assert_eq!(parse_month_day("02-30"), None);
        assert_eq!(parse_month_day("13-01"), None);
        assert_eq!(parse_month_day("2022-05-25"), None);
        assert_eq!(parse_month_day(""), None);
    }

    #[test]
    fn find_date_reads_dates_inside_text_but_not_inside_digit_runs() {
        assert_eq!(
            find_date("发布时间：2022-05-23 16:42 来源：本网"),
            d(2022, 5, 23)
        );
        assert_eq!(
            find_date("某项目招标公告[NTZC…[2014-05-20]"),
            d(2014, 5, 20)
        );
        assert_eq!(find_date("编号 120220523123"), None);
        assert_eq!(find_date("没有日期"), None);
        assert_eq!(find_month_day("通知[ 05-25 ]"), Some((5, 25)));
        assert_eq!(find_month_day("2022-05-25"), None);
    }

    #[test]
    fn date_from_url_reads_cms_url_dates() {
        let table: &[(&str, Option<NaiveDate>)] = &[
            (
                "https://www.yunxiqu.gov.cn/zwgk/gzdt/202205/t20220523_4401127.html",
                d(2022, 5, 23),
            ),
            ("./202205/t20220523_4401127.html", d(2022, 5, 23)),
            ("/zwgk/202403/t20240327_13086081_wap.html", d(2024, 3, 27)),
            (
                "/art/2022/5/23/art_1229687456_59012345.html",
                d(2022, 5, 23),
            ),
            ("/art/2022/5/3/art_1229_456.html", d(2022, 5, 3)),
            (
                "https://jst.sc.gov.cn/scjst/c101428/2026/9/11/3fac74d675344f8998afc477bdd11f89.shtml",
                d(2026, 9, 11),
            ),
            (
                "https://www.shanghai.gov.cn/nw12344/20230331/4a03b5fa47ae4c73b7ec42801de6be66.html",
                d(2023, 3, 31),
            ),
            (
                "/zhengce/content/2022-05/23/content_5691234.htm",
                d(2022, 5, 23),
            ),
            // the /YYYYMM/ directory alone gives no day
            (
                "/zbxzf/xzfwj/202404/49ca3d0c669f4c2ebf6f7fabf563549c.shtml",
                None,
            ),
            // ids and random digit runs are not dates
            ("/zwgk/tzgg/content/post_1665156.html", None),
            ("/zfxxgk/bmxxgknb/1906985018193408001.html", None),
            ("/info/1308/19387.htm", None),
            ("/P020220523612345678902.pdf", None),
            ("/col/col1229687456/index.html", None),
            ("/x/t20221399_1.html", None),
            ("/list.html?date=20220523", None),
            ("https://20220523.example.cn/a.html", None),
        ];
        for (input, want) in table {
            assert_eq!(date_from_url(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn resolve_month_day_takes_year_from_url_and_crosses_year_boundaries() {
        // same year
        assert_eq!(resolve_month_day(10, 19, d(2017, 10, 19)), d(2017, 10, 19));
        assert_eq!(resolve_month_day(7, 29, d(2020, 7, 31)), d(2020, 7, 29));
        // December list date, URL created in early January: previous year
        assert_eq!(resolve_month_day(12, 30, d(2023, 1, 3)), d(2022, 12, 30));
        // January list date, URL created in late December: next year
        assert_eq!(resolve_month_day(1, 2, d(2022, 12, 29)), d(2023, 1, 2));
        // far apart within one year: stay in the URL's year
        assert_eq!(resolve_month_day(12, 31, d(2022, 6, 30)), d(2022, 12, 31));
        assert_eq!(resolve_month_day(1, 5, d(2022, 8, 1)), d(2022, 1, 5));
        // Feb 29 only exists in leap years
        assert_eq!(resolve_month_day(2, 29, d(2024, 3, 1)), d(2024, 2, 29));
        assert_eq!(resolve_month_day(2, 29, d(2023, 3, 1)), None);
        // no URL date: no year
        assert_eq!(resolve_month_day(10, 19, None), None);
    }

    #[test]
    fn infer_month_day_year_takes_the_latest_day_up_to_the_fetch_day_and_steps_back_in_order() {
        let on = NaiveDate::from_ymd_opt(2023, 1, 9).unwrap();
        // first entry: the latest such day on or before the fetch day
        assert_eq!(infer_month_day_year(1, 6, on, None), d(2023, 1, 6));
        assert_eq!(infer_month_day_year(1, 9, on, None), d(2023, 1, 9));
        assert_eq!(infer_month_day_year(1, 10, on, None), d(2022, 1, 10));
        assert_eq!(infer_month_day_year(12, 28, on, None), d(2022, 12, 28));
        // below a January entry, December is the year before
        assert_eq!(
            infer_month_day_year(12, 28, on, d(2023, 1, 3)),
            d(2022, 12, 28)
        );
        // a few weeks out of order stays in the entry's year
        let oct = NaiveDate::from_ymd_opt(2017, 10, 23).unwrap();
        assert_eq!(
            infer_month_day_year(9, 29, oct, d(2017, 9, 28)),
            d(2017, 9, 29)
        );
        // far after the entry above (a list going back past New Year): the year before
        assert_eq!(
            infer_month_day_year(9, 29, oct, d(2017, 3, 1)),
            d(2016, 9, 29)
        );
        // 02-29 lands in a leap year
        assert_eq!(infer_month_day_year(2, 29, on, None), d(2020, 2, 29));
        assert_eq!(infer_month_day_year(2, 30, on, None), None);
    }

    #[test]
    fn find_labeled_date_reads_publish_labels_and_skips_document_dates() {
        assert_eq!(
            find_labeled_date("发布时间：2022-05-23 16:42 来源：区应急管理局"),
            d(2022, 5, 23)
        );
        assert_eq!(
            find_labeled_date("发布日期：2022-05-23 信息来源：区应急管理局"),
            d(2022, 5, 23)
        );
        assert_eq!(find_labeled_date("日期: 2022年5月23日"), d(2022, 5, 23));
        assert_eq!(
            find_labeled_date("发布时间：\u{3000}2022/05/23"),
            d(2022, 5, 23)
        );
        assert_eq!(find_labeled_date("成文日期：2022-05-01"), None);
        assert_eq!(find_labeled_date("发文日期：2022-05-01"), None);
        assert_eq!(
            find_labeled_date("成文日期：2022-05-01 发布日期：2022-05-20"),
            d(2022, 5, 20)
        );
        assert_eq!(find_labeled_date("发布时间：2023-02-30"), None);
        assert_eq!(find_labeled_date("2022-05-23"), None);
    }
}
