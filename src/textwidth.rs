//! Display width of text in terminal cells and spreadsheet columns: CJK and full-width
//! forms take two cells. One definition for the CLI tables, config diagnostics (carets
//! under Chinese lines) and report column sizing.

/// Cells one character takes: 2 for CJK and full-width forms, else 1.
pub fn char_width(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Cells a string takes.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_and_full_width_count_two() {
        assert_eq!(display_width("孟津区abc"), 9);
        assert_eq!(display_width("（１）"), 6);
        assert_eq!(display_width("—"), 1);
    }
}
