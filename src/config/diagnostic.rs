//! Config and rule-file diagnostics: one `Diagnostic` per problem, with file, line, column,
//! the offending source line and an optional "did you mean" help. Owns the rendering and
//! the suggestion helper; it must not decide what is valid (the validators do).

use std::fmt;

/// One problem found in config.yaml or a rule file, located at file:line:column.
///
/// `line` and `column` are 1-based (column counted in characters). A `line` of 0 means
/// the problem concerns the whole file (for example, it cannot be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it, e.g. `config.yaml` or `rules/local.yaml`.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when the problem concerns the whole file.
    pub column: usize,
    /// What is wrong, e.g. "unknown key `colums` in site `portal`".
    pub message: String,
    /// The source line the problem is on (empty when `line` is 0).
    pub source_line: String,
    /// What to do about it, e.g. "did you mean `columns`?".
    pub help: Option<String>,
    /// How many characters to underline from `column` (at least 1 when shown).
    pub length: usize,
}

impl Diagnostic {
    /// A diagnostic about a whole file (no position), e.g. a file that cannot be read.
    pub fn file_level(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: String::new(),
            help: None,
            length: 0,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: 错误：{}", self.file, self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: 错误：{}",
                self.file, self.line, self.column, self.message
            )?;
            let num = self.line.to_string();
            let gutter = " ".repeat(num.len());
            let src = self.source_line.trim_end_matches(['\r', '\n']);
            write!(f, "\n  {num} | {src}")?;
            let marked: usize = src
                .chars()
                .skip(self.column.saturating_sub(1))
                .take(self.length.max(1))
                .map(crate::textwidth::char_width)
                .sum();
            let lead_str: String = src
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| {
                    if c == '\t' {
                        "\t".to_string()
                    } else {
                        " ".repeat(crate::textwidth::char_width(c))
                    }
                })
                .collect();
            write!(f, "\n  {gutter} | {lead_str}{}", "^".repeat(marked.max(1)))?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = 提示：{help}")?;
        }
        Ok(())
    }
}

/// Renders every diagnostic, separated by blank lines, followed by a count line.
pub fn render_diagnostics(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push_str("\n\n");
    }
    match diags.len() {
        0 => {}
        n => out.push_str(&format!("共发现 {n} 个问题\n")),
    }
    out
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for cand in candidates {
        let cl = cand.to_lowercase();
        let mut score = strsim::normalized_damerau_levenshtein(&lower, &cl);
        if cl == lower {
            score = 1.0;
        } else if !lower.is_empty()
            && (cl.ends_with(&format!("/{lower}")) || cl.starts_with(&lower))
        {
            score = score.max(0.8);
        }
        if score >= 0.6 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" when a candidate is close, else the list of allowed values.
pub(crate) fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    match suggest(word, candidates.iter().copied()) {
        Some(c) => format!("是否应为 `{c}`？"),
        None => format!(
            "可选值：{}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_the_documented_layout() {
        let d = Diagnostic {
            file: "config.yaml".into(),
            line: 7,
            column: 5,
            message: "unknown key `colums` in site `portal`".into(),
            source_line: "    colums:".into(),
            help: Some("did you mean `columns`?".into()),
            length: 6,
        };
        assert_eq!(
            d.to_string(),
            "config.yaml:7:5: 错误：unknown key `colums` in site `portal`\n  7 |     colums:\n    |     ^^^^^^\n  = 提示：did you mean `columns`?"
        );
    }

    #[test]
    fn carets_account_for_wide_chinese_characters() {
        let d = Diagnostic {
            file: "c.yaml".into(),
            line: 1,
            column: 7,
            message: "m".into(),
            source_line: "name: 孟津 bad".into(),
            help: None,
            length: 2,
        };
        let text = d.to_string();
        let caret_line = text.lines().nth(2).unwrap_or_default();
        assert_eq!(caret_line, "    |       ^^^^");
    }

    #[test]
    fn suggestion_finds_typos_but_not_unrelated_words() {
        assert_eq!(suggest("colums", ["id", "columns", "url"]), Some("columns"));
        assert_eq!(
            suggest("Shanghai", ["Asia/Shanghai", "Europe/Paris"]),
            Some("Asia/Shanghai")
        );
        assert_eq!(suggest("zzzzzz", ["id", "columns", "url"]), None);
    }
}
