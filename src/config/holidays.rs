//! The official holiday calendar (`holidays:` of a rule file, shipped as rules/holidays.yaml):
//! the State Council's 部分节假日安排 per year — days off, 调休 working days and the notices
//! they come from. Parses and validates only; which weeks it exempts is decided in `rules`.

use super::yaml::{Node, Reporter};
use chrono::{Datelike, NaiveDate};

/// The holiday calendar: one entry per covered year, in year order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HolidayCalendar {
    /// The covered years.
    pub years: Vec<HolidayYear>,
}

/// One year's arrangement.
#[derive(Debug, Clone, PartialEq)]
pub struct HolidayYear {
    /// The year the notices arrange.
    pub year: i32,
    /// The notices of that year (a year may have more than one, e.g. 2020's extension).
    pub notices: Vec<HolidayNotice>,
    /// The holidays.
    pub days: Vec<Holiday>,
}

/// A State Council notice.
#[derive(Debug, Clone, PartialEq)]
pub struct HolidayNotice {
    /// e.g. 国务院办公厅关于2023年部分节假日安排的通知.
    pub title: String,
    /// The date it was issued.
    pub date: NaiveDate,
    /// e.g. 国办发明电〔2022〕16号, when known.
    pub number: Option<String>,
}

/// One holiday: its days off (inclusive) and its 调休 working days.
#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    /// e.g. 春节.
    pub name: String,
    /// First day off.
    pub first: NaiveDate,
    /// Last day off.
    pub last: NaiveDate,
    /// Weekend days worked instead (调休上班).
    pub work: Vec<NaiveDate>,
}

impl HolidayCalendar {
    /// Whether the calendar has the arrangement of `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.years.iter().any(|y| y.year == year)
    }

    /// The holiday whose days off include `day`, with the year entry it belongs to.
    pub fn holiday_on(&self, day: NaiveDate) -> Option<(&HolidayYear, &Holiday)> {
        self.years.iter().find_map(|y| {
            y.days
                .iter()
                .find(|h| h.first <= day && day <= h.last)
                .map(|h| (y, h))
        })
    }

    /// Every official day off, oldest first.
    pub fn days_off(&self) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .years
            .iter()
            .flat_map(|y| &y.days)
            .flat_map(|h| h.first.iter_days().take_while(move |d| *d <= h.last))
            .collect();
        v.sort();
        v
    }

    /// Every 调休 working day, oldest first.
    pub fn working_days(&self) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .years
            .iter()
            .flat_map(|y| &y.days)
            .flat_map(|h| h.work.iter().copied())
            .collect();
        v.sort();
        v
    }
}

/// Parses `holidays:` of a rule file, reporting every problem.
pub(super) fn parse(r: &mut Reporter, node: &Node) -> Option<HolidayCalendar> {
    let items = r.seq(node, "holidays", "in a rule file")?;
    let mut years: Vec<HolidayYear> = Vec::new();
    let mut ok = true;
    for item in items {
        match year(r, item) {
            Some(y) if years.iter().any(|o| o.year == y.year) => {
                r.at(
                    item,
                    format!("`holidays` lists the year {} twice", y.year),
                    Some("keep one entry per year; put every notice of the year under it".into()),
                );
                ok = false;
            }
            Some(y) => years.push(y),
            None => ok = false,
        }
    }
    years.sort_by_key(|y| y.year);
    ok.then_some(HolidayCalendar { years })
}

fn year(r: &mut Reporter, node: &Node) -> Option<HolidayYear> {
    let ctx = "in `holidays`";
    let f = r.fields(node, &["year", "notices", "days"], ctx)?;
    let year = r
        .required(&f, "year", ctx)
        .and_then(|n| r.u32(n, "year", ctx))
        .and_then(|y| i32::try_from(y).ok());
    let ctx_year = year.map_or_else(|| ctx.to_string(), |y| format!("in `holidays` year {y}"));
    let ctx = ctx_year.as_str();
    let mut ok = true;
    let mut notices = Vec::new();
    if let Some(list) = r
        .required(&f, "notices", ctx)
        .and_then(|n| r.seq(n, "notices", ctx))
    {
        for n in list {
            match notice(r, n, ctx) {
                Some(x) => notices.push(x),
                None => ok = false,
            }
        }
    }
    if notices.is_empty() {
        r.at(
            node,
            format!("`notices` {ctx} needs at least one notice (title, date, number)"),
            None,
        );
        ok = false;
    }
    let mut days = Vec::new();
    if let Some(list) = r
        .required(&f, "days", ctx)
        .and_then(|n| r.seq(n, "days", ctx))
    {
        for n in list {
            match holiday(r, n, ctx) {
                Some(h) => days.push(h),
                None => ok = false,
            }
        }
    }
    if let Some(y) = year
        && let Some(h) = days
            .iter()
            .find(|h| h.last.year() != y && h.first.year() != y)
    {
        r.at(
            node,
            format!(
                "{} ({} to {}) {ctx} lies outside that year",
                h.name, h.first, h.last
            ),
            None,
        );
        ok = false;
    }
    let (Some(year), true) = (year, ok) else {
        return None;
    };
    Some(HolidayYear {
        year,
        notices,
        days,
    })
}

fn notice(r: &mut Reporter, node: &Node, ctx: &str) -> Option<HolidayNotice> {
    let f = r.fields(node, &["title", "date", "number"], ctx)?;
    let title = r
        .required(&f, "title", ctx)
        .and_then(|n| r.string(n, "title", ctx));
    let date = r
        .required(&f, "date", ctx)
        .and_then(|n| super::rule_file::date(r, n, "date", ctx));
    let number = match f.get("number") {
        Some(n) if !n.is_null() => Some(r.string(n, "number", ctx)?),
        _ => None,
    };
    Some(HolidayNotice {
        title: title?,
        date: date?,
        number,
    })
}

fn holiday(r: &mut Reporter, node: &Node, ctx: &str) -> Option<Holiday> {
    let f = r.fields(node, &["name", "off", "work"], ctx)?;
    let name = r
        .required(&f, "name", ctx)
        .and_then(|n| r.string(n, "name", ctx));
    let off_node = r.required(&f, "off", ctx)?;
    let off: Vec<NaiveDate> = r
        .seq(off_node, "off", ctx)?
        .iter()
        .filter_map(|n| super::rule_file::date(r, n, "off", ctx))
        .collect();
    let [first, last] = off[..] else {
        r.at(
            off_node,
            format!("`off` {ctx} must be [first day, last day], e.g. [2023-01-21, 2023-01-27]"),
            None,
        );
        return None;
    };
    if last < first || (last - first).num_days() > 14 {
        r.at(
            off_node,
            format!(
                "`off` {ctx} must run forward and last at most 15 days, found {first} to {last}"
            ),
            None,
        );
        return None;
    }
    let mut work = Vec::new();
    if let Some(n) = f.get("work") {
        for d in r.seq(n, "work", ctx)? {
            let day = super::rule_file::date(r, d, "work", ctx)?;
            if day.weekday().number_from_monday() < 6 {
                r.at(
                    d,
                    format!("`work` {ctx} lists {day}, a weekday; only weekend days can be 调休 working days"),
                    None,
                );
                return None;
            }
            work.push(day);
        }
    }
    Some(Holiday {
        name: name?,
        first,
        last,
        work,
    })
}
