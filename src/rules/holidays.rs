//! Holiday weeks (节假日免考周): which ISO weeks the cadence rules do not judge, and why.
//! A week is exempt by default when official holidays (the State Council calendar in
//! rules/holidays.yaml) fall on at least `settings.holiday_exempt_weekdays` of its
//! Monday–Friday days; `settings.exempt_weeks` adds local exemptions. Pure.

use crate::config::RuleSet;
use chrono::{Datelike, Days, NaiveDate};

fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Why the week starting on `monday` is exempt, or None when it is judged. The reason names
/// the holiday, its days off and the notice it comes from.
pub fn week_exemption(rules: &RuleSet, monday: NaiveDate) -> Option<String> {
    if let Some(w) = rules.exempt_weeks.iter().find(|w| w.week_start == monday) {
        return Some(format!("本地免考周：{}（settings.exempt_weeks）", w.name));
    }
    let cal = rules.calendar();
    let mut hits = Vec::new();
    for i in 0..5 {
        let day = monday + Days::new(i);
        if let Some((year, h)) = cal.holiday_on(day) {
            hits.push((day, year, h));
        }
    }
    if hits.is_empty() || (hits.len() as u32) < rules.holiday_exempt_weekdays {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for (_, year, h) in &hits {
        let notice = year
            .notices
            .iter()
            .map(|n| match &n.number {
                Some(no) => format!("{}（{}）", n.title, no),
                None => n.title.clone(),
            })
            .collect::<Vec<_>>()
            .join("、");
        let text = format!(
            "{}：{}至{}放假（{}）",
            h.name,
            fmt(h.first),
            fmt(h.last),
            notice
        );
        if !parts.contains(&text) {
            parts.push(text);
        }
    }
    Some(format!(
        "法定节假日免考周：本周周一至周五有{}天放假（{}天及以上免考）。{}",
        hits.len(),
        rules.holiday_exempt_weekdays,
        parts.join("；")
    ))
}

/// The years of `[start, end]` the holiday calendar does not cover, oldest first.
pub fn uncovered_years(rules: &RuleSet, start: NaiveDate, end: NaiveDate) -> Vec<i32> {
    (start.year()..=end.year())
        .filter(|y| !rules.calendar().covers(*y))
        .collect()
}

/// A warning for `check` and `run` when `[start, end]` reaches a year the holiday calendar
/// does not cover: holiday weeks of that year would be judged like any other week.
pub fn coverage_warning(rules: &RuleSet, start: NaiveDate, end: NaiveDate) -> Option<String> {
    let years = uncovered_years(rules, start, end);
    if years.is_empty() {
        return None;
    }
    let list: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    Some(format!(
        "节假日安排未包含{}：{}至{}期间这些年份的节假日周不会自动免考。请在 rules/holidays.yaml 中补充国务院办公厅《关于{}部分节假日安排的通知》（一般于上一年10月至12月发布），或在 settings.exempt_weeks 中列出免考周",
        list.join("、"),
        fmt(start),
        fmt(end),
        list.join("、")
    ))
}

/// The warning of `govscore check`: whether the current quarter (the one containing
/// `today`) and the next one reach a year the holiday calendar does not cover.
pub fn horizon_warning(rules: &RuleSet, today: NaiveDate) -> Option<String> {
    let q0 = today.month0() / 3;
    let start = NaiveDate::from_ymd_opt(today.year(), q0 * 3 + 1, 1)?;
    // The first day of the quarter after next, minus one day.
    let (y, m) = if q0 >= 2 {
        (today.year() + 1, (q0 - 2) * 3 + 1)
    } else {
        (today.year(), (q0 + 2) * 3 + 1)
    };
    let end = NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()?;
    coverage_warning(rules, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ExemptWeek, builtin_rules};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn spring_festival_2023_and_national_day_2022_weeks_are_exempt_and_named() {
        let rules = builtin_rules();
        let spring = week_exemption(&rules, d("2023-01-23")).expect("春节 week exempt");
        assert!(spring.contains("春节"), "{spring}");
        assert!(spring.contains("2023-01-21至2023-01-27"), "{spring}");
        assert!(spring.contains("国办发明电〔2022〕16号"), "{spring}");
        let national = week_exemption(&rules, d("2022-10-03")).expect("国庆 week exempt");
        assert!(national.contains("国庆节"), "{national}");
        // The week before 春节 (one 调休 Sunday, no weekday off) and 元旦 2023 (one Monday
        // off) are judged.
        assert_eq!(week_exemption(&rules, d("2023-01-16")), None);
        assert_eq!(week_exemption(&rules, d("2023-01-02")), None);
        // 劳动节 2023: Monday to Wednesday off = 3 days → exempt at the default threshold.
        assert!(week_exemption(&rules, d("2023-05-01")).is_some());
    }

    #[test]
    fn the_threshold_and_local_weeks_come_from_the_settings() {
        let mut rules = builtin_rules();
        rules.holiday_exempt_weekdays = 4;
        assert_eq!(week_exemption(&rules, d("2023-05-01")), None);
        rules.exempt_weeks.push(ExemptWeek {
            week_start: d("2023-03-06"),
            name: "防汛演练".into(),
        });
        assert!(
            week_exemption(&rules, d("2023-03-06"))
                .unwrap()
                .contains("防汛演练")
        );
    }

    #[test]
    fn a_period_reaching_an_uncovered_year_is_warned() {
        let rules = builtin_rules();
        assert_eq!(
            coverage_warning(&rules, d("2026-10-01"), d("2026-12-31")),
            None
        );
        let w = coverage_warning(&rules, d("2026-12-01"), d("2027-01-15")).unwrap();
        assert!(w.contains("2027年"), "{w}");
        assert_eq!(
            uncovered_years(&rules, d("2018-12-01"), d("2019-01-15")),
            vec![2018]
        );
    }

    #[test]
    fn check_looks_at_the_current_and_the_next_quarter() {
        let rules = builtin_rules();
        // Q3 2026 and Q4 2026: covered.
        assert_eq!(horizon_warning(&rules, d("2026-08-15")), None);
        // Q4 2026 and Q1 2027: 2027 is not in the file.
        let w = horizon_warning(&rules, d("2026-11-28")).unwrap();
        assert!(
            w.contains("2027年") && w.contains("2026-10-01至2027-03-31"),
            "{w}"
        );
        assert!(
            horizon_warning(&rules, d("2027-05-01"))
                .unwrap()
                .contains("2027年")
        );
    }

    /// The Monday–Friday days off and the 调休 working days of rules/holidays.yaml,
    /// 2019–2026, against an independent source: the PyPI package chinese-calendar
    /// (installed by .ci/run). Weekend days off are left out of the comparison: whether a
    /// weekend "与周末连休" is listed differs between sources and never changes an exemption.
    /// Skips plainly when python3 or the package is absent.
    #[test]
    fn holiday_calendar_matches_the_chinese_calendar_package() {
        const SCRIPT: &str = "import chinese_calendar as c\n\
            for d in sorted(c.holidays):\n    print('off', d.isoformat()) if d.weekday() < 5 else None\n\
            for d in sorted(c.workdays):\n    print('work', d.isoformat()) if d.weekday() >= 5 else None\n";
        let out = match std::process::Command::new("python3")
            .args(["-c", SCRIPT])
            .output()
        {
            Ok(o) if o.status.success() => o,
            Ok(_) => {
                println!(
                    "skipped: python package chinese-calendar not installed (pip install chinese-calendar)"
                );
                return;
            }
            Err(_) => {
                println!("skipped: python3 not found");
                return;
            }
        };
        let (from, to) = (d("2019-01-01"), d("2026-12-31"));
        let mut off_ref = Vec::new();
        let mut work_ref = Vec::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let (kind, date) = line.split_once(' ').unwrap();
            let date = d(date);
            if date < from || date > to {
                continue;
            }
            match kind {
                "off" => off_ref.push(date),
                _ => work_ref.push(date),
            }
        }
        let cal = crate::config::builtin_holidays();
        let in_range = |v: Vec<NaiveDate>| -> Vec<NaiveDate> {
            v.into_iter().filter(|x| *x >= from && *x <= to).collect()
        };
        let off: Vec<NaiveDate> = in_range(cal.days_off())
            .into_iter()
            .filter(|x| x.weekday().number_from_monday() <= 5)
            .collect();
        let work = in_range(cal.working_days());
        let missing: Vec<_> = off_ref.iter().filter(|x| !off.contains(x)).collect();
        let extra: Vec<_> = off.iter().filter(|x| !off_ref.contains(x)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "days off differ: not in holidays.yaml {missing:?}; only in holidays.yaml {extra:?}"
        );
        assert_eq!(work, work_ref, "调休 working days differ");
        assert!(
            off.len() > 100,
            "the reference covered {} weekdays off",
            off.len()
        );
        for y in 2019..=2026 {
            assert!(cal.covers(y), "{y}");
        }
    }
}
