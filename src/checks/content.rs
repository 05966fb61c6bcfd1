//! Content checks (issue 14): what the screening stage found in the period's titles, article
//! bodies and attachments, measured for the rules — 错别字/重复字词/格式差错 (`typos`),
//! 严重表述错误 (`serious_errors`), 敏感词 (`sensitive_words`), 暗链 (`hidden_links`) and
//! personal data (`pii`). Measures only: rules decide what a hit costs.
//!
//! Every occurrence carries its evidence: the page (or attachment) link, the article's title
//! and publish date, and the masked context as excerpt. Messages of 敏感词 and 暗链 name the
//! category and the place, never the term or the link itself (the 通报 quotes messages).

use crate::report::model::{ContentHitOut, ContentOut, Evidence, NotScreenedOut};
use crate::store::{SiteSnap, StoredHit};

/// One occurrence of a content check: its Chinese message and evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// Finding kind (CONTRACT §3): typo | serious_error | sensitive | hidden_link | pii.
    pub kind: &'static str,
    /// Chinese message (never a sensitive term, a spam link or unmasked personal data).
    pub message: String,
    /// Evidence.
    pub evidence: Vec<Evidence>,
}

/// Most pages listed as evidence of one hidden link or one document's personal data.
const EVIDENCE_PER_OCCURRENCE: usize = 5;

fn hits<'s>(site: &'s SiteSnap, kinds: &'s [&str]) -> impl Iterator<Item = &'s StoredHit> {
    site.content
        .hits
        .iter()
        .filter(move |h| kinds.contains(&h.kind.as_str()))
}

/// The evidence of one hit: the document, the article's title and date, the masked context.
pub fn evidence(h: &StoredHit) -> Evidence {
    Evidence {
        url: h.url.clone(),
        title: h.title.clone(),
        date: h.published.map(|d| d.format("%Y-%m-%d").to_string()),
        excerpt: Some(format!("…{}…（{}）", h.context, place(h))),
    }
}

/// Where the hit is: 标题, 正文 (with the character position), or an attachment's line.
pub fn place(h: &StoredHit) -> String {
    if h.url != h.article_url {
        let file = h.url.rsplit('/').next().unwrap_or(&h.url);
        let file = file.rsplit('=').next().unwrap_or(file);
        format!("附件{file}第{}行第{}字", h.line, h.column)
    } else if h.kind == "hidden_link" {
        "页面源代码".to_string()
    } else if h.line == 1 {
        format!("标题第{}字", h.column)
    } else {
        format!("正文第{}行第{}字", h.line - 1, h.column)
    }
}

/// The article named in a message: 《title》, or — when the title itself holds the term —
/// the place without it.
fn named(h: &StoredHit, hide: bool) -> String {
    if hide && !h.found.is_empty() && h.title.contains(&h.found) {
        format!("{}发布的一篇文章（标题含该词）", date_of(h))
    } else {
        format!("《{}》（{}）", h.title, date_of(h))
    }
}

fn date_of(h: &StoredHit) -> String {
    h.published
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "日期不详".to_string())
}

/// The finding kind of a stored hit kind.
pub fn finding_kind(hit_kind: &str) -> &'static str {
    match hit_kind {
        "serious_error" => "serious_error",
        "sensitive" => "sensitive",
        "hidden_link" => "hidden_link",
        "personal_data" => "pii",
        _ => "typo",
    }
}

/// The report's view of what screening read of a site and found; None when nothing was
/// screened.
pub fn summary(site: &SiteSnap) -> Option<ContentOut> {
    use crate::store::DocStatus;
    let c = &site.content;
    if c.docs.is_empty() {
        return None;
    }
    let count = |page: bool, status: DocStatus| {
        c.docs
            .iter()
            .filter(|d| (d.url == d.article_url) == page && d.status == status)
            .count() as u32
    };
    Some(ContentOut {
        pages_screened: count(true, DocStatus::Screened),
        titles_only: count(true, DocStatus::TitleOnly),
        attachments_screened: count(false, DocStatus::Screened),
        not_screened: c
            .docs
            .iter()
            .filter(|d| d.status != DocStatus::Screened)
            .map(|d| NotScreenedOut {
                url: d.url.clone(),
                title: d.title.clone(),
                reason: d.reason.clone().unwrap_or_default(),
            })
            .collect(),
        hits: c
            .hits
            .iter()
            .map(|h| ContentHitOut {
                url: h.url.clone(),
                title: h.title.clone(),
                date: h.published.map(|d| d.format("%Y-%m-%d").to_string()),
                kind: finding_kind(&h.kind).to_string(),
                category: h.category.clone(),
                found: h.found.clone(),
                context: h.context.clone(),
                place: place(h),
                suggestion: h.suggestion.clone(),
                source: h.source.clone(),
                serious: h.serious,
            })
            .collect(),
    })
}

/// The occurrences of a content check (`typos`, `serious_errors`, `sensitive_words`,
/// `hidden_links`, `pii`); none for any other check.
pub fn measure(check: &crate::config::CheckSpec, site: &SiteSnap) -> Vec<Occurrence> {
    use crate::config::CheckSpec;
    match check {
        CheckSpec::Typos => typos(site),
        CheckSpec::SeriousErrors => serious_errors(site),
        CheckSpec::SensitiveWords => sensitive_words(site),
        CheckSpec::HiddenLinks => hidden_links(site),
        CheckSpec::Pii => pii(site),
        _ => Vec::new(),
    }
}

/// One occurrence per hit of `kinds`, each with its own evidence.
fn per_hit(
    site: &SiteSnap,
    kinds: &[&str],
    kind: &'static str,
    message: impl Fn(&StoredHit) -> String,
) -> Vec<Occurrence> {
    hits(site, kinds)
        .map(|h| Occurrence {
            kind,
            message: message(h),
            evidence: vec![evidence(h)],
        })
        .collect()
}

/// Hits grouped by `key`, groups in first-seen order.
fn grouped<'s>(
    hits: impl Iterator<Item = &'s StoredHit>,
    key: impl Fn(&StoredHit) -> &str,
) -> Vec<Vec<&'s StoredHit>> {
    let mut groups: Vec<Vec<&StoredHit>> = Vec::new();
    for h in hits {
        match groups.iter_mut().find(|g| key(g[0]) == key(h)) {
            Some(g) => g.push(h),
            None => groups.push(vec![h]),
        }
    }
    groups
}

/// The evidence of a group of hits (at most [`EVIDENCE_PER_OCCURRENCE`]).
fn group_evidence(list: &[&StoredHit]) -> Vec<Evidence> {
    list.iter()
        .take(EVIDENCE_PER_OCCURRENCE)
        .map(|h| evidence(h))
        .collect()
}

/// `typos`: one occurrence per 错别字, 重复字词 or 格式差错.
pub fn typos(site: &SiteSnap) -> Vec<Occurrence> {
    per_hit(site, &["typo", "doubled", "format"], "typo", |h| {
        format!(
            "{}{}有{}“{}”：{}",
            named(h, false),
            place(h),
            h.category,
            h.found,
            h.suggestion
        )
    })
}

/// `serious_errors`: one occurrence per 严重表述错误, marked 需人工确认.
pub fn serious_errors(site: &SiteSnap) -> Vec<Occurrence> {
    per_hit(site, &["serious_error"], "serious_error", |h| {
        format!(
            "{}{}疑似严重表述错误“{}”：{}（需人工确认）",
            named(h, false),
            place(h),
            h.found,
            h.suggestion
        )
    })
}

/// `sensitive_words`: one occurrence per hit; the message names the category and place only.
pub fn sensitive_words(site: &SiteSnap) -> Vec<Occurrence> {
    per_hit(site, &["sensitive"], "sensitive", |h| {
        format!(
            "{}{}出现“{}”类敏感词（需人工确认，具体内容见证据）",
            named(h, true),
            place(h),
            h.category
        )
    })
}

/// `hidden_links`: one occurrence per hidden link target, its pages as evidence; the
/// message never repeats the link.
pub fn hidden_links(site: &SiteSnap) -> Vec<Occurrence> {
    grouped(hits(site, &["hidden_link"]), |h| h.found.as_str())
        .into_iter()
        .map(|list| {
            let first = list[0];
            let pages = if list.len() == 1 {
                "页面".to_string()
            } else {
                format!("等{}个页面", list.len())
            };
            Occurrence {
                kind: "hidden_link",
                message: format!(
                    "{}{pages}源代码中有被隐藏的站外链接（暗链{}），请立即清除并排查网站是否被篡改（需人工确认）",
                    named(first, true),
                    // A spam category (博彩 …) where the dictionary names one.
                    if first.category == "暗链" {
                        String::new()
                    } else {
                        format!("，{}", first.category)
                    }
                ),
                evidence: group_evidence(&list),
            }
        })
        .collect()
}

/// `pii`: one occurrence per document with serious personal-data hits (an office's labelled
/// contact number is not one), each hit's masked context as evidence.
pub fn pii(site: &SiteSnap) -> Vec<Occurrence> {
    let serious = hits(site, &["personal_data"]).filter(|h| h.serious);
    grouped(serious, |h| h.url.as_str())
        .into_iter()
        .map(|list| {
            let first = list[0];
            let what = if first.url != first.article_url {
                "附件"
            } else {
                "页面"
            };
            Occurrence {
                kind: "pii",
                message: format!(
                    "{}{what}公开了{}处个人信息（身份证号、手机号码或银行卡号，已脱敏显示），违反《政府信息公开条例》第十五条，请删除或去标识化处理",
                    named(first, false),
                    list.len()
                ),
                evidence: group_evidence(&list),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::site;
    use chrono::NaiveDate;

    fn hit(kind: &str, url: &str, line: u32, found: &str, title: &str) -> StoredHit {
        StoredHit {
            url: url.into(),
            article_url: "http://site.test/a/t1.html".into(),
            title: title.into(),
            published: NaiveDate::from_ymd_opt(2023, 3, 1),
            kind: kind.into(),
            category: match kind {
                "sensitive" => "博彩".into(),
                "hidden_link" => "暗链".into(),
                "personal_data" => "个人信息".into(),
                _ => "错别字".into(),
            },
            found: found.into(),
            context: format!("前文{found}后文"),
            line,
            column: 3,
            suggestion: "改为“部署”".into(),
            source: "内置词典".into(),
            serious: kind != "typo",
        }
    }

    #[test]
    fn each_check_takes_its_own_kinds_with_evidence() {
        let page = "http://site.test/a/t1.html";
        let mut s = site(Vec::new(), None);
        s.content.hits = vec![
            hit("typo", page, 2, "布署", "关于工作的通知"),
            hit("format", page, 1, "【2023】", "孟政办【2023】1号"),
            hit("sensitive", page, 2, "某赌场", "关于某赌场的通报"),
            hit(
                "hidden_link",
                page,
                40,
                "http://spam.example/",
                "关于工作的通知",
            ),
            hit("hidden_link", page, 40, "http://spam.example/", "另一篇"),
            hit(
                "personal_data",
                "http://site.test/a/P0.pdf",
                3,
                "41*************123",
                "公示",
            ),
            hit(
                "personal_data",
                "http://site.test/a/P0.pdf",
                4,
                "41*************456",
                "公示",
            ),
        ];
        let t = typos(&s);
        assert_eq!(t.len(), 2);
        assert_eq!(
            t[0].message,
            "《关于工作的通知》（2023-03-01）正文第1行第3字有错别字“布署”：改为“部署”"
        );
        assert_eq!(
            t[0].evidence[0],
            Evidence {
                url: page.into(),
                title: "关于工作的通知".into(),
                date: Some("2023-03-01".into()),
                excerpt: Some("…前文布署后文…（正文第1行第3字）".into()),
            }
        );
        assert!(t[1].message.contains("标题第3字"));
        let sens = sensitive_words(&s);
        assert_eq!(sens.len(), 1);
        assert!(!sens[0].message.contains("某赌场"), "{}", sens[0].message);
        assert!(sens[0].message.contains("“博彩”类敏感词"));
        let links = hidden_links(&s);
        assert_eq!(links.len(), 1, "one link target, two pages");
        assert_eq!(links[0].evidence.len(), 2);
        assert!(!links[0].message.contains("spam.example"));
        let p = pii(&s);
        assert_eq!(p.len(), 1, "one document");
        assert!(p[0].message.contains("附件公开了2处个人信息"));
        assert_eq!(
            p[0].evidence[0].excerpt.as_deref(),
            Some("…前文41*************123后文…（附件P0.pdf第3行第3字）")
        );
        assert!(serious_errors(&s).is_empty());
    }

    fn scored(rules: &crate::config::RuleSet, s: SiteSnap) -> crate::report::model::SiteReport {
        let d = |x: &str| NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
        let snap = crate::store::Snapshot {
            run: crate::store::RunInfo {
                id: 1,
                as_of: d("2023-03-15"),
                observed_on: d("2023-03-15"),
                period_start: d("2023-01-01"),
                period_end: d("2023-03-15"),
            },
            sites: vec![s],
        };
        let a = crate::rules::assess(&snap, rules);
        crate::score::compute(&a, rules).remove(0)
    }

    #[test]
    fn a_serious_error_is_a_warning_by_default_and_a_veto_where_a_district_says_so() {
        let page = "http://site.test/a/t1.html";
        let mut s = site(Vec::new(), Some("2023-03-14"));
        s.content.hits = vec![hit("serious_error", page, 2, "李克", "学习会议精神")];
        let builtin = crate::config::builtin_rules();
        let by_default = scored(&builtin, s.clone());
        assert!(by_default.vetoes.is_empty());
        let f = by_default
            .findings
            .iter()
            .find(|f| f.kind == "serious_error")
            .expect("a serious_error finding");
        assert_eq!(f.severity, "warn");
        assert!(f.message.ends_with("（需人工确认）"), "{}", f.message);

        let local = "rules:\n  - id: serious-veto\n    title: 严重表述错误（单项否决）\n    check: serious_errors\n    severity: veto\n";
        let rules = crate::config::load_rules_from_sources(&[("local.yaml", local)]).unwrap();
        let vetoed = scored(&rules, s);
        assert_eq!(vetoed.vetoes.len(), 1, "{:?}", vetoed.findings);
        assert_eq!(vetoed.vetoes[0].rule, "serious-veto");
        assert_eq!(vetoed.grade.as_deref(), Some("不合格"));
    }

    #[test]
    fn typo_deductions_are_capped() {
        let page = "http://site.test/a/t1.html";
        let mut s = site(Vec::new(), Some("2023-03-14"));
        s.content.hits = (0..20)
            .map(|_| hit("typo", page, 2, "布署", "通知"))
            .collect();
        let r = scored(&crate::config::builtin_rules(), s);
        let lost: f64 = r
            .findings
            .iter()
            .filter(|f| f.kind == "typo")
            .map(|f| f.points)
            .sum();
        assert!((lost + 2.0).abs() < 1e-9, "capped at 2 points, lost {lost}");
    }

    #[test]
    fn the_tongbao_names_category_and_place_but_never_the_term_or_the_spam_link() {
        let page = "http://site.test/a/t1.html";
        let term = "某某娱乐城";
        let spam = "http://www.bocai-yule888.example/";
        let mut s = site(Vec::new(), Some("2023-03-14"));
        s.content.hits = vec![
            hit("sensitive", page, 2, term, "关于开展工作的通知"),
            hit("sensitive", page, 1, term, &format!("关于{term}的通报")),
            hit("hidden_link", page, 40, spam, "关于开展工作的通知"),
        ];
        let rules = crate::config::builtin_rules();
        let site_report = scored(&rules, s);
        let report = crate::report::model::Report {
            schema: crate::report::model::SCHEMA.into(),
            district: "孟津区".into(),
            as_of: "2023-03-15".into(),
            period: crate::report::model::PeriodOut {
                start: "2023-01-01".into(),
                end: "2023-03-15".into(),
            },
            run_id: 1,
            generated_at: String::new(),
            sites: vec![site_report],
            trend: Vec::new(),
            grade_bands: crate::score::grade_bands(&rules),
            partial_run: None,
        };
        let text = crate::report::tongbao::render(&report);
        assert!(text.contains("暗链"), "{text}");
        assert!(
            text.contains("关于开展工作的通知"),
            "the place is named: {text}"
        );
        assert!(!text.contains(term), "{text}");
        assert!(!text.contains("bocai-yule888"), "{text}");
        // The detailed findings keep the evidence for the people who fix the page.
        let f = &report.sites[0].findings;
        let hidden = f.iter().find(|f| f.kind == "hidden_link").unwrap();
        assert!(
            hidden.evidence[0]
                .excerpt
                .as_deref()
                .unwrap()
                .contains(spam)
        );
        assert_eq!(hidden.evidence[0].url, page);
    }
}
