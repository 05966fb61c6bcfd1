//! A small position-annotated YAML tree built from granit-parser events, plus a `Reporter`
//! that turns problems at a node into `Diagnostic`s and reads typed values from nodes.
//! It owns YAML syntax handling only; it must not know what keys a config or rule file has.

use super::diagnostic::{Diagnostic, did_you_mean};
use granit_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

/// Where a node starts (1-based line and character column) and how many characters of
/// that line it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Loc {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

impl Loc {
    fn from_span(span: &Span) -> Loc {
        let (s, e) = (span.start, span.end);
        let len = if e.line() == s.line() {
            e.col().saturating_sub(s.col())
        } else {
            usize::MAX
        };
        Loc {
            line: s.line().max(1),
            col: s.col() + 1,
            len,
        }
    }
}

/// A YAML node with its location.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub loc: Loc,
    pub kind: Kind,
}

/// The node's content. Scalars keep their raw text; typing happens on read.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A scalar; `plain` is false for quoted and block scalars (always strings).
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A plain `~`, `null` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { value, plain: true }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A short description of what the node is, for "found …" in type errors.
    pub fn describe(&self) -> String {
        match &self.kind {
            _ if self.is_null() => "空值（null）".to_string(),
            Kind::Scalar { value, .. } => format!("`{value}`"),
            Kind::Seq(_) => "列表".to_string(),
            Kind::Map(_) => "键值映射".to_string(),
        }
    }

    /// The value of `key` if the node is a mapping that has it (no diagnostics).
    pub fn peek(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar text, if the node is a non-null scalar.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } if !self.is_null() => Some(value),
            _ => None,
        }
    }
}

/// A YAML syntax error position and message.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Most aliases (`*name`) one document may use.
pub(crate) const MAX_ALIASES: usize = 1_000;
/// Most nodes one document may expand to, aliases expanded (a real config has a few
/// thousand): the cap that keeps an alias bomb (a few KB of nested aliases) from taking
/// gigabytes.
pub(crate) const MAX_EXPANDED_NODES: usize = 200_000;
/// Most scalar text one document may expand to, aliases expanded.
pub(crate) const MAX_EXPANDED_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting of lists and mappings (the tree is dropped and cloned recursively).
pub(crate) const MAX_DEPTH: usize = 64;
/// Largest config or rule file read.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What a subtree costs once expanded: nodes and scalar bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    nodes: usize,
    bytes: usize,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

enum Frame {
    Seq {
        loc: Loc,
        anchor: usize,
        items: Vec<Node>,
        size: Size,
    },
    Map {
        loc: Loc,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        size: Size,
    },
}

impl Frame {
    fn size_mut(&mut self) -> &mut Size {
        match self {
            Frame::Seq { size, .. } | Frame::Map { size, .. } => size,
        }
    }
}

/// Parses one YAML document into a tree. `Ok(None)` for an empty document. Aliases are
/// expanded, within [`MAX_ALIASES`], [`MAX_EXPANDED_NODES`] and [`MAX_EXPANDED_BYTES`]:
/// beyond them the document is refused at the alias that crossed the limit.
pub(crate) fn parse(src: &str) -> Result<Option<Node>, SyntaxError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, Size)> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut aliases = 0usize;
    let mut total = Size::default();
    for next in Parser::new_from_str(src) {
        let (event, span) = next.map_err(|e| SyntaxError {
            line: e.marker().line().max(1),
            col: e.marker().col() + 1,
            message: e.info(),
        })?;
        let loc = Loc::from_span(&span);
        if stack.len() > MAX_DEPTH {
            return Err(SyntaxError {
                line: loc.line,
                col: loc.col,
                message: format!("列表和映射嵌套超过 {MAX_DEPTH} 层；配置或规则文件只需要几层"),
            });
        }
        let done: Option<(Node, Size)> = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        line: loc.line,
                        col: loc.col,
                        message: "a second YAML document (`---`) is not allowed here; keep one document per file".into(),
                    });
                }
                None
            }
            Event::Scalar(value, style, anchor, _tag) => {
                let size = Size {
                    nodes: 1,
                    bytes: value.len(),
                };
                let node = Node {
                    loc,
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                };
                if anchor != 0 {
                    anchors.insert(anchor, (node.clone(), size));
                }
                Some((node, size))
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some((n, size)) => {
                    aliases += 1;
                    total.add(*size);
                    if aliases > MAX_ALIASES
                        || total.nodes > MAX_EXPANDED_NODES
                        || total.bytes > MAX_EXPANDED_BYTES
                    {
                        return Err(SyntaxError {
                            line: loc.line,
                            col: loc.col,
                            message: format!(
                                "YAML 别名（alias）过多或过大：加上这个别名，文档将展开超过 {MAX_ALIASES} 个别名、{MAX_EXPANDED_NODES} 个值或 {} MiB 文字（疑似别名炸弹）；请直接写出取值，不要嵌套别名",
                                MAX_EXPANDED_BYTES / (1024 * 1024)
                            ),
                        });
                    }
                    let mut n = n.clone();
                    n.loc = loc;
                    Some((n, *size))
                }
                None => {
                    return Err(SyntaxError {
                        line: loc.line,
                        col: loc.col,
                        message: "alias to an unknown anchor".into(),
                    });
                }
            },
            Event::SequenceStart(_, anchor, _) => {
                stack.push(Frame::Seq {
                    loc,
                    anchor,
                    items: Vec::new(),
                    size: Size { nodes: 1, bytes: 0 },
                });
                None
            }
            Event::MappingStart(_, anchor, _) => {
                stack.push(Frame::Map {
                    loc,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    size: Size { nodes: 1, bytes: 0 },
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    loc,
                    anchor,
                    items,
                    size,
                }) => {
                    let node = Node {
                        loc,
                        kind: Kind::Seq(items),
                    };
                    if anchor != 0 {
                        anchors.insert(anchor, (node.clone(), size));
                    }
                    Some((node, size))
                }
                Some(Frame::Map {
                    loc,
                    anchor,
                    entries,
                    size,
                    ..
                }) => {
                    let node = Node {
                        loc,
                        kind: Kind::Map(entries),
                    };
                    if anchor != 0 {
                        anchors.insert(anchor, (node.clone(), size));
                    }
                    Some((node, size))
                }
                None => None,
            },
            _ => None,
        };
        if let Some((node, size)) = done {
            if let Some(parent) = stack.last_mut() {
                parent.size_mut().add(size);
            }
            match stack.last_mut() {
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    Some(k) => entries.push((k, node)),
                    None => *key = Some(node),
                },
                None => root = Some(node),
            }
        }
    }
    Ok(root)
}

/// Reads a config or rule file as UTF-8 text. A file that cannot be read gets `unreadable_help`
/// (about its path); a file that is too large or not UTF-8 gets a diagnostic at the first
/// bad byte's line and column with a hint about the encoding, not the path.
pub(crate) fn read_text(
    path: &std::path::Path,
    file_name: &str,
    what: &str,
    unreadable_help: &str,
) -> Result<String, Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        Diagnostic::file_level(file_name, format!("无法读取{what}：{e}")).with_help(unreadable_help)
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::file_level(
            file_name,
            format!(
                "{what}大于 {} MiB，不是配置或规则文件",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("请检查路径；配置或规则文件是几 KB 的 YAML"));
    }
    text_of(bytes, file_name, what)
}

/// `bytes` as UTF-8, or a diagnostic at the first invalid byte.
fn text_of(bytes: Vec<u8>, file_name: &str, what: &str) -> Result<String, Diagnostic> {
    let err = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let bytes = err.as_bytes();
    let at = err.utf8_error().valid_up_to();
    let before = &bytes[..at];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    // Valid up to `at`, so the part of the line before it decodes.
    let column = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    let line_end = bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let source_line = String::from_utf8_lossy(&bytes[line_start..line_end]).into_owned();
    let help = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "文件以 UTF-16（“Unicode”）保存；请另存为 UTF-8"
    } else {
        "请把文件另存为 UTF-8（中文 Windows 上的编辑器可能把它保存成了 GBK/ANSI）"
    };
    Err(Diagnostic {
        file: file_name.to_string(),
        line,
        column,
        message: format!(
            "{what}不是有效的 UTF-8：字节 0x{:02X} 不能在此处开始或延续一个字符",
            bytes[at]
        ),
        source_line,
        help: Some(help.to_string()),
        length: 1,
    })
}

/// Collects diagnostics for one file and reads typed values from its nodes.
pub(crate) struct Reporter<'a> {
    file: String,
    lines: Vec<&'a str>,
    /// Every problem found so far, in the order found.
    pub diags: Vec<Diagnostic>,
}

/// A mapping's entries by key text, after unknown and duplicate keys were reported.
pub(crate) struct Fields<'n> {
    pub node: &'n Node,
    entries: Vec<(&'n str, &'n Node, &'n Node)>,
}

impl<'n> Fields<'n> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }

    /// The key node of `key`, if present (for pointing at the key itself).
    pub fn key_node(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, k, _)| *k)
    }
}

impl<'a> Reporter<'a> {
    /// A reporter for `file` whose text is `src`.
    pub fn new(file: &str, src: &'a str) -> Reporter<'a> {
        Reporter {
            file: file.to_string(),
            lines: src.lines().collect(),
            diags: Vec::new(),
        }
    }

    /// The problems found so far, ordered by line and column.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.diags.sort_by_key(|d| (d.line, d.column));
        self.diags
    }

    /// The file name diagnostics carry.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Records a problem at a location.
    pub fn at_loc(&mut self, loc: Loc, message: impl Into<String>, help: Option<String>) {
        let source_line = self
            .lines
            .get(loc.line.saturating_sub(1))
            .copied()
            .unwrap_or("")
            .to_string();
        let avail = source_line.chars().count().saturating_sub(loc.col - 1);
        self.diags.push(Diagnostic {
            file: self.file.clone(),
            line: loc.line,
            column: loc.col,
            message: message.into(),
            source_line,
            help,
            length: loc.len.min(avail).max(1),
        });
    }

    /// Records a YAML syntax error at its position.
    pub fn syntax_error(&mut self, e: &SyntaxError) {
        let loc = Loc {
            line: e.line,
            col: e.col,
            len: 1,
        };
        self.at_loc(loc, format!("YAML 语法错误：{}", e.message), None);
    }

    /// Records a problem at a node.
    pub fn at(&mut self, node: &Node, message: impl Into<String>, help: Option<String>) {
        self.at_loc(node.loc, message, help);
    }

    /// Reads a mapping, reporting a non-mapping, unknown keys (with a suggestion) and
    /// duplicate keys. `ctx` names the place as a Chinese noun phrase, e.g. "网站 `portal`".
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        allowed: &[&str],
        ctx: &str,
    ) -> Option<Fields<'n>> {
        let Kind::Map(entries) = &node.kind else {
            self.at(
                node,
                format!("{ctx}应为键值映射，实际是 {}", node.describe()),
                None,
            );
            return None;
        };
        let mut out: Vec<(&'n str, &'n Node, &'n Node)> = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.scalar() else {
                self.at(
                    k,
                    format!("{ctx}中的键应为普通名称，实际是 {}", k.describe()),
                    None,
                );
                continue;
            };
            if !allowed.contains(&name) {
                let help = did_you_mean(name, allowed);
                self.at(k, format!("{ctx}中有未知的键 `{name}`"), Some(help));
                continue;
            }
            if let Some((_, first, _)) = out.iter().find(|(n, _, _)| *n == name) {
                let first_line = first.loc.line;
                self.at(
                    k,
                    format!("{ctx}中的键 `{name}` 重复"),
                    Some(format!("第 {first_line} 行已经设置过；只保留一个")),
                );
                continue;
            }
            out.push((name, k, v));
        }
        Some(Fields { node, entries: out })
    }

    /// The value of a required key, reporting it when missing.
    pub fn required<'n>(&mut self, f: &Fields<'n>, key: &str, ctx: &str) -> Option<&'n Node> {
        let v = f.get(key);
        if v.is_none() {
            self.at(
                f.node,
                format!("{ctx}缺少必填项 `{key}`"),
                Some(format!("添加 `{key}:`")),
            );
        }
        v
    }

    /// A non-empty string (any non-null scalar).
    pub fn string(&mut self, node: &Node, key: &str, ctx: &str) -> Option<String> {
        match node.scalar() {
            Some(s) if !s.trim().is_empty() => Some(s.to_string()),
            _ => {
                self.at(
                    node,
                    format!("{ctx}中的 `{key}` 应为文字，实际是 {}", node.describe()),
                    None,
                );
                None
            }
        }
    }

    /// A whole number ≥ 0.
    pub fn uint(&mut self, node: &Node, key: &str, ctx: &str) -> Option<u64> {
        if let Kind::Scalar { value, plain: true } = &node.kind
            && let Ok(n) = value.trim().replace('_', "").parse::<u64>()
        {
            return Some(n);
        }
        self.at(
            node,
            format!(
                "{ctx}中的 `{key}` 应为不小于 0 的整数，实际是 {}",
                node.describe()
            ),
            None,
        );
        None
    }

    /// A whole number ≥ 0 that fits in u32.
    pub fn u32(&mut self, node: &Node, key: &str, ctx: &str) -> Option<u32> {
        let n = self.uint(node, key, ctx)?;
        match u32::try_from(n) {
            Ok(v) => Some(v),
            Err(_) => {
                self.at(node, format!("{ctx}中的 `{key}` 太大（{n}）"), None);
                None
            }
        }
    }

    /// A finite number.
    pub fn number(&mut self, node: &Node, key: &str, ctx: &str) -> Option<f64> {
        if let Kind::Scalar { value, plain: true } = &node.kind
            && let Ok(n) = value.trim().parse::<f64>()
            && n.is_finite()
        {
            return Some(n);
        }
        self.at(
            node,
            format!("{ctx}中的 `{key}` 应为数字，实际是 {}", node.describe()),
            None,
        );
        None
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, node: &Node, key: &str, ctx: &str) -> Option<bool> {
        if let Kind::Scalar { value, plain: true } = &node.kind {
            match value.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            }
        }
        let help = match node.scalar() {
            Some("yes" | "Yes" | "on" | "On" | "y") => {
                Some("请写 `true`（YAML 1.2 把这个词当作文字）".to_string())
            }
            Some("no" | "No" | "off" | "Off" | "n") => {
                Some("请写 `false`（YAML 1.2 把这个词当作文字）".to_string())
            }
            _ => None,
        };
        self.at(
            node,
            format!(
                "{ctx}中的 `{key}` 应为 `true` 或 `false`，实际是 {}",
                node.describe()
            ),
            help,
        );
        None
    }

    /// A list.
    pub fn seq<'n>(&mut self, node: &'n Node, key: &str, ctx: &str) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            _ => {
                self.at(
                    node,
                    format!("{ctx}中的 `{key}` 应为列表，实际是 {}", node.describe()),
                    None,
                );
                None
            }
        }
    }

    /// One of a fixed set of words, with a suggestion when it is not.
    pub fn choice<T: Copy>(
        &mut self,
        node: &Node,
        key: &str,
        ctx: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let word = self.string(node, key, ctx)?;
        if let Some((_, v)) = options.iter().find(|(n, _)| *n == word) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let help = did_you_mean(&word, &names);
        self.at(
            node,
            format!("{ctx}中的 `{key}` 取值 `{word}` 无效"),
            Some(help),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_keeps_line_and_column_of_keys_and_values() {
        let src = "a: 1\nb:\n  - x\n  - {c: d}\n";
        let root = parse(src).ok().flatten().expect("document");
        let Kind::Map(entries) = &root.kind else {
            panic!("map expected")
        };
        assert_eq!(entries.len(), 2);
        let (bk, bv) = &entries[1];
        assert_eq!((bk.loc.line, bk.loc.col, bk.loc.len), (2, 1, 1));
        let Kind::Seq(items) = &bv.kind else {
            panic!("seq expected")
        };
        assert_eq!((items[0].loc.line, items[0].loc.col), (3, 5));
        let Kind::Map(inner) = &items[1].kind else {
            panic!("map expected")
        };
        assert_eq!((inner[0].1.loc.line, inner[0].1.loc.col), (4, 9));
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = parse("a: [1, 2\nb: 3\n").expect_err("syntax error");
        assert!(err.line >= 1 && err.col >= 1, "{err:?}");
        assert!(!err.message.is_empty());
    }

    /// The classic "billion laughs" in about 4 KB: ten levels of ten aliases each would
    /// expand to 10^10 values.
    fn alias_bomb() -> String {
        let mut s = String::from(
            "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
        );
        for i in 1..=10 {
            let p = i - 1;
            let refs = vec![format!("*a{p}"); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        s
    }

    #[test]
    fn an_alias_bomb_is_refused_at_the_alias_that_crosses_the_limit() {
        let bomb = alias_bomb();
        assert!(bomb.len() < 4096, "{}", bomb.len());
        let err = parse(&bomb).expect_err("alias bomb refused");
        assert!(err.message.contains("别名"), "{err:?}");
        // 10^5 values are reached on line 6 (`a5`), the 10^6th would be on line 7.
        assert!((6..=7).contains(&err.line), "{err:?}");
        assert!(err.col > 1);
    }

    #[test]
    fn many_small_aliases_are_refused_by_count() {
        let mut s = String::from("x: &x 1\nl:\n");
        for _ in 0..=MAX_ALIASES {
            s.push_str("  - *x\n");
        }
        let err = parse(&s).expect_err("too many aliases");
        assert_eq!(err.line, 3 + MAX_ALIASES, "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused_with_a_position() {
        // Flow style: the parser's own recursion limit or ours, either with a position.
        let src = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse(&src).expect_err("too deep");
        assert_eq!(err.line, 1, "{err:?}");
        // Block style, one level per line.
        let mut src = String::new();
        for depth in 0..(MAX_DEPTH + 10) {
            src.push_str(&format!("{}k{depth}:\n", "  ".repeat(depth)));
        }
        let err = parse(&src).expect_err("too deep");
        assert!(err.message.contains("嵌套"), "{err:?}");
        assert!(err.line > MAX_DEPTH, "{err:?}");
    }

    #[test]
    fn a_few_ordinary_aliases_are_fine() {
        let src = "base: &b {delay_ms: 0, timeout_s: 5}\nsites:\n  - crawl: *b\n  - crawl: *b\n";
        assert!(parse(src).is_ok());
    }

    #[test]
    fn invalid_utf8_is_located_with_an_encoding_hint() {
        let mut bytes = "district: 孟津区\nsites:\n  - name: ".as_bytes().to_vec();
        let (gbk, _, _) = encoding_rs::GBK.encode("区人民政府");
        bytes.extend_from_slice(&gbk);
        bytes.extend_from_slice(b"\n");
        let d = text_of(bytes, "config.yaml", "config file").expect_err("not UTF-8");
        assert_eq!((d.line, d.column), (3, 11), "{d}");
        assert!(d.message.contains("不是有效的 UTF-8"), "{d}");
        let help = d.help.unwrap_or_default();
        assert!(help.contains("UTF-8") && !help.contains("path"), "{help}");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: 1".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = text_of(utf16, "config.yaml", "config file").expect_err("UTF-16");
        assert!(d.help.unwrap_or_default().contains("UTF-16"));
    }

    #[test]
    fn aliases_resolve_to_the_anchored_node() {
        let root = parse("a: &x {k: v}\nb: *x\n")
            .ok()
            .flatten()
            .expect("document");
        let Kind::Map(entries) = &root.kind else {
            panic!("map expected")
        };
        assert!(matches!(&entries[1].1.kind, Kind::Map(m) if m.len() == 1));
    }
}
