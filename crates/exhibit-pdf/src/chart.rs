//! Charts drawn as vectors: `Block::Chart` turned into [`Draw`] commands inside a box
//! that layout reserves whole (the chart is never split across pages).
//!
//! From the top of the box down: the legend (a swatch and a name per series, in rows),
//! the plot (gridlines at round values from 0 up, labelled on the left, and the bars or
//! lines), and the x labels under it, thinned to every second, third… label when they
//! would otherwise touch. The title above the box and the caption under it are set by
//! layout like any other text.
//!
//! Every value is sanitised first (negative, NaN or infinite counts as 0, anything above
//! [`MAX_VALUE`] as [`MAX_VALUE`]) and every coordinate is clamped to the plot, so no
//! input draws outside the box or makes the writer emit a number PDF cannot hold. At
//! most [`MAX_SERIES`] series and [`MAX_POINTS`] points are drawn; [`notes`] says what
//! was left out, for layout to print under the chart. Nothing here depends on anything
//! but the input, so the same chart gives the same drawing.

use exhibit_domain::doc::{ChartKind, Series};

use crate::fonts::{Face, FaceKind, Fonts};
use crate::layout::{Colour, Draw};
use crate::wrap::{ellipsize, one_line};

/// The height of the box: legend, plot and x labels.
pub(crate) const CHART_H: f32 = 200.0;
/// Series past this many are left out (and said to be): the palette has this many
/// colours that differ in greyscale too.
pub(crate) const MAX_SERIES: usize = PALETTE.len();
/// Points past this many are left out (and said to be); a bar is then under a quarter
/// of a point wide.
pub(crate) const MAX_POINTS: usize = 2_000;
/// Values above this are drawn as this; the axis stays printable.
pub(crate) const MAX_VALUE: f64 = 1e15;

/// Series colours, in the order series take them. Their greyscale values (Rec. 601
/// luma) are 0.20, 0.62, 0.40, 0.82, 0.32, 0.51, 0.72 and 0.10: the first four, the
/// usual campaign ("filed", "removed", "relisted", "still live"), at least 0.2 apart, and
/// any two at least 0.08 apart, so a black-and-white print still tells them apart.
const PALETTE: [Colour; 8] = [
    rgb(17, 56, 116),   // dark blue
    rgb(227, 142, 62),  // orange
    rgb(225, 46, 68),   // red
    rgb(176, 219, 244), // light blue
    rgb(110, 50, 160),  // purple
    rgb(26, 179, 151),  // teal
    rgb(150, 215, 110), // light green
    rgb(46, 19, 7),     // near-black brown
];

/// Dash patterns of line charts, by series: a second cue besides the colour.
const DASHES: [&[f32]; 4] = [&[], &[5.0, 2.5], &[1.5, 1.5], &[7.0, 2.0, 1.5, 2.0]];

const fn rgb(r: u8, g: u8, b: u8) -> Colour {
    Colour {
        r: r as f32 / 255.0,
        g: g as f32 / 255.0,
        b: b as f32 / 255.0,
    }
}

/// Noto Sans CJK's ascender and descender, in em.
const ASCENT: f32 = 0.88;
const DESCENT: f32 = 0.12;

const LEGEND_SIZE: f32 = 8.0;
const LEGEND_LINE: f32 = 12.0;
const LEGEND_GREY: f32 = 0.15;
const SWATCH: f32 = 8.0;
/// A line chart's legend shows a stretch of the line instead of a square.
const LINE_SWATCH: f32 = 16.0;
const SWATCH_GAP: f32 = 4.0;
const ENTRY_GAP: f32 = 14.0;

const AXIS_SIZE: f32 = 7.0;
const AXIS_GREY: f32 = 0.3;
/// Room from the top of the box to the legend.
const PAD_TOP: f32 = 2.0;
/// Room between the legend and the top gridline (whose label reaches above it).
const LEGEND_GAP: f32 = 10.0;
/// Room under the plot: tick, gap and one line of x labels.
const X_AXIS_H: f32 = 14.0;
const TICK: f32 = 3.0;
/// The least room between two x labels.
const LABEL_GAP: f32 = 6.0;
/// An x label longer than this is shortened with "…".
const MAX_X_LABEL_W: f32 = 96.0;
const GRID_GREY: f32 = 0.85;

/// What a chart leaves out, in words, for layout to print under it.
pub(crate) fn notes(x_labels: &[String], series: &[Series]) -> Vec<String> {
    let mut notes = Vec::new();
    if series.len() > MAX_SERIES {
        notes.push(format!(
            "Only the first {MAX_SERIES} of {} series are drawn.",
            series.len()
        ));
    }
    let points = point_count(x_labels, series, usize::MAX);
    if points > MAX_POINTS {
        notes.push(format!(
            "Only the first {} of {} points are drawn.",
            group(&MAX_POINTS.to_string()),
            group(&points.to_string())
        ));
    }
    notes
}

/// As many points as the longest of the labels and the series' values, at most `cap`.
fn point_count(x_labels: &[String], series: &[Series], cap: usize) -> usize {
    series
        .iter()
        .take(MAX_SERIES)
        .map(|s| s.values.len())
        .chain([x_labels.len()])
        .max()
        .unwrap_or(0)
        .min(cap)
}

/// The chart's drawing, in the box `width` wide and [`CHART_H`] tall whose top left
/// corner is (`left`, `top`).
pub(crate) fn draw(
    fonts: &Fonts,
    x_labels: &[String],
    series: &[Series],
    kind: ChartKind,
    (left, top, width): (f32, f32, f32),
) -> Vec<Draw> {
    let face = fonts.face(FaceKind::Regular);
    let series = &series[..series.len().min(MAX_SERIES)];
    let n = point_count(x_labels, series, MAX_POINTS);
    let bottom = top - CHART_H;
    let mut out = Vec::new();

    let legend_h = legend(&mut out, face, series, kind, (left, top - PAD_TOP, width));
    let plot_top = top - PAD_TOP - legend_h - if legend_h > 0.0 { LEGEND_GAP } else { 6.0 };
    let plot_bottom = bottom + X_AXIS_H;
    let plot_h = (plot_top - plot_bottom).max(1.0);

    let integral = series
        .iter()
        .flat_map(|s| &s.values)
        .all(|v| clean(Some(v)).fract() == 0.0);
    let axis = Axis::new(max_value(series, n, kind), integral);
    let labels: Vec<String> = (0..=axis.ticks).map(|k| axis.label(k)).collect();
    let label_w = labels
        .iter()
        .map(|l| face.width(l, AXIS_SIZE))
        .fold(0.0, f32::max);
    let plot_left = left + label_w + 6.0;
    let plot_right = left + width - 2.0;
    let plot_w = (plot_right - plot_left).max(1.0);
    let plot = Plot {
        left: plot_left,
        bottom: plot_bottom,
        w: plot_w,
        h: plot_h,
        max: axis.max(),
    };

    // Gridlines and their labels.
    for (k, label) in labels.into_iter().enumerate() {
        let y = plot_bottom + plot_h * k as f32 / axis.ticks as f32;
        if k > 0 {
            out.push(Draw::Line {
                from: (plot_left, y),
                to: (plot_left + plot_w, y),
                width: 0.4,
                grey: GRID_GREY,
            });
        }
        let w = face.width(&label, AXIS_SIZE);
        out.push(text(
            plot_left - 5.0 - w,
            y - AXIS_SIZE * (ASCENT - DESCENT) / 2.0,
            AXIS_SIZE,
            AXIS_GREY,
            label,
        ));
    }

    if n == 0 || series.is_empty() {
        let message = "No data to chart.".to_string();
        let w = face.width(&message, LEGEND_SIZE);
        out.push(text(
            plot_left + (plot_w - w).max(0.0) / 2.0,
            plot_bottom + plot_h / 2.0,
            LEGEND_SIZE,
            0.45,
            message,
        ));
    } else {
        match kind {
            ChartKind::StackedBars => stacked_bars(&mut out, &plot, series, n),
            ChartKind::Bars => grouped_bars(&mut out, &plot, series, n),
            ChartKind::Lines => lines(&mut out, &plot, series, n),
        }
    }

    // The axis line goes over the bars' feet.
    out.push(Draw::Line {
        from: (plot_left, plot_bottom),
        to: (plot_left + plot_w, plot_bottom),
        width: 0.8,
        grey: 0.25,
    });
    x_axis(&mut out, face, x_labels, n, &plot, (left, left + width));
    out
}

/// Where values land: the plot's box and the value at its top.
struct Plot {
    left: f32,
    bottom: f32,
    w: f32,
    h: f32,
    max: f64,
}

impl Plot {
    /// The height of `v` above the axis, within the plot.
    fn y(&self, v: f64) -> f32 {
        let share = (v / self.max).clamp(0.0, 1.0) as f32;
        self.bottom + share * self.h
    }

    fn slot(&self, n: usize) -> f32 {
        self.w / n.max(1) as f32
    }
}

/// A value as drawn: missing, negative, NaN and infinite values are 0.
fn clean(v: Option<&f64>) -> f64 {
    match v {
        Some(v) if v.is_finite() && *v > 0.0 => v.min(MAX_VALUE),
        _ => 0.0,
    }
}

fn max_value(series: &[Series], n: usize, kind: ChartKind) -> f64 {
    (0..n)
        .map(|i| {
            let values = series.iter().map(|s| clean(s.values.get(i)));
            match kind {
                ChartKind::StackedBars => values.sum(),
                ChartKind::Bars | ChartKind::Lines => values.fold(0.0, f64::max),
            }
        })
        .fold(0.0, f64::max)
}

fn stacked_bars(out: &mut Vec<Draw>, plot: &Plot, series: &[Series], n: usize) {
    let slot = plot.slot(n);
    let w = slot * 0.7;
    for i in 0..n {
        let x = plot.left + slot * i as f32 + (slot - w) / 2.0;
        let mut sum = 0.0;
        for (s, colour) in series.iter().zip(PALETTE) {
            let v = clean(s.values.get(i));
            if v <= 0.0 {
                continue;
            }
            let (y0, y1) = (plot.y(sum), plot.y(sum + v));
            sum += v;
            bar(out, x, y0, w, y1 - y0, colour);
        }
    }
}

fn grouped_bars(out: &mut Vec<Draw>, plot: &Plot, series: &[Series], n: usize) {
    let slot = plot.slot(n);
    let group = slot * 0.8;
    let w = group / series.len().max(1) as f32;
    for i in 0..n {
        let x0 = plot.left + slot * i as f32 + (slot - group) / 2.0;
        for (j, (s, colour)) in series.iter().zip(PALETTE).enumerate() {
            let v = clean(s.values.get(i));
            bar(
                out,
                x0 + w * j as f32,
                plot.bottom,
                w,
                plot.y(v) - plot.bottom,
                colour,
            );
        }
    }
}

/// A bar, unless it would be too thin to see.
fn bar(out: &mut Vec<Draw>, x: f32, y: f32, w: f32, h: f32, colour: Colour) {
    if h > 0.01 && w > 0.0 {
        out.push(Draw::Fill { x, y, w, h, colour });
    }
}

fn lines(out: &mut Vec<Draw>, plot: &Plot, series: &[Series], n: usize) {
    let slot = plot.slot(n);
    let x = |i: usize| plot.left + slot * (i as f32 + 0.5);
    for (j, (s, colour)) in series.iter().zip(PALETTE).enumerate() {
        let points: Vec<(f32, f32)> = (0..s.values.len().min(n))
            .map(|i| (x(i), plot.y(clean(s.values.get(i)))))
            .collect();
        // Marks at the points while they are far enough apart to tell, and always for a
        // series of one point, which has no line.
        if slot >= 8.0 || points.len() == 1 {
            let m = 3.0f32.min(slot);
            for &(px, py) in &points {
                let y0 = (py - m / 2.0).max(plot.bottom);
                let y1 = (py + m / 2.0).min(plot.bottom + plot.h);
                bar(out, px - m / 2.0, y0, m, y1 - y0, colour);
            }
        }
        if points.len() >= 2 {
            out.push(Draw::Path {
                points,
                width: 1.4,
                colour,
                dash: DASHES[j % DASHES.len()],
            });
        }
    }
}

/// The legend's rows from `top` down; returns their height.
fn legend(
    out: &mut Vec<Draw>,
    face: &Face,
    series: &[Series],
    kind: ChartKind,
    (left, top, width): (f32, f32, f32),
) -> f32 {
    if series.is_empty() {
        return 0.0;
    }
    let swatch_w = match kind {
        ChartKind::Lines => LINE_SWATCH,
        _ => SWATCH,
    };
    let max_name = width / 2.0 - swatch_w - SWATCH_GAP;
    let (mut x, mut row) = (left, 0usize);
    for (j, (s, colour)) in series.iter().zip(PALETTE).enumerate() {
        let name = one_line(&s.name, face);
        let name = if name.trim().is_empty() {
            format!("Series {}", j + 1)
        } else {
            ellipsize(&name, max_name, |t| face.width(t, LEGEND_SIZE))
        };
        let entry = swatch_w + SWATCH_GAP + face.width(&name, LEGEND_SIZE);
        if x > left && x + entry > left + width {
            x = left;
            row += 1;
        }
        let row_top = top - row as f32 * LEGEND_LINE;
        let baseline = row_top - (LEGEND_LINE - LEGEND_SIZE) / 2.0 - LEGEND_SIZE * ASCENT;
        // The swatch sits on the middle of the name's lower-case letters.
        let middle = baseline + LEGEND_SIZE * 0.3;
        match kind {
            ChartKind::Lines => out.push(Draw::Path {
                points: vec![(x, middle), (x + LINE_SWATCH, middle)],
                width: 1.4,
                colour,
                dash: DASHES[j % DASHES.len()],
            }),
            _ => {
                out.push(Draw::Fill {
                    x,
                    y: middle - SWATCH / 2.0,
                    w: SWATCH,
                    h: SWATCH,
                    colour,
                });
                // An outline, so the palest colour still has an edge on white paper.
                out.push(Draw::Rect {
                    x,
                    y: middle - SWATCH / 2.0,
                    w: SWATCH,
                    h: SWATCH,
                    fill: None,
                    stroke: Some(0.35),
                });
            }
        }
        out.push(text(
            x + swatch_w + SWATCH_GAP,
            baseline,
            LEGEND_SIZE,
            LEGEND_GREY,
            name,
        ));
        x += entry + ENTRY_GAP;
    }
    (row + 1) as f32 * LEGEND_LINE
}

/// The x labels under the plot (every `step`th one, `step` as small as keeps them apart)
/// with a tick over each, kept within `bounds` (the box's left and right).
fn x_axis(
    out: &mut Vec<Draw>,
    face: &Face,
    x_labels: &[String],
    n: usize,
    plot: &Plot,
    bounds: (f32, f32),
) {
    let slot = plot.slot(n);
    let max_w = MAX_X_LABEL_W.min(bounds.1 - bounds.0);
    let labels: Vec<(f32, String, f32)> = x_labels
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, label)| {
            let label = ellipsize(&one_line(label, face), max_w, |t| face.width(t, AXIS_SIZE));
            let w = face.width(&label, AXIS_SIZE);
            let centre = plot.left + slot * (i as f32 + 0.5);
            let x = (centre - w / 2.0).min(bounds.1 - w).max(bounds.0);
            (x, label, w)
        })
        .collect();
    let step = thinning(&labels);
    let baseline = plot.bottom - TICK - 2.0 - AXIS_SIZE * ASCENT;
    for (i, (x, label, _)) in labels.into_iter().enumerate().step_by(step) {
        if label.trim().is_empty() {
            continue;
        }
        let centre = plot.left + slot * (i as f32 + 0.5);
        out.push(Draw::Line {
            from: (centre, plot.bottom),
            to: (centre, plot.bottom - TICK),
            width: 0.5,
            grey: AXIS_GREY,
        });
        out.push(text(x, baseline, AXIS_SIZE, AXIS_GREY, label));
    }
}

/// The smallest step that keeps the labels shown (the first, and every `step`th after
/// it) [`LABEL_GAP`] apart. Labels are `(x, text, width)`.
fn thinning(labels: &[(f32, String, f32)]) -> usize {
    let fits = |step: usize| {
        let mut end: Option<f32> = None;
        for (x, label, w) in labels.iter().step_by(step) {
            if label.trim().is_empty() {
                continue;
            }
            if end.is_some_and(|end| *x < end + LABEL_GAP) {
                return false;
            }
            end = Some(x + w);
        }
        true
    };
    (1..labels.len().max(1))
        .find(|&step| fits(step))
        .unwrap_or(labels.len().max(1))
}

fn text(x: f32, y: f32, size: f32, grey: f32, text: String) -> Draw {
    Draw::Text {
        x,
        y,
        face: FaceKind::Regular,
        size,
        grey,
        text,
    }
}

/// The y axis: `ticks` gridlines `step` apart above 0.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Axis {
    step: f64,
    ticks: u32,
}

impl Axis {
    /// The smallest round step (1, 2, 2.5 or 5 times a power of ten; whole numbers
    /// for whole data) at which at most 5 gridlines reach `max`; at least 4 gridlines,
    /// adding some above `max` when fewer would do. No data gives 0 to 4.
    fn new(max: f64, integral: bool) -> Axis {
        if !(max.is_finite() && max > 1e-12) {
            return Axis {
                step: 1.0,
                ticks: 4,
            };
        }
        let e0 = max.log10().floor() as i32;
        let mut best: Option<Axis> = None;
        for e in (e0 - 2)..=(e0 + 1) {
            for m in [1.0, 2.0, 2.5, 5.0] {
                // Dividing by a power of ten keeps 0.001 exact, as `0.1.powi(3)` is not.
                let step = if e >= 0 {
                    m * 10f64.powi(e)
                } else {
                    m / 10f64.powi(-e)
                };
                if integral && (step < 1.0 || step == 2.5) {
                    continue;
                }
                // A hair of tolerance, so 10 / 0.1 is 100 gridlines, not 101.
                let ticks = (max / step - 1e-9).ceil().max(1.0);
                if ticks <= 5.0 && best.is_none_or(|b| step < b.step) {
                    best = Some(Axis {
                        step,
                        ticks: ticks as u32,
                    });
                }
            }
        }
        let best = best.unwrap_or(Axis {
            step: 10f64.powi(e0 + 1),
            ticks: 1,
        });
        Axis {
            ticks: best.ticks.max(4),
            ..best
        }
    }

    fn max(&self) -> f64 {
        self.step * f64::from(self.ticks)
    }

    /// The label of gridline `k`: grouped digits ("1,500"), or thousands, millions…
    /// ("2.5M") once the axis reaches a million.
    fn label(&self, k: u32) -> String {
        let (unit, suffix) = match self.max() {
            m if m >= 1e12 => (1e12, "T"),
            m if m >= 1e9 => (1e9, "B"),
            m if m >= 1e6 => (1e6, "M"),
            _ => (1.0, ""),
        };
        let step = self.step / unit;
        let value = step * f64::from(k);
        let decimals = (0..=12)
            .find(|&d| {
                let scaled = step * 10f64.powi(d);
                (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
            })
            .unwrap_or(12) as usize;
        let digits = format!("{value:.decimals$}");
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits.as_str(), None),
        };
        let mut out = group(whole);
        if let Some(f) = fraction {
            out.push('.');
            out.push_str(f);
        }
        out.push_str(suffix);
        out
    }
}

/// Digits grouped in threes with commas: "12345" → "12,345".
fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::system().unwrap_or_else(|e| panic!("{e}"))
    }

    fn series(name: &str, values: &[f64]) -> Series {
        Series {
            name: name.to_string(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn axes_are_round_with_four_or_five_gridlines() {
        let cases: &[(f64, bool, f64, u32)] = &[
            (10.0, true, 2.0, 5),
            (7.0, true, 2.0, 4),
            (3.0, true, 1.0, 4),
            (1.0, true, 1.0, 4),
            (11.0, true, 5.0, 4),
            (11.0, false, 2.5, 5),
            (48.0, true, 10.0, 5),
            (120.0, true, 25.0, 5),
            (0.003, false, 0.001, 4),
            (0.0, true, 1.0, 4),
            (f64::NAN, true, 1.0, 4),
            (MAX_VALUE * 8.0, true, 2e15, 4),
        ];
        for &(max, integral, step, ticks) in cases {
            let axis = Axis::new(max, integral);
            assert_eq!(axis, Axis { step, ticks }, "max {max}");
            assert!(axis.max() >= max || max.is_nan(), "max {max}");
            assert!((4..=5).contains(&axis.ticks), "max {max}");
        }
    }

    #[test]
    fn labels_are_short_and_exact() {
        let label = |step: f64, k: u32| Axis { step, ticks: 4 }.label(k);
        assert_eq!(label(2.0, 3), "6");
        assert_eq!(label(2.5, 1), "2.5");
        assert_eq!(label(250.0, 4), "1,000");
        assert_eq!(label(0.1, 3), "0.3");
        assert_eq!(label(0.001, 2), "0.002");
        assert_eq!(label(500_000.0, 3), "1.5M");
        assert_eq!(label(2e15, 4), "8,000T");
        assert_eq!(group("1234567"), "1,234,567");
        assert_eq!(group("123"), "123");
    }

    /// Rec. 601 luma, what a greyscale print keeps of a colour.
    fn luma(c: Colour) -> f32 {
        0.299 * c.r + 0.587 * c.g + 0.114 * c.b
    }

    #[test]
    fn palette_differs_in_greyscale() {
        for (i, a) in PALETTE.iter().enumerate() {
            assert!(luma(*a) < 0.85, "colour {i} is too pale for white paper");
            for (j, b) in PALETTE.iter().enumerate().skip(i + 1) {
                let gap = (luma(*a) - luma(*b)).abs();
                assert!(gap >= 0.08, "colours {i} and {j} are {gap} apart in grey");
                if j < 4 {
                    assert!(gap >= 0.19, "colours {i} and {j} are {gap} apart in grey");
                }
            }
        }
    }

    /// A text's box: left, bottom, right, top.
    fn text_box(fonts: &Fonts, d: &Draw) -> Option<(f32, f32, f32, f32)> {
        let Draw::Text {
            x,
            y,
            face,
            size,
            text,
            ..
        } = d
        else {
            return None;
        };
        let w = fonts.face(*face).width(text, *size);
        Some((*x, y - size * DESCENT, x + w, y + size * ASCENT))
    }

    /// Every point a drawing touches.
    fn corners(d: &Draw) -> Vec<(f32, f32)> {
        match d {
            Draw::Fill { x, y, w, h, .. } | Draw::Rect { x, y, w, h, .. } => {
                vec![(*x, *y), (x + w, y + h)]
            }
            Draw::Line { from, to, .. } => vec![*from, *to],
            Draw::Path { points, .. } => points.clone(),
            _ => vec![],
        }
    }

    fn hostile() -> Vec<(Vec<String>, Vec<Series>)> {
        let weeks: Vec<String> = (1..=52).map(|w| format!("2025-W{w:02}")).collect();
        let many: Vec<String> = (0..700).map(|i| format!("day {i}")).collect();
        let cjk: Vec<String> = (1..=30).map(|i| format!("第{i}周商品链接")).collect();
        vec![
            (weeks.clone(), vec![]),
            (vec![], vec![series("empty", &[])]),
            (weeks.clone(), vec![series("zeros", &[0.0; 52])]),
            (
                weeks.clone(),
                vec![
                    series("filed", &[3.0, f64::NAN, -4.0, f64::INFINITY, 1e300, 2.0]),
                    series("removed", &[f64::NEG_INFINITY, 1.0]),
                ],
            ),
            (
                many,
                (0..12)
                    .map(|j| {
                        series(
                            &"a very long series name ".repeat(j + 1),
                            &(0..2_500)
                                .map(|i| ((i * (j + 3)) % 17) as f64)
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect(),
            ),
            (
                cjk,
                vec![series("已下架", &[1.0; 30]), series("重新上架", &[2.5; 10])],
            ),
            (
                vec!["x".repeat(2_000)],
                vec![series(&"n".repeat(2_000), &[5.0])],
            ),
            (
                vec![String::new(); 3],
                vec![series("", &[1.0, 2.0, 3.0]), series("\u{0}\t", &[1.0])],
            ),
        ]
    }

    #[test]
    fn no_text_overlaps_and_nothing_leaves_the_box() {
        let fonts = fonts();
        let (left, top, width) = (54.0, 600.0, 504.0);
        for (case, (labels, series)) in hostile().iter().enumerate() {
            for kind in [ChartKind::StackedBars, ChartKind::Bars, ChartKind::Lines] {
                let draws = draw(&fonts, labels, series, kind, (left, top, width));
                let what = format!("case {case}, {kind:?}");
                for d in &draws {
                    for (x, y) in corners(d) {
                        assert!(
                            x.is_finite() && y.is_finite(),
                            "{what}: {d:?} is not finite"
                        );
                        assert!(
                            (left - 0.01..=left + width + 0.01).contains(&x)
                                && (top - CHART_H - 0.01..=top + 0.01).contains(&y),
                            "{what}: {d:?} leaves the box"
                        );
                    }
                }
                let boxes: Vec<_> = draws.iter().filter_map(|d| text_box(&fonts, d)).collect();
                for (i, a) in boxes.iter().enumerate() {
                    assert!(
                        a.0 >= left - 0.01
                            && a.2 <= left + width + 0.01
                            && a.1 >= top - CHART_H - 0.01
                            && a.3 <= top + 0.01,
                        "{what}: text {a:?} leaves the box"
                    );
                    for b in &boxes[i + 1..] {
                        let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                        assert!(apart, "{what}: texts overlap: {a:?} and {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn labels_thin_out_but_the_first_stays() {
        let fonts = fonts();
        let weeks: Vec<String> = (1..=52).map(|w| format!("2025-W{w:02}")).collect();
        let draws = draw(
            &fonts,
            &weeks,
            &[series("filed", &[1.0; 52])],
            ChartKind::StackedBars,
            (54.0, 600.0, 504.0),
        );
        let shown: Vec<&str> = draws
            .iter()
            .filter_map(|d| match d {
                Draw::Text { text, .. } if text.starts_with("2025-W") => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(shown.first(), Some(&"2025-W01"));
        assert!(shown.len() >= 6 && shown.len() < 52, "{shown:?}");
        let bars = draws
            .iter()
            .filter(|d| matches!(d, Draw::Fill { .. }))
            .count();
        // 52 bars and the legend's swatch.
        assert_eq!(bars, 53);
    }

    #[test]
    fn notes_say_what_is_left_out() {
        let many: Vec<Series> = (0..10).map(|i| series(&i.to_string(), &[1.0])).collect();
        assert_eq!(
            notes(&vec![String::new(); 2_500], &many),
            [
                "Only the first 8 of 10 series are drawn.",
                "Only the first 2,000 of 2,500 points are drawn."
            ]
        );
        assert!(notes(&[], &[series("a", &[1.0; 2_000])]).is_empty());
    }
}
