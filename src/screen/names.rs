//! 严重表述错误: names that must be written exactly. A table (YAML, read with the config's
//! located YAML reader) of leaders with the titles they held and when, official bodies and
//! fixed formulations, each with its known wrong variants. The built-in part
//! (`formulations.yaml` beside this file) holds national fixed formulations only, each
//! sourced; the district's table (`screening.names`) adds its leaders, bodies and
//! formulations.
//!
//! Judgments: a wrong variant is an error unless it lies inside an occurrence of a right
//! form (the right form is never flagged); a body's wrong variant may apply only from a date
//! (a renamed body: the old name is right before it). A leader's name next to one of the
//! table's titles (张三区长, 张三同志 区长, 区长张三) is judged by the publish date: a title the
//! leader held that day is right; another title of the table is an error naming the title
//! valid that day; when the table knows no title for that day nothing is claimed. A title
//! after 原/前/副 before the name (原区长张三, 副区长张三) is not judged.

use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::NaiveDate;

use super::{Hit, HitKind, Stream};
use crate::config::render_diagnostics;
use crate::config::yaml::{self, Fields, Node, Reporter};

/// The built-in national fixed formulations.
pub const BUILTIN_FORMULATIONS: &str = include_str!("formulations.yaml");
const BUILTIN_NAME: &str = "<built-in>/formulations.yaml";

/// One wrong variant and its right form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Variant {
    pub wrong: String,
    pub right: String,
    /// Where the right form is prescribed, or the table it comes from.
    pub source: String,
    /// The variant is wrong only in texts published on or after this day.
    pub from: Option<NaiveDate>,
}

/// One title a leader held.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tenure {
    pub title: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Tenure {
    fn holds(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|t| day <= t)
    }

    fn span_zh(&self) -> String {
        match self.to {
            Some(t) => format!("{}至{}", self.from, t),
            None => format!("{}起", self.from),
        }
    }
}

/// One leader.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Leader {
    pub name: String,
    pub titles: Vec<Tenure>,
}

/// A names table (built-in, the district's, or both merged).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    pub variants: Vec<Variant>,
    pub leaders: Vec<Leader>,
}

const TOP_KEYS: &[&str] = &["leaders", "bodies", "formulations"];

/// Reads a names table file; the error names the file, line and column of every problem.
pub(crate) fn load(path: &Path) -> Result<Table, String> {
    let file = path.display().to_string();
    let text = yaml::read_text(
        path,
        &file,
        "名称表",
        "请检查 config.yaml 中 screening.names 的路径",
    )
    .map_err(|d| render_diagnostics(&[d]))?;
    parse(&text, &file)
}

/// Parses names table text named `file` (in messages).
pub(crate) fn parse(text: &str, file: &str) -> Result<Table, String> {
    let mut r = Reporter::new(file, text);
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(Table::default()),
        Err(e) => {
            r.syntax_error(&e);
            return Err(render_diagnostics(&r.into_sorted()));
        }
    };
    let mut table = Table::default();
    if let Some(f) = r.fields(&root, TOP_KEYS, "名称表") {
        leaders(&mut r, &f, file, &mut table);
        for (key, name_key, what) in [
            ("bodies", "name", "机构名称"),
            ("formulations", "right", "固定表述"),
        ] {
            fixed(&mut r, &f, key, name_key, what, file, &mut table);
        }
    }
    if r.diags.is_empty() {
        Ok(table)
    } else {
        Err(render_diagnostics(&r.into_sorted()))
    }
}

fn date(r: &mut Reporter, n: &Node, key: &str, ctx: &str) -> Option<NaiveDate> {
    let s = r.string(n, key, ctx)?;
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            r.at(
                n,
                format!("{ctx}中的 `{key}` 应为日期 YYYY-MM-DD，实际是 `{s}`"),
                Some("例如 2023-02-01".into()),
            );
            None
        }
    }
}

/// A list of non-empty strings (absent or null = empty).
fn strings(r: &mut Reporter, n: Option<&Node>, key: &str, ctx: &str) -> Vec<String> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    let Some(items) = r.seq(n, key, ctx) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| r.string(i, key, ctx))
        .map(|s| s.trim().to_string())
        .collect()
}

fn leaders(r: &mut Reporter, f: &Fields, file: &str, table: &mut Table) {
    let Some(n) = f.get("leaders").filter(|n| !n.is_null()) else {
        return;
    };
    let Some(items) = r.seq(n, "leaders", "名称表") else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let ctx = match item.peek("name").and_then(Node::scalar) {
            Some(name) => format!("领导 `{name}` "),
            None => format!("第 {} 位领导", i + 1),
        };
        let Some(lf) = r.fields(item, &["name", "titles", "wrong"], &ctx) else {
            continue;
        };
        let name = r
            .required(&lf, "name", &ctx)
            .and_then(|x| r.string(x, "name", &ctx))
            .map(|s| s.trim().to_string());
        let mut titles = Vec::new();
        if let Some(tn) = r.required(&lf, "titles", &ctx)
            && let Some(ts) = r.seq(tn, "titles", &ctx)
        {
            for t in ts {
                let tctx = format!("{ctx}的一项职务");
                let Some(tf) = r.fields(t, &["title", "from", "to"], &tctx) else {
                    continue;
                };
                let title = r
                    .required(&tf, "title", &tctx)
                    .and_then(|x| r.string(x, "title", &tctx));
                let from = r
                    .required(&tf, "from", &tctx)
                    .and_then(|x| date(r, x, "from", &tctx));
                let to = match tf.get("to").filter(|x| !x.is_null()) {
                    Some(x) => date(r, x, "to", &tctx).map(Some),
                    None => Some(None),
                };
                if let (Some(from), Some(Some(to)), Some(x)) = (from, to, tf.get("to"))
                    && to < from
                {
                    r.at(
                        x,
                        format!("{tctx}的 `to`（{to}）早于 `from`（{from}）"),
                        None,
                    );
                    continue;
                }
                if let (Some(title), Some(from), Some(to)) = (title, from, to) {
                    titles.push(Tenure {
                        title: title.trim().to_string(),
                        from,
                        to,
                    });
                }
            }
        }
        let mut wrong = strings(r, lf.get("wrong"), "wrong", &ctx);
        if let (Some(name), Some(wn)) = (&name, lf.get("wrong"))
            && let Some(w) = wrong.iter().find(|w| name.contains(w.as_str()))
        {
            r.at(
                wn,
                format!("{ctx}的错误写法 `{w}` 是姓名的一部分，会把正确的姓名标为错误"),
                Some("删去这个错误写法".into()),
            );
            wrong.clear();
        }
        if let Some(name) = name {
            for w in wrong {
                table.variants.push(Variant {
                    wrong: w,
                    right: name.clone(),
                    source: format!("名称表 {file}：领导姓名"),
                    from: None,
                });
            }
            table.leaders.push(Leader { name, titles });
        }
    }
}

fn fixed(
    r: &mut Reporter,
    f: &Fields,
    key: &str,
    name_key: &str,
    what: &str,
    file: &str,
    table: &mut Table,
) {
    let Some(n) = f.get(key).filter(|n| !n.is_null()) else {
        return;
    };
    let Some(items) = r.seq(n, key, "名称表") else {
        return;
    };
    let keys: &[&str] = if key == "bodies" {
        &["name", "wrong", "from", "source"]
    } else {
        &["right", "wrong", "source"]
    };
    for (i, item) in items.iter().enumerate() {
        let ctx = match item.peek(name_key).and_then(Node::scalar) {
            Some(name) => format!("{what} `{name}` "),
            None => format!("`{key}` 的第 {} 项", i + 1),
        };
        let Some(ef) = r.fields(item, keys, &ctx) else {
            continue;
        };
        let right = r
            .required(&ef, name_key, &ctx)
            .and_then(|x| r.string(x, name_key, &ctx))
            .map(|s| s.trim().to_string());
        let wn = r.required(&ef, "wrong", &ctx);
        let wrong = strings(r, wn, "wrong", &ctx);
        let source = match ef.get("source") {
            Some(x) => r.string(x, "source", &ctx),
            None => Some(format!("名称表 {file}：{what}")),
        };
        let from = match ef.get("from").filter(|x| !x.is_null()) {
            Some(x) => date(r, x, "from", &ctx).map(Some),
            None => Some(None),
        };
        let (Some(right), Some(source), Some(from)) = (right, source, from) else {
            continue;
        };
        if let Some(w) = wrong.iter().find(|w| right.contains(w.as_str()))
            && let Some(x) = wn
        {
            r.at(
                x,
                format!("{ctx}的错误写法 `{w}` 是规范写法的一部分，会把规范写法标为错误"),
                Some("删去这个错误写法，或写出更长的错误写法".into()),
            );
            continue;
        }
        for w in wrong {
            table.variants.push(Variant {
                wrong: w,
                right: right.clone(),
                source: source.clone(),
                from,
            });
        }
    }
}

/// The built-in national formulations (the embedded file validates: a unit test).
pub(crate) fn builtin() -> Table {
    parse(BUILTIN_FORMULATIONS, BUILTIN_NAME)
        .unwrap_or_else(|e| panic!("the built-in formulations.yaml is invalid:\n{e}"))
}

/// A table compiled for matching.
pub(crate) struct Compiled {
    table: Table,
    /// Wrong variants (pattern i = `table.variants[i]`).
    wrong: Option<AhoCorasick>,
    /// Right forms, to never flag inside them.
    right: Option<AhoCorasick>,
    /// Leader names (pattern i = `table.leaders[i]`).
    names: Option<AhoCorasick>,
    /// Every title of the table, longest first.
    titles: Vec<Vec<char>>,
}

fn matcher<'a>(
    pats: impl IntoIterator<Item = &'a str>,
    kind: MatchKind,
) -> Result<Option<AhoCorasick>, String> {
    let pats: Vec<&str> = pats.into_iter().collect();
    if pats.is_empty() {
        return Ok(None);
    }
    AhoCorasick::builder()
        .match_kind(kind)
        .build(pats)
        .map(Some)
        .map_err(|e| format!("名称表无法编译：{e}"))
}

impl Compiled {
    pub(crate) fn new(table: Table) -> Result<Compiled, String> {
        let longest = MatchKind::LeftmostLongest;
        let wrong = matcher(table.variants.iter().map(|v| v.wrong.as_str()), longest)?;
        // Overlapping search (every occurrence of every right form) needs the standard kind.
        let right = matcher(
            table.variants.iter().map(|v| v.right.as_str()),
            MatchKind::Standard,
        )?;
        let names = matcher(table.leaders.iter().map(|l| l.name.as_str()), longest)?;
        let mut titles: Vec<Vec<char>> = table
            .leaders
            .iter()
            .flat_map(|l| l.titles.iter().map(|t| t.title.chars().collect()))
            .collect();
        titles.sort_by_key(|t: &Vec<char>| std::cmp::Reverse(t.len()));
        titles.dedup();
        Ok(Compiled {
            table,
            wrong,
            right,
            names,
            titles,
        })
    }

    /// 严重表述错误 in the stream of a text published on `day`.
    pub(crate) fn hits(&self, s: &Stream, day: NaiveDate) -> Vec<Hit> {
        let mut out = Vec::new();
        if let Some(wrong) = &self.wrong {
            let covered: Vec<(usize, usize)> = self
                .right
                .as_ref()
                .map(|r| {
                    r.find_overlapping_iter(&s.text)
                        .map(|m| (m.start(), m.end()))
                        .collect()
                })
                .unwrap_or_default();
            for m in wrong.find_iter(&s.text) {
                let v = &self.table.variants[m.pattern().as_usize()];
                let inside_right = covered.iter().any(|&(a, b)| a <= m.start() && m.end() <= b);
                if inside_right || v.from.is_some_and(|f| day < f) {
                    continue;
                }
                let (a, b) = (s.char_at(m.start()), s.char_at(m.end()));
                let mut h = s.hit(
                    HitKind::SeriousError,
                    a,
                    b,
                    format!("“{}”应为“{}”", v.wrong, v.right),
                    &format!("规范表述：{}（{}）", v.right, v.source),
                );
                h.serious = true;
                out.push(h);
            }
        }
        if let Some(names) = &self.names {
            for m in names.find_iter(&s.text) {
                let leader = &self.table.leaders[m.pattern().as_usize()];
                let (a, b) = (s.char_at(m.start()), s.char_at(m.end()));
                out.extend(self.title_hit(s, leader, a, b, day));
            }
        }
        out
    }

    /// The title written next to a leader's name at characters `a..b`, judged on `day`.
    fn title_hit(
        &self,
        s: &Stream,
        leader: &Leader,
        a: usize,
        b: usize,
        day: NaiveDate,
    ) -> Option<Hit> {
        let c = &s.chars;
        let gap = if c[b..].starts_with(&['同', '志']) {
            2
        } else {
            0
        };
        let after = self
            .titles
            .iter()
            .find(|t| c[b + gap..].starts_with(t))
            .map(|t| (a, b + gap + t.len(), t));
        let before = self
            .titles
            .iter()
            .find(|t| c[..a].ends_with(t))
            .filter(|t| {
                let k = a - t.len();
                k == 0 || !matches!(c[k - 1], '原' | '前' | '副' | '时')
            })
            .map(|t| (a - t.len(), b, t));
        let (start, end, title) = after.or(before)?;
        let title: String = title.iter().collect();
        if leader
            .titles
            .iter()
            .any(|t| t.title == title && t.holds(day))
        {
            return None;
        }
        let valid: Vec<&Tenure> = leader.titles.iter().filter(|t| t.holds(day)).collect();
        if valid.is_empty() {
            return None;
        }
        let names: Vec<&str> = valid.iter().map(|t| t.title.as_str()).collect();
        let spans: Vec<String> = leader
            .titles
            .iter()
            .map(|t| format!("{}（{}）", t.title, t.span_zh()))
            .collect();
        let mut h = s.hit(
            HitKind::SeriousError,
            start,
            end,
            format!(
                "{day}时{}的职务为“{}”，不是“{title}”",
                leader.name,
                names.join("、")
            ),
            &format!("名称表：{} {}", leader.name, spans.join("；")),
        );
        h.serious = true;
        Some(h)
    }
}
