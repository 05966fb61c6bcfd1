//! Content slips planted in the simulated district for the screening stage (issue 14): what
//! real sites publish by mistake, on a few chosen articles, with the ground truth.
//!
//! All on one unit ([`slip_site`]: the last plain TRS department):
//! - its 最新动态, newest regular article published at least a week before the district's
//!   `as_of` ([`Slip::Typos`]): a confusable form from the built-in dictionary (布署 for
//!   部署), a doubled word (个人个人) and a 发文字号 in 【】 brackets;
//! - the next one ([`Slip::HiddenLink`]): a 博彩 spam link hidden by CSS (`display:none`);
//! - the next one ([`Slip::SeriousError`]): a fixed formulation written wrongly (扫黑险恶 for
//!   扫黑除恶, the 五笔 slip found on 100+ sites, regulations.md §4.4);
//! - the next one ([`Slip::WrongTitle`]): 区长王建国 although 王建国 became 区委书记 before
//!   the article was published, per the names table the demo uses ([`names_yaml`]);
//! - its home page ([`home_html`]): a spam link hidden off-screen (`left:-9999px`);
//! - its 通知公告, newest regular notice published at least a week before `as_of`
//!   ([`Slip::Gongshi`]): a 公示 whose DOCX attachment lists
//!   citizens with full 18-digit 身份证号 (valid GB 11643 check digits) — a personal-data
//!   leak (条例 第十五条) — beside the office's contact line (not a leak).
//!
//! Must not: change anything a crawl counts (titles, dates, lists, meta tags): slips live in
//! article bodies and attachments only, so every other verdict of the district is unchanged.

use super::{Cms, District, ListLayout, SimColumn, SimItem, SimSite};
use crate::model::{ColumnClass, Role};
use chrono::{Days, NaiveDate};
use std::io::Write as _;

/// A planted slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slip {
    /// 布署, 个人个人 and 【2023】 in one article body.
    Typos,
    /// A CSS-hidden link to a gambling site.
    HiddenLink,
    /// 扫黑险恶 for 扫黑除恶.
    SeriousError,
    /// A 公示 with a DOCX attachment listing ID numbers.
    Gongshi,
    /// A leader named with the title he held before (区长 after he became 区委书记), and his
    /// name misspelt (王建图) in the next sentence: found only with the district's names table
    /// ([`names_yaml`]).
    WrongTitle,
}

/// The host the hidden spam link points at (never served, never fetched).
pub const SPAM_URL: &str = "http://www.bocai-yule888.example/";
/// The spam link's text.
pub const SPAM_TEXT: &str = "澳门博彩娱乐城";
/// The host of the spam link hidden off-screen on the slip unit's home page (暗链 are
/// planted on home pages above all; never served, never fetched).
pub const HOME_SPAM_URL: &str = "http://www.daikai-fapiao.example/";
/// That link's text.
pub const HOME_SPAM_TEXT: &str = "代开各类发票";

/// The off-screen spam link planted on the slip unit's home page, if `site` is that unit.
pub fn home_html(district: &District, site: &SimSite) -> Option<String> {
    slip_site(district)
        .filter(|s| s.id == site.id)
        .map(|_| {
            format!(
                "<div style=\"position:absolute;left:-9999px;top:-9999px\"><a href=\"{HOME_SPAM_URL}\">{HOME_SPAM_TEXT}</a></div>\n"
            )
        })
}

/// The leader of the [`Slip::WrongTitle`] slip, the title he held before and the one he
/// holds since [`title_changed`].
pub const LEADER: (&str, &str, &str) = ("王建国", "区长", "区委书记");

/// [`LEADER`]'s name with one character wrong (建国 → 建图), as the names table lists it.
pub const LEADER_MISSPELT: &str = "王建图";

/// The day [`LEADER`] took his new title: 120 days before `as_of`, so every article a
/// slip is planted in (the period's last weeks) is judged by the new title.
pub fn title_changed(as_of: NaiveDate) -> NaiveDate {
    as_of.checked_sub_days(Days::new(120)).unwrap_or(as_of)
}

/// The simulated district's names table (`screening.names`, the format of
/// docs/config.md): [`LEADER`] with his two titles, the body of the district government.
pub fn names_yaml(as_of: NaiveDate) -> String {
    let (name, before, after) = LEADER;
    let changed = title_changed(as_of);
    let until = changed.pred_opt().unwrap_or(changed);
    let from = until.checked_sub_days(Days::new(3 * 365)).unwrap_or(until);
    format!(
        "# 模拟孟津区的名称表（govscore demo 生成）：领导任职日期为模拟数据。\n\
         leaders:\n  - name: {name}\n    titles:\n      - {{title: {before}, from: {from}, to: {until}}}\n      - {{title: {after}, from: {changed}}}\n    wrong: [{LEADER_MISSPELT}]\n\
         bodies:\n  - name: 洛阳市孟津区人民政府\n    wrong: [洛阳市孟津县人民政府]\n"
    )
}

/// The wrong form planted as the serious error.
pub const SERIOUS_WRONG: &str = "扫黑险恶";
/// The ID numbers listed in the 公示 attachment (valid check digits, 孟津 prefix 410322).
pub fn gongshi_ids() -> Vec<String> {
    [
        ("410322", "19650312", "101"),
        ("410322", "19720821", "222"),
        ("410322", "19801105", "343"),
    ]
    .iter()
    .map(|(area, birth, seq)| {
        let body = format!("{area}{birth}{seq}");
        format!("{body}{}", check_digit(&body))
    })
    .collect()
}

/// The GB 11643 check digit of the first 17 digits of an ID number.
fn check_digit(body: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip(W)
        .map(|(d, w)| d * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// Items of a column that a slip may be planted in, newest first: dated, on the site,
/// not pinned, not backdated, published at least seven days before `as_of`.
fn candidates(col: &SimColumn, as_of: NaiveDate) -> Vec<&SimItem> {
    let until = as_of.checked_sub_days(Days::new(7)).unwrap_or(as_of);
    let mut v: Vec<&SimItem> = col
        .items
        .iter()
        .filter(|i| {
            !i.pinned
                && !i.undated
                && !i.is_offsite()
                && i.visible_from == i.date
                && i.date <= until
        })
        .collect();
    v.sort_by(|a, b| b.date.cmp(&a.date).then(b.doc_id.cmp(&a.doc_id)));
    v
}

/// The unit the slips are planted on: the last TRS department whose 最新动态 and 通知公告 are
/// plain `ul/li` lists (the first units of the district are left clean: other tests compare
/// them between runs).
pub fn slip_site(district: &District) -> Option<&SimSite> {
    district.sites.iter().rev().find(|s| {
        let plain = |class| {
            s.column(class).is_some_and(|c| {
                c.layout == ListLayout::TrsList && c.walk_shape == super::WalkShape::None
            })
        };
        s.role == Role::Department
            && s.cms == Cms::Trs
            && plain(ColumnClass::News)
            && plain(ColumnClass::Notice)
    })
}

/// Every planted slip: (site id, item path, slip).
pub fn planted(district: &District) -> Vec<(String, String, Slip)> {
    let mut out = Vec::new();
    let Some(site) = slip_site(district) else {
        return out;
    };
    if let Some(news) = site.column(ColumnClass::News) {
        let c = candidates(news, district.as_of);
        for (item, slip) in c.iter().zip([
            Slip::Typos,
            Slip::HiddenLink,
            Slip::SeriousError,
            Slip::WrongTitle,
        ]) {
            out.push((site.id.clone(), item.path.clone(), slip));
        }
    }
    if let Some(notice) = site.column(ColumnClass::Notice)
        && let Some(item) = candidates(notice, district.as_of).first()
    {
        out.push((site.id.clone(), item.path.clone(), Slip::Gongshi));
    }
    out
}

/// The slip planted in this article, if any.
pub fn slip_of(district: &District, site: &SimSite, item: &SimItem) -> Option<Slip> {
    planted(district)
        .into_iter()
        .find(|(s, p, _)| *s == site.id && *p == item.path)
        .map(|(_, _, slip)| slip)
}

/// The path of the 公示 attachment of an article.
pub fn gongshi_path(item: &SimItem) -> String {
    let dir = &item.path[..item.path.rfind('/').map_or(0, |i| i + 1)];
    format!("{dir}gs_{}.docx", item.doc_id)
}

/// The HTML appended to an article's body for its slip.
pub fn body_html(slip: Slip, site: &SimSite, item: &SimItem) -> String {
    match slip {
        Slip::Typos => "<p style=\"text-indent:2em;\">会议对下一阶段重点工作进行了布署，要求各单位严格落实孟政办【2023】3号文件精神，切实保护群众个人个人信息安全。</p>\n".to_string(),
        Slip::HiddenLink => format!(
            "<div style=\"display:none\"><a href=\"{SPAM_URL}\">{SPAM_TEXT}</a></div>\n"
        ),
        Slip::SeriousError => format!(
            "<p style=\"text-indent:2em;\">会议强调，要深入推进{SERIOUS_WRONG}常态化，持续优化发展环境。</p>\n"
        ),
        Slip::WrongTitle => format!(
            "<p style=\"text-indent:2em;\">{}{}出席会议并讲话，对下一步工作提出明确要求。{}{}强调，要压实责任、狠抓落实。</p>\n",
            LEADER.1, LEADER.0, LEADER.2, LEADER_MISSPELT
        ),
        Slip::Gongshi => {
            let file = gongshi_path(item);
            let name = file.rsplit('/').next().unwrap_or("");
            format!(
                "<p style=\"text-indent:2em;\">现将{}2023年临时救助对象名单予以公示，公示期5个工作日。</p>\n<p><a href=\"./{name}\">附件：临时救助对象名单公示.docx</a></p>\n",
                super::render::esc(&site.name)
            )
        }
    }
}

/// The 公示 DOCX: a paragraph, the office's contact line (not a leak) and a table of
/// citizens with their full ID numbers (the leak).
pub fn gongshi_docx(site: &SimSite) -> Vec<u8> {
    let para = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let mut body = para(&format!("{}临时救助对象名单公示", site.name));
    body.push_str(&para("办公电话：0379-67812345"));
    body.push_str("<w:tbl>");
    body.push_str(&format!(
        "<w:tr>{}{}{}{}</w:tr>",
        cell("序号"),
        cell("姓名"),
        cell("身份证号"),
        cell("住址")
    ));
    for (k, (id, name)) in gongshi_ids()
        .iter()
        .zip(["王某甲", "李某乙", "张某丙"])
        .enumerate()
    {
        body.push_str(&format!(
            "<w:tr>{}{}{}{}</w:tr>",
            cell(&(k + 1).to_string()),
            cell(name),
            cell(id),
            cell("城关镇某村")
        ));
    }
    body.push_str("</w:tbl>");
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opt = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document),
    ];
    for (name, text) in parts {
        // Writing to memory cannot fail.
        let _ = zip.start_file(name, opt);
        let _ = zip.write_all(text.as_bytes());
    }
    let _ = zip.finish();
    buf.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn the_planted_ids_are_valid_and_each_slip_has_its_article() {
        for id in gongshi_ids() {
            assert!(crate::screen::valid_id_number(&id), "{id}");
        }
        let d = NaiveDate::from_ymd_opt(2023, 3, 15).unwrap();
        let district = District::generate(&SimConfig::new(d));
        let p = planted(&district);
        let kinds: Vec<Slip> = p.iter().map(|(_, _, s)| *s).collect();
        assert_eq!(
            kinds,
            vec![
                Slip::Typos,
                Slip::HiddenLink,
                Slip::SeriousError,
                Slip::WrongTitle,
                Slip::Gongshi
            ]
        );
        // Every planted article is published after the leader's change of title.
        let changed = title_changed(d);
        let site = slip_site(&district).unwrap();
        for (_, path, slip) in &p {
            let item = site
                .columns
                .iter()
                .flat_map(|c| c.items.iter())
                .find(|i| i.path == *path)
                .unwrap();
            assert!(item.date > changed, "{slip:?} {}", item.date);
        }
        let text =
            crate::screen::document_text(&gongshi_docx(&district.sites[1]), "a.docx").unwrap();
        assert!(text.contains(&gongshi_ids()[0]), "{text}");
    }
}
