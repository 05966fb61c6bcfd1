//! Hand-written inline SVG charts for report.html: scores by unit (horizontal bars, names
//! on the left so long Chinese names stay legible) and the district's average score over
//! past runs. Output is a self-contained `<svg>` string: no scripts, no external fonts or
//! images. Every text from the data is escaped here with [`super::html::esc`].

use super::common::{display_width, truncate_width};
use super::html::esc;
use super::model::TrendPoint;
use std::fmt::Write;

/// One bar: a unit's name, its score, and whether it is vetoed (drawn in red).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Unit name.
    pub label: String,
    /// Score 0..100.
    pub value: f64,
    /// Grade shown after the value.
    pub grade: Option<String>,
    /// Failing (vetoed or 不合格): drawn in red.
    pub failing: bool,
}

/// Widest label drawn in full, in display columns (CJK = 2); longer names end with "…"
/// and keep their full text in a `<title>` tooltip.
const LABEL_COLUMNS: usize = 32;
const ROW: f64 = 20.0;
const WIDTH: f64 = 760.0;

/// Horizontal bar chart of scores (0..100), one row per unit, in the given order.
pub fn score_bars(bars: &[Bar]) -> String {
    let longest = bars
        .iter()
        .map(|b| display_width(&b.label).min(LABEL_COLUMNS))
        .max()
        .unwrap_or(8);
    // 6.5px per display column at 13px is enough for CJK (13px wide = 2 columns).
    let label_w = (longest as f64 * 6.8 + 12.0).max(80.0);
    let plot_x = label_w;
    let plot_w = WIDTH - plot_x - 70.0;
    let top = 24.0;
    let height = top + bars.len() as f64 * ROW + 10.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="各单位得分">"#
    );
    // Gridlines at 0, 20 … 100.
    for i in 0..=5 {
        let v = i as f64 * 20.0;
        let x = plot_x + plot_w * v / 100.0;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#ddd"/><text x="{x:.1}" y="14" font-size="11" text-anchor="middle" fill="#666">{v}</text>"##,
            top - 4.0,
            height - 6.0
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + i as f64 * ROW;
        let v = b.value.clamp(0.0, 100.0);
        let w = plot_w * v / 100.0;
        let color = if b.failing { "#c0392b" } else { "#2e6da4" };
        let label = truncate_width(&b.label, LABEL_COLUMNS);
        let _ = write!(
            s,
            r##"<g><title>{}</title><text x="{:.1}" y="{:.1}" font-size="13" text-anchor="end" fill="#222">{}</text><rect x="{plot_x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{color}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#222">{:.1}{}</text></g>"##,
            esc(&b.label),
            plot_x - 6.0,
            y + 14.0,
            esc(&label),
            y + 3.0,
            ROW - 6.0,
            plot_x + w + 4.0,
            y + 14.0,
            b.value,
            b.grade
                .as_deref()
                .map(|g| format!(" {}", esc(g)))
                .unwrap_or_default()
        );
    }
    s.push_str("</svg>");
    s
}

/// Line chart of the district's average score over runs (oldest first). A single point is
/// drawn as a point; runs without an average are skipped.
pub fn trend_line(points: &[TrendPoint]) -> String {
    let pts: Vec<(&TrendPoint, f64)> = points
        .iter()
        .filter_map(|p| p.average_score.map(|v| (p, v)))
        .collect();
    let (w, h) = (WIDTH, 240.0);
    let (left, right, top, bottom) = (50.0, 30.0, 20.0, 50.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="平均得分趋势">"#
    );
    if pts.is_empty() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="14" text-anchor="middle" fill="#666">暂无历史数据</text></svg>"##,
            w / 2.0,
            h / 2.0
        );
        return s;
    }
    // The y axis spans from a little under the lowest average to 100, in steps of 5, so
    // small changes near the top stay visible.
    let min = pts.iter().map(|(_, v)| *v).fold(f64::INFINITY, f64::min);
    let lo = (((min - 5.0) / 5.0).floor() * 5.0).clamp(0.0, 95.0);
    let hi = 100.0;
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let y_of = |v: f64| top + plot_h * (1.0 - (v.clamp(lo, hi) - lo) / (hi - lo));
    let x_of = |i: usize| {
        if pts.len() == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (pts.len() - 1) as f64
        }
    };
    let step = if hi - lo > 40.0 { 20.0 } else { 5.0 };
    let mut v = lo;
    while v <= hi + 1e-9 {
        let y = y_of(v);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#666">{v}</text>"##,
            w - right,
            left - 6.0,
            y + 4.0
        );
        v += step;
    }
    if pts.len() > 1 {
        let path: Vec<String> = pts
            .iter()
            .enumerate()
            .map(|(i, (_, v))| format!("{:.1},{:.1}", x_of(i), y_of(*v)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#2e6da4" stroke-width="2"/>"##,
            path.join(" ")
        );
    }
    // Label at most ~12 dates so they do not overlap.
    let every = pts.len().div_ceil(12).max(1);
    for (i, (p, v)) in pts.iter().enumerate() {
        let (x, y) = (x_of(i), y_of(*v));
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="#2e6da4"><title>{} 平均{v:.2}分</title></circle><text x="{x:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#222">{v:.1}</text>"##,
            esc(&p.as_of),
            y - 8.0
        );
        if i % every == 0 || i == pts.len() - 1 {
            let _ = write!(
                s,
                r##"<text x="{x:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#666">{}</text>"##,
                h - bottom + 18.0,
                esc(&p.as_of)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(run_id: i64, as_of: &str, avg: Option<f64>) -> TrendPoint {
        TrendPoint {
            run_id,
            as_of: as_of.into(),
            average_score: avg,
            pass_rate: None,
            assessed: 3,
        }
    }

    #[test]
    fn a_single_trend_point_is_drawn_as_a_point_without_a_line() {
        let svg = trend_line(&[point(1, "2023-03-15", Some(97.5))]);
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(!svg.contains("<polyline"));
        assert!(svg.contains("2023-03-15"));
    }

    #[test]
    fn several_trend_points_are_joined_and_runs_without_average_skipped() {
        let svg = trend_line(&[
            point(1, "2023-01-15", Some(90.0)),
            point(2, "2023-02-15", None),
            point(3, "2023-03-15", Some(95.0)),
        ]);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<polyline"));
        assert!(!svg.contains("2023-02-15"));
    }

    #[test]
    fn bar_labels_are_escaped_and_long_names_shortened_with_full_title() {
        let long = "孟津区<script>alert(1)</script>人民政府办公室电子政务与信息公开服务中心";
        let svg = score_bars(&[Bar {
            label: long.into(),
            value: 88.0,
            grade: Some("良好".into()),
            failing: false,
        }]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("…"));
        assert!(svg.contains("88.0 良好"));
    }
}
