//! A small, layout-free document model: what a packet says, not where it goes.
//!
//! The venue renderers (`exhibit-venues`) and the packet assembler (`exhibit`) build
//! [`Section`]s out of [`Block`]s; the PDF engine (`exhibit-pdf`) lays them out,
//! wraps lines, numbers pages and stamps Bates numbers. Nothing here knows about
//! fonts, points or PDF.

use serde::{Deserialize, Serialize};

/// One part of a document, listed in the table of contents when `in_toc` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The title shown in the table of contents and as the section's first heading.
    pub title: String,
    /// Whether the table of contents lists this section with its page and Bates range.
    pub in_toc: bool,
    /// Whether the section starts on a new page. Sections that do not may share a page
    /// with the one before.
    pub new_page: bool,
    pub blocks: Vec<Block>,
}

impl Section {
    /// A section that starts on a new page and is listed in the table of contents.
    pub fn new(title: impl Into<String>, blocks: Vec<Block>) -> Section {
        Section {
            title: title.into(),
            in_toc: true,
            new_page: true,
            blocks,
        }
    }
}

/// One block of content. Text may hold any Unicode, Chinese included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// A heading; level 1 is the largest.
    Heading { level: u8, text: String },
    /// A paragraph, wrapped to the page width. A `\n` starts a new line.
    Paragraph(String),
    /// A paragraph in a small font, for notes and captions.
    Small(String),
    /// Label and value pairs, shown as a two-column table (the label column is narrow).
    Fields(Vec<(String, String)>),
    /// A table with a header row. `widths` are relative column widths, one per column
    /// (empty means equal widths); a column is widened past its share to keep the
    /// longest word of its header whole (and of its cells, where the page has room), so
    /// only URLs, hashes and words that cannot all fit break. Cells wrap; rows never
    /// split across pages unless a single row is taller than a page.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f32>,
    },
    /// A bulleted list.
    List(Vec<String>),
    /// Preformatted monospace text (hashes, commands, URLs). Long lines break anywhere.
    Mono(String),
    /// A line to sign on, with the printed name and the rest under it.
    Signature {
        name: String,
        title: Option<String>,
        date: Option<String>,
        place: Option<String>,
    },
    /// A blank line to be filled in by hand, with its label ("Translator's name").
    FillIn { label: String },
    /// An image from PNG or JPEG bytes, scaled to the text width. A picture taller than
    /// the space left is split across pages, each part marked as a continuation.
    Image { bytes: Vec<u8>, caption: String },
    /// An image kept outside the document (a screenshot in the case file), named by a
    /// key that the renderer's picture source opens when it needs the bytes, so a
    /// document of a thousand screenshots holds none of them. Laid out as `Image`.
    ImageRef { key: String, caption: String },
    /// A chart drawn as vectors at the text width (a fixed height, never split across
    /// pages): the title above, a legend with a swatch per series, the y axis from 0 to
    /// a round number with its gridlines labelled, the x labels under the plot (thinned
    /// out when they do not all fit), and the caption under it.
    ///
    /// Point `i` of every series belongs to `x_labels[i]`. The chart has as many points
    /// as the longest of `x_labels` and the series' `values`: a missing label prints
    /// nothing, a missing value counts as 0 (a line ends where its values end). Values
    /// that are negative, NaN or infinite count as 0. See [`ChartKind`] for how the
    /// series are drawn.
    Chart {
        title: String,
        x_labels: Vec<String>,
        series: Vec<Series>,
        kind: ChartKind,
        caption: String,
    },
    /// Where the table of contents goes. The engine fills it with every `in_toc` section:
    /// title, page range and Bates range.
    TableOfContents,
    /// Vertical space in points.
    Space(f32),
    /// Ends the page.
    PageBreak,
}

/// One named run of values in a [`Block::Chart`], one value per x label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Shown in the legend ("Removed").
    pub name: String,
    /// One value per x label, in order.
    pub values: Vec<f64>,
}

/// How a [`Block::Chart`] draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    /// One bar per x label, the series stacked in order from the axis up: parts of a
    /// whole ("removed", "relisted", "still live" of the listings filed that week).
    StackedBars,
    /// One bar per series side by side at each x label: quantities compared.
    Bars,
    /// One line per series through its values, each in its own colour and dash.
    Lines,
}
