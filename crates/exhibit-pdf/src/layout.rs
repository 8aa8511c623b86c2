//! Pagination: sections and blocks in, positioned drawing commands per page out.
//!
//! Layout knows points, fonts and pages, but not PDF: [`Draw`] is the whole vocabulary
//! handed to the writer. It also knows nothing of page numbers or Bates stamps (the
//! footer is drawn by the writer once the page count is known), which is what lets the
//! table of contents be laid out again with final numbers at no other cost.
//!
//! Coordinates are PDF points with the origin at the bottom left of the page.

use exhibit_domain::doc::{Block, ChartKind, Section, Series};

use crate::PdfError;
use crate::chart;
use crate::fonts::{FaceKind, Fonts};
use crate::picture::Picture;
use crate::wrap::{Breaks, widest_word, wrap};

pub(crate) const PAGE_W: f32 = 612.0;
pub(crate) const PAGE_H: f32 = 792.0;
pub(crate) const MARGIN: f32 = 54.0;
pub(crate) const LEFT: f32 = MARGIN;
pub(crate) const RIGHT: f32 = PAGE_W - MARGIN;
const TOP: f32 = PAGE_H - MARGIN;
/// The body stops a little above the bottom margin's edge; the footer lives below it.
const BOTTOM: f32 = MARGIN + 6.0;
pub(crate) const TEXT_W: f32 = RIGHT - LEFT;
pub(crate) const BODY_H: f32 = TOP - BOTTOM;
/// A picture never fills more than 20 pages (with its notes and up to three lines of
/// caption); taller ones are printed narrower.
pub(crate) const MAX_PICTURE_H: f32 = 20.0 * (BODY_H - 2.0 * NOTE_H) - 4.0 * SMALL.line_h;
/// Guards against runaway input (a 100 MB paragraph), well above any real packet.
pub(crate) const MAX_PAGES: usize = 20_000;

/// Noto Sans CJK's ascender, in em: where the baseline sits below the top of a line.
const ASCENT: f32 = 0.88;
/// Slack for floating-point sums of line heights.
const EPS: f32 = 0.01;
const CELL_PAD: f32 = 3.5;
const NOTE_H: f32 = 12.0;
/// Below this much room a split picture starts on the next page instead.
const MIN_FIRST_SLICE: f32 = 144.0;
const FILL_IN_H: f32 = 24.0;
const SIGN_SPACE: f32 = 30.0;
const SIGN_W: f32 = 250.0;
const PLACEHOLDER_H: f32 = 48.0;

/// One thing to draw on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Draw {
    /// One line of text; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        face: FaceKind,
        size: f32,
        grey: f32,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        grey: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<f32>,
        stroke: Option<f32>,
    },
    /// A grey box with one line of small text at its top: what the writer prints where
    /// a picture's slice was placed but its pixels did not decode.
    Boxed {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        text: String,
    },
    /// A rectangle filled in colour: a chart's bar or legend swatch.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    /// A line through `points` in colour (a chart's series), dashed by `dash`: lengths
    /// on and off, in points; empty is solid.
    Path {
        points: Vec<(f32, f32)>,
        width: f32,
        colour: Colour,
        dash: &'static [f32],
    },
    /// Rows `rows.0..rows.1` of picture number `picture`, filling the box at (x, y, w, h).
    Picture {
        picture: usize,
        rows: (u32, u32),
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// A colour in RGB, each part from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Colour {
    pub(crate) r: f32,
    pub(crate) g: f32,
    pub(crate) b: f32,
}

/// A laid-out document: what each page holds, and each section's first and last page
/// (0-based page indices, in section order).
#[derive(Debug)]
pub(crate) struct Layout {
    pub(crate) pages: Vec<Vec<Draw>>,
    pub(crate) sections: Vec<(usize, usize)>,
}

/// One line of the table of contents, already in words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TocEntry {
    pub(crate) title: String,
    pub(crate) pages: String,
    pub(crate) bates: String,
}

#[derive(Debug, Clone, Copy)]
struct Style {
    face: FaceKind,
    size: f32,
    line_h: f32,
    grey: f32,
}

const BODY: Style = Style {
    face: FaceKind::Regular,
    size: 10.5,
    line_h: 15.0,
    grey: 0.0,
};
const SMALL: Style = Style {
    face: FaceKind::Regular,
    size: 8.0,
    line_h: 11.0,
    grey: 0.2,
};
const NOTE: Style = Style {
    face: FaceKind::Regular,
    size: 7.5,
    line_h: NOTE_H,
    grey: 0.4,
};
const MONO: Style = Style {
    face: FaceKind::Mono,
    size: 8.5,
    line_h: 11.5,
    grey: 0.0,
};
const CELL: Style = Style {
    face: FaceKind::Regular,
    size: 9.0,
    line_h: 12.5,
    grey: 0.0,
};
const CELL_BOLD: Style = Style {
    face: FaceKind::Bold,
    ..CELL
};
const CHART_TITLE: Style = Style {
    face: FaceKind::Bold,
    size: 10.0,
    line_h: 14.0,
    grey: 0.0,
};
const SIGN: Style = Style {
    face: FaceKind::Regular,
    size: 10.0,
    line_h: 13.5,
    grey: 0.0,
};

/// Heading style, space above and space below, by level (1 is the largest).
fn heading_style(level: u8) -> (Style, f32, f32) {
    let (size, before, after) = match level {
        0 | 1 => (17.0, 10.0, 8.0),
        2 => (13.5, 10.0, 5.0),
        _ => (11.5, 8.0, 4.0),
    };
    let style = Style {
        face: FaceKind::Bold,
        size,
        line_h: size * 1.3,
        grey: 0.0,
    };
    (style, before, after)
}

/// Lays out `sections`. `pictures` holds one entry per `Block::Image` and
/// `Block::ImageRef`, in document order;
/// `toc` the lines printed wherever a `Block::TableOfContents` stands.
pub(crate) fn lay_out(
    sections: &[Section],
    pictures: &[Picture],
    toc: &[TocEntry],
    fonts: &Fonts,
) -> Result<Layout, PdfError> {
    let mut flow = Flow {
        fonts,
        pictures,
        toc,
        next_picture: 0,
        pages: vec![Vec::new()],
        y: TOP,
        has_content: false,
        break_pending: false,
        mark_pending: false,
        marked: None,
    };
    let mut placements = Vec::with_capacity(sections.len());
    for section in sections {
        if section.new_page {
            flow.break_pending = true;
        } else {
            flow.gap(14.0);
        }
        flow.mark_pending = true;
        flow.marked = None;
        let lead = flow.lead(&section.blocks, 0, 0);
        flow.heading(1, &section.title, lead)?;
        for (i, block) in section.blocks.iter().enumerate() {
            let lead = match block {
                Block::Heading { .. } => flow.lead(&section.blocks, i + 1, 0),
                _ => 0.0,
            };
            flow.block(block, lead)?;
        }
        flow.mark_pending = false;
        let last = flow.page();
        let first = flow.marked.unwrap_or(last);
        placements.push((first, last.max(first)));
    }
    Ok(Layout {
        pages: flow.pages,
        sections: placements,
    })
}

/// The page being filled, and everything placed so far.
struct Flow<'a> {
    fonts: &'a Fonts,
    pictures: &'a [Picture],
    toc: &'a [TocEntry],
    next_picture: usize,
    pages: Vec<Vec<Draw>>,
    /// Top of the free space on the current page.
    y: f32,
    /// Whether anything was placed on the current page (a fresh page never breaks again).
    has_content: bool,
    /// A page break was asked for; it happens before the next thing placed, so a
    /// trailing break never leaves an empty page.
    break_pending: bool,
    /// Record the page the next placed thing lands on (a section's first page).
    mark_pending: bool,
    marked: Option<usize>,
}

/// A table cell: its wrapped lines and how they are set.
struct Cell {
    lines: Vec<String>,
    style: Style,
}

#[derive(Debug, Clone, Copy)]
struct RowLook {
    border: bool,
    fill: Option<f32>,
    rule_below: bool,
}

/// Column positions of a table.
struct Grid {
    xs: Vec<f32>,
    ws: Vec<f32>,
}

impl Grid {
    fn new(fractions: &[f32]) -> Grid {
        let widths: Vec<f32> = fractions.iter().map(|f| f * TEXT_W).collect();
        Grid::from_widths(&widths)
    }

    fn from_widths(widths: &[f32]) -> Grid {
        let mut xs = Vec::with_capacity(widths.len());
        let mut x = LEFT;
        for w in widths {
            xs.push(x);
            x += w;
        }
        Grid {
            xs,
            ws: widths.to_vec(),
        }
    }
}

fn baseline(top: f32, style: Style) -> f32 {
    top - (style.line_h - style.size) / 2.0 - style.size * ASCENT
}

impl<'a> Flow<'a> {
    fn page(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    fn remaining(&self) -> f32 {
        self.y - BOTTOM
    }

    fn new_page(&mut self) -> Result<(), PdfError> {
        if self.pages.len() >= MAX_PAGES {
            return Err(PdfError::TooManyPages {
                limit: MAX_PAGES as u32,
            });
        }
        self.pages.push(Vec::new());
        self.y = TOP;
        self.has_content = false;
        Ok(())
    }

    fn settle(&mut self) -> Result<(), PdfError> {
        if self.break_pending {
            self.break_pending = false;
            if self.has_content {
                self.new_page()?;
            }
        }
        Ok(())
    }

    /// Starts a new page unless `h` points fit on this one (or this page is still empty).
    fn ensure(&mut self, h: f32) -> Result<(), PdfError> {
        self.settle()?;
        if h > self.remaining() + EPS && self.has_content {
            self.new_page()?;
        }
        Ok(())
    }

    /// Takes `h` points from the current page without breaking it; returns their top.
    fn take(&mut self, h: f32) -> f32 {
        let top = self.y;
        self.y -= h;
        self.has_content = true;
        if self.mark_pending {
            self.mark_pending = false;
            self.marked = Some(self.page());
        }
        top
    }

    /// Takes `h` points, on a new page if they do not fit; returns their top.
    fn reserve(&mut self, h: f32) -> Result<f32, PdfError> {
        self.ensure(h)?;
        Ok(self.take(h))
    }

    /// Vertical space between things; none at the top of a page.
    fn gap(&mut self, h: f32) {
        if self.has_content && !self.break_pending && h.is_finite() && h > 0.0 {
            self.y = (self.y - h).max(BOTTOM);
        }
    }

    fn draw(&mut self, d: Draw) {
        if let Some(page) = self.pages.last_mut() {
            page.push(d);
        }
    }

    fn text(&mut self, x: f32, y: f32, style: Style, text: String) {
        if !text.trim().is_empty() {
            self.draw(Draw::Text {
                x,
                y,
                face: style.face,
                size: style.size,
                grey: style.grey,
                text,
            });
        }
    }

    fn wrap(&self, text: &str, style: Style, width: f32, breaks: Breaks) -> Vec<String> {
        wrap(text, self.fonts.face(style.face), style.size, width, breaks)
    }

    fn lines(&mut self, lines: Vec<String>, style: Style, x: f32) -> Result<(), PdfError> {
        for line in lines {
            let top = self.reserve(style.line_h)?;
            self.text(x, baseline(top, style), style, line);
        }
        Ok(())
    }

    fn note(&mut self, text: &str) -> Result<(), PdfError> {
        let lines = self.wrap(text, NOTE, TEXT_W, Breaks::Words);
        self.lines(lines, NOTE, LEFT)
    }

    /// A one-line note in room that was planned for it: a part of a picture may be up
    /// to a pixel row taller than planned, which must not push the note to a page of
    /// its own.
    fn planned_note(&mut self, text: &str) -> Result<(), PdfError> {
        if self.remaining() + 2.0 < NOTE_H {
            return self.note(text);
        }
        let top = self.take(NOTE_H);
        self.text(LEFT, baseline(top, NOTE), NOTE, text.to_string());
        Ok(())
    }

    /// Height needed to start `blocks[i]`: what a heading before it must keep with it.
    fn lead(&self, blocks: &[Block], i: usize, depth: usize) -> f32 {
        let Some(block) = blocks.get(i) else {
            return 0.0;
        };
        match block {
            Block::Heading { level, text } => {
                let (style, before, after) = heading_style(*level);
                let n = self.wrap(text, style, TEXT_W, Breaks::Words).len() as f32;
                let own = before + n * style.line_h + after;
                // A run of headings stays together, within reason.
                if depth < 3 {
                    own + self.lead(blocks, i + 1, depth + 1)
                } else {
                    own
                }
            }
            other => self.start_height(other),
        }
    }

    /// The room a block needs on the current page before it starts there rather than on
    /// the next: exactly what its own placement checks, so that a heading kept with it
    /// is never left behind.
    fn start_height(&self, block: &Block) -> f32 {
        match block {
            Block::Heading { .. } | Block::Space(_) | Block::PageBreak => 0.0,
            Block::Paragraph(_) | Block::List(_) => BODY.line_h,
            Block::Small(_) => SMALL.line_h,
            Block::Mono(_) => MONO.line_h,
            Block::Fields(pairs) => pairs.first().map_or(0.0, |(label, value)| {
                row_height(&self.field_cells(&fields_grid(), label, value))
            }),
            Block::Table {
                header,
                rows,
                widths,
            } => match TableShape::new(header, rows, widths, self.fonts) {
                Some(shape) => self.table_start(&shape, header, rows),
                None => 0.0,
            },
            Block::TableOfContents => self.toc_start(),
            Block::Signature {
                name,
                title,
                date,
                place,
            } => {
                let lines =
                    self.signature_lines(name, title.as_deref(), date.as_deref(), place.as_deref());
                SIGN_SPACE + lines.len() as f32 * SIGN.line_h
            }
            Block::FillIn { label } => {
                let lines = self.wrap(label, BODY, TEXT_W, Breaks::Words);
                lines.len().saturating_sub(1) as f32 * BODY.line_h + FILL_IN_H
            }
            Block::Image { caption, .. } | Block::ImageRef { caption, .. } => {
                let caption = self.wrap(caption, SMALL, TEXT_W, Breaks::Words);
                picture_start(self.pictures.get(self.next_picture), &caption)
            }
            Block::Chart { title, caption, .. } => self.chart_start(title, caption),
        }
    }

    fn block(&mut self, block: &Block, lead: f32) -> Result<(), PdfError> {
        match block {
            Block::Heading { level, text } => self.heading(*level, text, lead)?,
            Block::Paragraph(text) => {
                let lines = self.wrap(text, BODY, TEXT_W, Breaks::Words);
                self.lines(lines, BODY, LEFT)?;
                self.gap(6.0);
            }
            Block::Small(text) => {
                let lines = self.wrap(text, SMALL, TEXT_W, Breaks::Words);
                self.lines(lines, SMALL, LEFT)?;
                self.gap(4.0);
            }
            Block::Fields(pairs) => {
                self.fields(pairs)?;
                self.gap(8.0);
            }
            Block::Table {
                header,
                rows,
                widths,
            } => {
                self.table(header, rows, widths)?;
                self.gap(8.0);
            }
            Block::List(items) => {
                self.list(items)?;
                self.gap(4.0);
            }
            Block::Mono(text) => {
                self.mono(text)?;
                self.gap(6.0);
            }
            Block::Signature {
                name,
                title,
                date,
                place,
            } => {
                self.signature(name, title.as_deref(), date.as_deref(), place.as_deref())?;
                self.gap(8.0);
            }
            Block::FillIn { label } => {
                self.fill_in(label)?;
                self.gap(6.0);
            }
            Block::Image { caption, .. } | Block::ImageRef { caption, .. } => {
                self.picture(caption)?;
                self.gap(8.0);
            }
            Block::TableOfContents => {
                self.table_of_contents()?;
                self.gap(8.0);
            }
            Block::Chart {
                title,
                x_labels,
                series,
                kind,
                caption,
            } => {
                self.chart(title, x_labels, series, *kind, caption)?;
                self.gap(8.0);
            }
            Block::Space(h) => self.gap(h.clamp(0.0, BODY_H)),
            Block::PageBreak => self.break_pending = true,
        }
        Ok(())
    }

    fn heading(&mut self, level: u8, text: &str, lead: f32) -> Result<(), PdfError> {
        let (style, before, after) = heading_style(level);
        let lines = self.wrap(text, style, TEXT_W, Breaks::Words);
        if lines.is_empty() {
            return Ok(());
        }
        self.gap(before);
        let own = lines.len() as f32 * style.line_h;
        self.ensure(own + after + lead)?;
        self.lines(lines, style, LEFT)?;
        self.gap(after);
        Ok(())
    }

    fn fields(&mut self, pairs: &[(String, String)]) -> Result<(), PdfError> {
        let grid = fields_grid();
        let look = RowLook {
            border: false,
            fill: None,
            rule_below: true,
        };
        for (label, value) in pairs {
            let cells = self.field_cells(&grid, label, value);
            self.row(&grid, &cells, look, None)?;
        }
        Ok(())
    }

    fn field_cells(&self, grid: &Grid, label: &str, value: &str) -> Vec<Cell> {
        vec![
            self.cell(label, CELL_BOLD, grid.ws[0]),
            self.cell(value, CELL, grid.ws[1]),
        ]
    }

    fn cell(&self, text: &str, style: Style, width: f32) -> Cell {
        Cell {
            lines: self.wrap(text, style, width - 2.0 * CELL_PAD, Breaks::Words),
            style,
        }
    }

    fn table(
        &mut self,
        header: &[String],
        rows: &[Vec<String>],
        widths: &[f32],
    ) -> Result<(), PdfError> {
        let Some(shape) = TableShape::new(header, rows, widths, self.fonts) else {
            return Ok(());
        };
        let head_look = RowLook {
            border: true,
            fill: Some(0.9),
            rule_below: false,
        };
        let body_look = RowLook {
            border: true,
            fill: None,
            rule_below: false,
        };
        self.ensure(self.table_start(&shape, header, rows))?;
        let head = (!header.is_empty()).then(|| self.table_cells(&shape, header, CELL_BOLD));
        if let Some(head) = &head {
            self.row(&shape.grid, head, head_look, None)?;
        }
        // A header that would fill a page is printed once, not on every page.
        let repeat = head
            .as_deref()
            .filter(|h| row_height(h) <= BODY_H / 3.0)
            .map(|h| (h, head_look));
        for row in rows {
            let cells = self.table_cells(&shape, row, CELL);
            self.row(&shape.grid, &cells, body_look, repeat)?;
        }
        Ok(())
    }

    fn table_cells(&self, shape: &TableShape, texts: &[String], style: Style) -> Vec<Cell> {
        (0..shape.columns)
            .map(|i| {
                let text = texts.get(i).map_or("", String::as_str);
                self.cell(text, style, shape.grid.ws.get(i).copied().unwrap_or(0.0))
            })
            .collect()
    }

    /// The header and first row go on one page.
    fn table_start(&self, shape: &TableShape, header: &[String], rows: &[Vec<String>]) -> f32 {
        let head = if header.is_empty() {
            0.0
        } else {
            row_height(&self.table_cells(shape, header, CELL_BOLD))
        };
        let first = rows
            .first()
            .map_or(0.0, |r| row_height(&self.table_cells(shape, r, CELL)));
        head + first
    }

    /// Places one table row: on this page if it fits, else on the next (after the
    /// repeated header); a row taller than a page is split between lines.
    fn row(
        &mut self,
        grid: &Grid,
        cells: &[Cell],
        look: RowLook,
        header: Option<(&[Cell], RowLook)>,
    ) -> Result<(), PdfError> {
        self.settle()?;
        let line_h = cells
            .iter()
            .map(|c| c.style.line_h)
            .fold(CELL.line_h, f32::max);
        let n = cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let full = n as f32 * line_h + 2.0 * CELL_PAD;
        if full > self.remaining() + EPS && self.has_content {
            self.new_page()?;
            if let Some((head, head_look)) = header {
                self.row(grid, head, head_look, None)?;
            }
        }
        let mut from = 0;
        loop {
            let fit = ((self.remaining() - 2.0 * CELL_PAD + EPS) / line_h).floor();
            let count = if fit >= 1.0 { fit as usize } else { 1 };
            let to = n.min(from + count);
            let h = (to - from) as f32 * line_h + 2.0 * CELL_PAD;
            let top = self.take(h);
            self.draw_row(grid, cells, look, (from, to), top, h, line_h);
            from = to;
            if from >= n {
                return Ok(());
            }
            self.new_page()?;
            if let Some((head, head_look)) = header {
                self.row(grid, head, head_look, None)?;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_row(
        &mut self,
        grid: &Grid,
        cells: &[Cell],
        look: RowLook,
        (from, to): (usize, usize),
        top: f32,
        h: f32,
        line_h: f32,
    ) {
        for (i, cell) in cells.iter().enumerate() {
            let (Some(&x), Some(&w)) = (grid.xs.get(i), grid.ws.get(i)) else {
                continue;
            };
            if look.fill.is_some() || look.border {
                self.draw(Draw::Rect {
                    x,
                    y: top - h,
                    w,
                    h,
                    fill: look.fill,
                    stroke: look.border.then_some(0.55),
                });
            }
            let style = Style {
                line_h,
                ..cell.style
            };
            for (k, line) in cell.lines.iter().enumerate().take(to).skip(from) {
                let line_top = top - CELL_PAD - (k - from) as f32 * line_h;
                self.text(x + CELL_PAD, baseline(line_top, style), style, line.clone());
            }
        }
        if look.rule_below {
            self.draw(Draw::Line {
                from: (LEFT, top - h),
                to: (RIGHT, top - h),
                width: 0.4,
                grey: 0.75,
            });
        }
    }

    fn list(&mut self, items: &[String]) -> Result<(), PdfError> {
        let indent = 16.0;
        for item in items {
            let mut lines = self.wrap(item, BODY, TEXT_W - indent, Breaks::Words);
            if lines.is_empty() {
                lines.push(String::new());
            }
            for (k, line) in lines.into_iter().enumerate() {
                let top = self.reserve(BODY.line_h)?;
                let y = baseline(top, BODY);
                if k == 0 {
                    self.text(LEFT + 4.0, y, BODY, "•".to_string());
                }
                self.text(LEFT + indent, y, BODY, line);
            }
            self.gap(2.0);
        }
        Ok(())
    }

    fn mono(&mut self, text: &str) -> Result<(), PdfError> {
        let indent = 8.0;
        let lines = self.wrap(text, MONO, TEXT_W - indent, Breaks::Anywhere);
        for line in lines {
            let top = self.reserve(MONO.line_h)?;
            // A bar down the left edge marks preformatted text, on every page it spans.
            self.draw(Draw::Line {
                from: (LEFT + 1.0, top),
                to: (LEFT + 1.0, top - MONO.line_h),
                width: 1.5,
                grey: 0.75,
            });
            self.text(LEFT + indent, baseline(top, MONO), MONO, line);
        }
        Ok(())
    }

    fn signature_lines(
        &self,
        name: &str,
        title: Option<&str>,
        date: Option<&str>,
        place: Option<&str>,
    ) -> Vec<String> {
        let mut lines = self.wrap(name, SIGN, SIGN_W, Breaks::Words);
        if let Some(title) = title {
            lines.extend(self.wrap(title, SIGN, SIGN_W, Breaks::Words));
        }
        if let Some(date) = date {
            lines.extend(self.wrap(&format!("Date: {date}"), SIGN, SIGN_W, Breaks::Words));
        }
        if let Some(place) = place {
            lines.extend(self.wrap(&format!("Place: {place}"), SIGN, SIGN_W, Breaks::Words));
        }
        lines
    }

    fn signature(
        &mut self,
        name: &str,
        title: Option<&str>,
        date: Option<&str>,
        place: Option<&str>,
    ) -> Result<(), PdfError> {
        let lines = self.signature_lines(name, title, date, place);
        // The line to sign on and the name under it belong on one page.
        self.ensure(SIGN_SPACE + lines.len() as f32 * SIGN.line_h)?;
        let top = self.reserve(SIGN_SPACE)?;
        let y = top - SIGN_SPACE + 3.0;
        self.draw(Draw::Line {
            from: (LEFT, y),
            to: (LEFT + SIGN_W, y),
            width: 0.75,
            grey: 0.0,
        });
        self.lines(lines, SIGN, LEFT)
    }

    fn fill_in(&mut self, label: &str) -> Result<(), PdfError> {
        let mut lines = self.wrap(label, BODY, TEXT_W, Breaks::Words);
        let last = lines.pop().unwrap_or_default();
        self.ensure(lines.len() as f32 * BODY.line_h + FILL_IN_H)?;
        self.lines(lines, BODY, LEFT)?;
        let top = self.reserve(FILL_IN_H)?;
        let y = top - FILL_IN_H + 6.0;
        let label_w = self.fonts.face(BODY.face).width(&last, BODY.size);
        self.text(LEFT, y, BODY, last);
        let mut start = LEFT + label_w + 6.0;
        let mut rule_y = y - 2.0;
        if RIGHT - start < 144.0 {
            let top = self.reserve(FILL_IN_H)?;
            start = LEFT;
            rule_y = top - FILL_IN_H + 4.0;
        }
        self.draw(Draw::Line {
            from: (start, rule_y),
            to: (RIGHT, rule_y),
            width: 0.6,
            grey: 0.0,
        });
        Ok(())
    }

    fn picture(&mut self, caption: &str) -> Result<(), PdfError> {
        let index = self.next_picture;
        self.next_picture += 1;
        let caption = self.wrap(caption, SMALL, TEXT_W, Breaks::Words);
        match self.pictures.get(index) {
            Some(Picture::Ready {
                rows,
                width_pt,
                height_pt,
                ..
            }) => self.place_picture(index, *rows, *width_pt, *height_pt, caption),
            Some(Picture::Unreadable(reason)) => self.placeholder(reason, caption),
            None => self.placeholder("it was not prepared", caption),
        }
    }

    /// A picture that could not be decoded still gets its place and caption.
    fn placeholder(&mut self, reason: &str, caption: Vec<String>) -> Result<(), PdfError> {
        let box_h = PLACEHOLDER_H;
        let message = format!("Picture not shown: {reason}.");
        let inside: Vec<String> = self
            .wrap(&message, SMALL, TEXT_W - 16.0, Breaks::Words)
            .into_iter()
            .take(3)
            .collect();
        self.ensure(PLACEHOLDER_H + caption_room(&caption))?;
        let top = self.reserve(box_h)?;
        self.draw(Draw::Rect {
            x: LEFT,
            y: top - box_h + 2.0,
            w: TEXT_W,
            h: box_h - 4.0,
            fill: Some(0.96),
            stroke: Some(0.6),
        });
        for (k, line) in inside.into_iter().enumerate() {
            let line_top = top - 8.0 - k as f32 * SMALL.line_h;
            self.text(LEFT + 8.0, baseline(line_top, SMALL), SMALL, line);
        }
        self.lines(caption, SMALL, LEFT)
    }

    fn place_picture(
        &mut self,
        picture: usize,
        rows: u32,
        w: f32,
        h: f32,
        caption: Vec<String>,
    ) -> Result<(), PdfError> {
        let x = LEFT + (TEXT_W - w).max(0.0) / 2.0;
        let caption_h = caption_room(&caption);
        self.ensure(picture_start_height(h, caption_h))?;
        if h + caption_h <= self.remaining() + EPS {
            let top = self.take(h);
            self.draw(Draw::Picture {
                picture,
                rows: (0, rows),
                x,
                y: top - h,
                w,
                h,
            });
            self.gap(4.0);
            return self.lines(caption, SMALL, LEFT);
        }

        let first = (self.remaining() - caption_h - NOTE_H).max(36.0);
        let parts = split_heights(h, first);
        let slices = pixel_slices(&parts, h, rows);
        let n = slices.len();
        for (k, (r0, r1)) in slices.into_iter().enumerate() {
            let part_h = (r1 - r0) as f32 * h / rows as f32;
            if k > 0 {
                self.new_page()?;
                self.planned_note(&format!("(continued — part {} of {n})", k + 1))?;
            }
            let top = self.take(part_h);
            self.draw(Draw::Picture {
                picture,
                rows: (r0, r1),
                x,
                y: top - part_h,
                w,
                h: part_h,
            });
            if k == 0 {
                self.gap(4.0);
                self.lines(caption.clone(), SMALL, LEFT)?;
            }
            if k + 1 < n {
                self.planned_note("(continues on the next page)")?;
            }
        }
        Ok(())
    }

    /// A chart: its title, the drawing (kept whole on one page), its caption and what
    /// it left out.
    fn chart(
        &mut self,
        title: &str,
        x_labels: &[String],
        series: &[Series],
        kind: ChartKind,
        caption: &str,
    ) -> Result<(), PdfError> {
        self.ensure(self.chart_start(title, caption))?;
        let title = self.wrap(title, CHART_TITLE, TEXT_W, Breaks::Words);
        self.lines(title, CHART_TITLE, LEFT)?;
        let top = self.reserve(chart::CHART_H)?;
        let draws = chart::draw(self.fonts, x_labels, series, kind, (LEFT, top, TEXT_W));
        for d in draws {
            self.draw(d);
        }
        self.gap(4.0);
        let caption = self.wrap(caption, SMALL, TEXT_W, Breaks::Words);
        self.lines(caption, SMALL, LEFT)?;
        for note in chart::notes(x_labels, series) {
            self.note(&note)?;
        }
        Ok(())
    }

    /// The title (up to three lines of it), the drawing and the caption's start go on
    /// one page.
    fn chart_start(&self, title: &str, caption: &str) -> f32 {
        let title = self.wrap(title, CHART_TITLE, TEXT_W, Breaks::Words);
        let caption = self.wrap(caption, SMALL, TEXT_W, Breaks::Words);
        title.len().min(3) as f32 * CHART_TITLE.line_h + chart::CHART_H + caption_room(&caption)
    }

    fn table_of_contents(&mut self) -> Result<(), PdfError> {
        if self.toc.is_empty() {
            return Ok(());
        }
        let grid = toc_grid();
        let head_look = RowLook {
            border: false,
            fill: None,
            rule_below: true,
        };
        let head = self.toc_head(&grid);
        self.ensure(self.toc_start())?;
        self.row(&grid, &head, head_look, None)?;
        let toc = self.toc;
        for entry in toc {
            let cells = self.toc_cells(&grid, entry);
            self.row(&grid, &cells, head_look, Some((&head, head_look)))?;
        }
        Ok(())
    }

    fn toc_head(&self, grid: &Grid) -> Vec<Cell> {
        ["Section", "Pages", "Bates range"]
            .iter()
            .zip(&grid.ws)
            .map(|(t, w)| self.cell(t, CELL_BOLD, *w))
            .collect()
    }

    fn toc_cells(&self, grid: &Grid, entry: &TocEntry) -> Vec<Cell> {
        vec![
            self.cell(&entry.title, CELL, grid.ws[0]),
            self.cell(&entry.pages, CELL, grid.ws[1]),
            self.cell(&entry.bates, CELL, grid.ws[2]),
        ]
    }

    /// The header and the first entry go on one page.
    fn toc_start(&self) -> f32 {
        let Some(first) = self.toc.first() else {
            return 0.0;
        };
        let grid = toc_grid();
        row_height(&self.toc_head(&grid)) + row_height(&self.toc_cells(&grid, first))
    }
}

fn fields_grid() -> Grid {
    Grid::new(&[0.3, 0.7])
}

fn toc_grid() -> Grid {
    Grid::new(&[0.5, 0.16, 0.34])
}

/// A table's columns: as many as its widest row or header.
struct TableShape {
    columns: usize,
    grid: Grid,
}

impl TableShape {
    fn new(
        header: &[String],
        rows: &[Vec<String>],
        widths: &[f32],
        fonts: &Fonts,
    ) -> Option<TableShape> {
        // Cells beyond the header get columns of their own: evidence is never dropped.
        let columns = rows
            .iter()
            .map(Vec::len)
            .chain([header.len()])
            .max()
            .unwrap_or(0);
        (columns > 0).then(|| TableShape {
            columns,
            grid: Grid::from_widths(&column_widths(header, rows, widths, columns, fonts)),
        })
    }
}

/// A cell word wider than this (a URL, a hash) does not widen its column: it breaks
/// anywhere instead.
const LONG_WORD: f32 = TEXT_W / 3.0;
/// Slack added to a measured word, so that rounding never breaks it.
const WORD_SLACK: f32 = 0.05;

/// Table column widths in points, summing to the text width: as the relative `widths`
/// ask, except that no column is narrower than the longest word of its header, nor,
/// where there is room, than the longest word of its cells (up to [`LONG_WORD`]; the
/// columns that need least more room get it first). When the header words alone do not
/// fit across the page, the relative widths stand and the words break.
fn column_widths(
    header: &[String],
    rows: &[Vec<String>],
    widths: &[f32],
    columns: usize,
    fonts: &Fonts,
) -> Vec<f32> {
    let wanted = fractions(widths, columns);
    let room = |word: f32| {
        if word > 0.0 {
            word + 2.0 * CELL_PAD + WORD_SLACK
        } else {
            0.0
        }
    };
    let bold = fonts.face(CELL_BOLD.face);
    let mut mins: Vec<f32> = (0..columns)
        .map(|i| {
            header.get(i).map_or(0.0, |text| {
                room(widest_word(text, bold, CELL_BOLD.size, f32::INFINITY))
            })
        })
        .collect();
    if mins.iter().sum::<f32>() > TEXT_W {
        return wanted.iter().map(|f| f * TEXT_W).collect();
    }
    let regular = fonts.face(CELL.face);
    let cells: Vec<f32> = (0..columns)
        .map(|i| {
            let word = rows
                .iter()
                .filter_map(|row| row.get(i))
                .map(|text| widest_word(text, regular, CELL.size, LONG_WORD))
                .fold(0.0, f32::max);
            room(word)
        })
        .collect();
    let mut wider: Vec<usize> = (0..columns).filter(|&i| cells[i] > mins[i]).collect();
    wider.sort_by(|&a, &b| {
        (cells[a] - mins[a])
            .total_cmp(&(cells[b] - mins[b]))
            .then(a.cmp(&b))
    });
    for i in wider {
        let total: f32 = mins.iter().sum();
        if total - mins[i] + cells[i] <= TEXT_W {
            mins[i] = cells[i];
        }
    }
    share_out(&wanted, &mins)
}

/// The text width shared out by the fractions `wanted`, no column under its minimum:
/// a column whose share is too small gets its minimum, and the others share what is
/// left in the same proportions. The minimums must fit in the text width.
fn share_out(wanted: &[f32], mins: &[f32]) -> Vec<f32> {
    let mut fixed = vec![false; wanted.len()];
    loop {
        let taken: f32 = (0..wanted.len())
            .filter(|&i| fixed[i])
            .map(|i| mins[i])
            .sum();
        let share: f32 = (0..wanted.len())
            .filter(|&i| !fixed[i])
            .map(|i| wanted[i])
            .sum();
        let free = (TEXT_W - taken).max(0.0);
        let width = |i: usize| {
            if fixed[i] || share <= 0.0 {
                mins[i]
            } else {
                free * wanted[i] / share
            }
        };
        let short: Vec<usize> = (0..wanted.len())
            .filter(|&i| !fixed[i] && width(i) < mins[i])
            .collect();
        if short.is_empty() {
            return (0..wanted.len()).map(width).collect();
        }
        for i in short {
            fixed[i] = true;
        }
    }
}

/// Room kept under a picture for (the start of) its caption.
fn caption_room(caption: &[String]) -> f32 {
    caption.len().min(3) as f32 * SMALL.line_h + 4.0
}

/// A picture that fits on a page goes whole onto one; a taller one starts here if a
/// useful first part, its caption and a note fit.
fn picture_start_height(h: f32, caption_h: f32) -> f32 {
    if h + caption_h <= BODY_H + EPS {
        h + caption_h
    } else {
        MIN_FIRST_SLICE + caption_h + NOTE_H
    }
}

fn picture_start(picture: Option<&Picture>, caption: &[String]) -> f32 {
    match picture {
        Some(Picture::Ready { height_pt, .. }) => {
            picture_start_height(*height_pt, caption_room(caption))
        }
        _ => PLACEHOLDER_H + caption_room(caption),
    }
}

fn row_height(cells: &[Cell]) -> f32 {
    let line_h = cells
        .iter()
        .map(|c| c.style.line_h)
        .fold(CELL.line_h, f32::max);
    let n = cells
        .iter()
        .map(|c| c.lines.len())
        .max()
        .unwrap_or(0)
        .max(1);
    n as f32 * line_h + 2.0 * CELL_PAD
}

/// Relative column widths as fractions of the text width. Missing, zero, negative or
/// non-finite widths take the average of the valid ones.
fn fractions(widths: &[f32], columns: usize) -> Vec<f32> {
    let valid: Vec<f32> = widths
        .iter()
        .take(columns)
        .copied()
        .filter(|w| w.is_finite() && *w > 0.0)
        .collect();
    let fallback = if valid.is_empty() {
        1.0
    } else {
        valid.iter().sum::<f32>() / valid.len() as f32
    };
    let raw: Vec<f32> = (0..columns)
        .map(|i| match widths.get(i) {
            Some(w) if w.is_finite() && *w > 0.0 => *w,
            _ => fallback,
        })
        .collect();
    let total: f32 = raw.iter().sum();
    if total.is_finite() && total > 0.0 {
        raw.iter().map(|w| w / total).collect()
    } else {
        vec![1.0 / columns as f32; columns]
    }
}

/// Heights of the parts of a picture `h` points tall whose first part gets `first`
/// points, each later part a page less its two notes, the last part a page less one.
fn split_heights(h: f32, first: f32) -> Vec<f32> {
    let middle = BODY_H - 2.0 * NOTE_H;
    let last = BODY_H - NOTE_H;
    let mut parts = vec![first.min(h)];
    let mut done = first;
    while h - done > EPS {
        let rest = h - done;
        if rest <= last + EPS {
            parts.push(rest);
            break;
        }
        parts.push(middle);
        done += middle;
    }
    parts
}

/// Pixel row ranges for parts of the given heights, covering all `rows` rows; parts that
/// would get no row are dropped.
fn pixel_slices(parts: &[f32], h: f32, rows: u32) -> Vec<(u32, u32)> {
    let rows_per_pt = rows as f32 / h;
    let mut slices = Vec::with_capacity(parts.len());
    let mut start = 0u32;
    let mut cumulative = 0.0;
    for (i, part) in parts.iter().enumerate() {
        cumulative += part;
        let end = if i + 1 == parts.len() {
            rows
        } else {
            ((cumulative * rows_per_pt).floor() as u32).min(rows)
        };
        if end > start {
            slices.push((start, end));
            start = end;
        }
    }
    if start < rows {
        match slices.last_mut() {
            Some(last) => last.1 = rows,
            None => slices.push((0, rows)),
        }
    }
    slices
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::system().unwrap_or_else(|e| panic!("{e}"))
    }

    /// The last line on each page, if it is a heading.
    fn headings_at_page_foot(layout: &Layout) -> Vec<String> {
        let mut found = Vec::new();
        for page in layout
            .pages
            .iter()
            .take(layout.pages.len().saturating_sub(1))
        {
            let last = page.iter().rev().find(|d| matches!(d, Draw::Text { .. }));
            if let Some(Draw::Text {
                face: FaceKind::Bold,
                size,
                text,
                ..
            }) = last
                && *size > CELL.size
            {
                found.push(text.clone());
            }
        }
        found
    }

    #[test]
    fn headings_keep_with_the_next_line() {
        let fonts = fonts();
        for before in 30..60 {
            let mut pictures = Vec::new();
            let mut blocks: Vec<Block> = (0..before)
                .map(|i| Block::Paragraph(format!("line {i}")))
                .collect();
            blocks.push(Block::Heading {
                level: 2,
                text: "Heading two".to_string(),
            });
            blocks.push(Block::Heading {
                level: 3,
                text: "Heading three".to_string(),
            });
            blocks.push(Block::Paragraph(
                "First line after the headings.".to_string(),
            ));
            blocks.push(Block::Heading {
                level: 2,
                text: "Before a table".to_string(),
            });
            blocks.push(Block::Table {
                header: vec!["a".to_string()],
                rows: vec![vec!["tall first row\n".repeat(8)]],
                widths: vec![],
            });
            for (i, tall) in [300.0, 2000.0].into_iter().enumerate() {
                blocks.extend((0..before / 3).map(|i| Block::Paragraph(format!("line {i}"))));
                blocks.push(Block::Heading {
                    level: 2,
                    text: format!("Before picture {i}"),
                });
                blocks.push(Block::Image {
                    bytes: Vec::new(),
                    caption: "caption".to_string(),
                });
                pictures.push(Picture::Ready {
                    cols: 10,
                    rows: tall as u32,
                    width_pt: TEXT_W,
                    height_pt: tall,
                });
            }
            blocks.push(Block::Heading {
                level: 3,
                text: "Before a broken picture".to_string(),
            });
            blocks.push(Block::Image {
                bytes: Vec::new(),
                caption: "caption".to_string(),
            });
            pictures.push(Picture::Unreadable("broken".to_string()));
            let sections = [Section::new("Title", blocks)];
            let layout =
                lay_out(&sections, &pictures, &[], &fonts).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                headings_at_page_foot(&layout),
                Vec::<String>::new(),
                "{before} lines before"
            );
        }
    }

    #[test]
    fn page_breaks_and_space_make_no_blank_pages() {
        let fonts = fonts();
        let sections = [
            Section::new(
                "One",
                vec![Block::PageBreak, Block::PageBreak, Block::Space(500.0)],
            ),
            Section::new(
                "Two",
                vec![Block::Paragraph("text".to_string()), Block::PageBreak],
            ),
        ];
        let layout = lay_out(&sections, &[], &[], &fonts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(layout.pages.len(), 2);
        assert!(layout.pages.iter().all(|p| !p.is_empty()));
        assert_eq!(layout.sections, vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn fractions_survive_bad_widths() {
        assert_eq!(fractions(&[], 2), vec![0.5, 0.5]);
        let f = fractions(&[1.0, f32::NAN, -3.0, 2.0], 4);
        assert!((f.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(f.iter().all(|x| *x > 0.0));
        assert_eq!(fractions(&[f32::MAX, f32::MAX], 2), vec![0.5, 0.5]);
    }

    #[test]
    fn columns_keep_their_words_and_the_proportions() {
        let near = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.01);
        let even = [0.25; 4];
        let w = share_out(&even, &[0.0; 4]);
        assert!(near(&w, &[TEXT_W / 4.0; 4]), "{w:?}");
        // A column too narrow for its word gets the word; the rest keep their ratio.
        let w = share_out(&[0.1, 0.3, 0.6], &[200.0, 0.0, 0.0]);
        assert!(near(
            &w,
            &[200.0, (TEXT_W - 200.0) / 3.0, (TEXT_W - 200.0) * 2.0 / 3.0]
        ));
        // Fixing one column may push another under its minimum.
        let w = share_out(&[0.05, 0.05, 0.9], &[100.0, 95.0, 0.0]);
        assert!(near(&w, &[100.0, 95.0, TEXT_W - 195.0]), "{w:?}");
        assert!((w.iter().sum::<f32>() - TEXT_W).abs() < 0.01);

        let fonts = fonts();
        let header: Vec<String> = ["Marketplace", "Listing ID", "Exhibit", "Outcome"]
            .map(String::from)
            .to_vec();
        let rows = vec![vec![
            "taobao".to_string(),
            "1234567890123".to_string(),
            "Exhibit 12".to_string(),
            "https://example.com/".to_string() + &"x".repeat(200),
        ]];
        let w = column_widths(&header, &rows, &[0.3, 1.0, 0.4, 8.0], 4, &fonts);
        assert!((w.iter().sum::<f32>() - TEXT_W).abs() < 0.01, "{w:?}");
        let bold = fonts.face(FaceKind::Bold);
        for (i, head) in header.iter().enumerate() {
            let cells = wrap(head, bold, CELL.size, w[i] - 2.0 * CELL_PAD, Breaks::Words);
            assert_eq!(
                cells,
                std::slice::from_ref(head),
                "column {i} is {} wide",
                w[i]
            );
        }
        let id = wrap(
            &rows[0][1],
            fonts.face(FaceKind::Regular),
            CELL.size,
            w[1] - 7.0,
            Breaks::Words,
        );
        assert_eq!(id.len(), 1, "{id:?}");
        // Twenty header words cannot all fit: the relative widths stand.
        let many: Vec<String> = (0..20).map(|i| format!("Marketplace{i}")).collect();
        let w = column_widths(&many, &[], &[], 20, &fonts);
        assert!(near(&w, &[TEXT_W / 20.0; 20]), "{w:?}");
    }

    #[test]
    fn slices_cover_every_row_once() {
        let parts = split_heights(3000.0, 200.0);
        assert!(parts.len() >= 5);
        let slices = pixel_slices(&parts, 3000.0, 6000);
        assert_eq!(slices.first().map(|s| s.0), Some(0));
        assert_eq!(slices.last().map(|s| s.1), Some(6000));
        for pair in slices.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
        }
        // Fewer rows than parts: parts merge, nothing is lost.
        let slices = pixel_slices(&parts, 3000.0, 2);
        assert_eq!(slices.last().map(|s| s.1), Some(2));
    }
}
