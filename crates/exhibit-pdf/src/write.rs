//! Turning a [`Layout`] into PDF bytes, streamed to a writer, deterministically.
//!
//! The file is written in three stretches. First the pictures: each picture is decoded
//! ([`crate::picture::render`]), scaled to the grid layout chose, written at once as one
//! JPEG image object, and the pixels dropped before the next picture (a picture the
//! source already holds as printed is copied as it is); a few pictures are processed
//! side by side on the machine's cores, and written in document order. Then the pages:
//! each page's content stream ([`crate::content`]) is written, compressed, with its page
//! object, and the page's draws dropped. Last the fonts, which printpdf subsets to the
//! characters the pages use (it sets them once, on a page of its own that is never
//! written, and the codes it gave each character are the codes the pages use), then
//! the page tree, outline, document information and catalogue. Nothing but one picture
//! per core, one page's stream, and the page descriptions is held, whatever the number
//! of screenshots or pages.
//!
//! printpdf names fonts with random ids. Everything here is named instead: resource
//! names from a content hash, dates from [`PdfOptions::created`], and the document id
//! from a SHA-256 of every byte before the trailer, so the same input gives the same
//! bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use lopdf::{Object, ObjectId};
use printpdf::{
    FontId, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextItem,
};
use sha2::{Digest, Sha256};

use crate::content::{TextCodes, page_content};
use crate::fonts::{FaceKind, Fonts};
use crate::layout::{Draw, LEFT, Layout, MARGIN, PAGE_H, PAGE_W, RIGHT};
use crate::picture::Picture;
use crate::serial::name_bytes;
use crate::wrap::{ellipsize, one_line};
use crate::{PdfError, PdfOptions, PictureSource};

const FOOTER_SIZE: f32 = 8.0;
const FOOTER_BASELINE: f32 = MARGIN - 22.0;
const FOOTER_RULE: f32 = MARGIN - 8.0;

/// A bookmark in the PDF outline: title and 0-based page.
pub(crate) struct Bookmark {
    pub(crate) title: String,
    pub(crate) page: usize,
}

/// Where a picture's bytes are: in the document, or with the picture source.
pub(crate) enum Origin<'d> {
    Inline(&'d [u8]),
    Stored(&'d str),
}

/// What the writer wrote.
pub(crate) struct Written {
    pub(crate) sha256: [u8; 32],
    pub(crate) size: u64,
}

/// The document's pictures: their printed sizes, where their bytes are, and the source
/// that holds the stored ones.
pub(crate) struct Pictures<'a, 'd> {
    pub(crate) sizes: &'a [Picture],
    pub(crate) origins: &'a [Origin<'d>],
    pub(crate) source: &'a dyn PictureSource,
}

pub(crate) fn write(
    layout: Layout,
    pictures: &Pictures<'_, '_>,
    bookmarks: &[Bookmark],
    fonts: &Fonts,
    opts: &PdfOptions,
    out: &mut dyn Write,
) -> Result<Written, PdfError> {
    let mut out = Counted::new(out);
    out.put(b"%PDF-1.3\n%\xC7\xEC\x8F\xA2\n")?;
    let mut pages = layout.pages;
    let images = crate::images::write_images(&pages, pictures, &mut out)?;
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        for draw in page.iter_mut() {
            if let Draw::Picture { picture, .. } = &*draw
                && !images.placed.contains_key(picture)
            {
                let reason = images
                    .failed
                    .get(picture)
                    .map_or("it was not prepared", String::as_str);
                let boxed = failed_picture(draw, reason, fonts);
                *draw = boxed;
            }
        }
        page.extend(footer(i, total, fonts, opts));
    }
    let (font_doc, font_dict, codes) = embed_fonts(&pages, fonts)?;

    let mut next = images.last_id + 1;
    let mut reserve = || {
        let id = next;
        next += 1;
        id
    };
    let tree_id = reserve();
    let resources_id = reserve();
    let mut page_ids = Vec::with_capacity(total);
    for page in pages {
        let content = deflate(&page_content(&page, &images.placed, &codes))?;
        drop(page);
        let content_id = reserve();
        out.begin((content_id, 0))?;
        out.put(format!("<</Filter/FlateDecode/Length {}>>stream\n", content.len()).as_bytes())?;
        out.put(&content)?;
        out.put(b"\nendstream\nendobj\n")?;
        let page_id = reserve();
        let w = crate::serial::real(PAGE_W);
        let h = crate::serial::real(PAGE_H);
        out.begin((page_id, 0))?;
        out.put(
            format!(
                "<</Type/Page/Parent {tree_id} 0 R/MediaBox[0 0 {w} {h}]/CropBox[0 0 {w} {h}]\
                 /TrimBox[0 0 {w} {h}]/Resources {resources_id} 0 R/Contents {content_id} 0 R>>\n\
                 endobj\n"
            )
            .as_bytes(),
        )?;
        page_ids.push(page_id);
    }

    let fonts_id = match font_dict {
        Some(root) => Some(crate::serial::write_reachable(
            &font_doc, root, &mut next, &mut out,
        )?),
        None => None,
    };
    drop(font_doc);
    let mut resources = b"<<".to_vec();
    if let Some(id) = fonts_id {
        resources.extend_from_slice(format!("/Font {id} 0 R").as_bytes());
    }
    resources.extend_from_slice(b"/XObject<<");
    for placed in images.placed.values() {
        resources
            .extend_from_slice(format!("/{} {} 0 R", image_name(placed.id), placed.id).as_bytes());
    }
    resources.extend_from_slice(b">>>>\nendobj\n");
    out.begin((resources_id, 0))?;
    out.put(&resources)?;

    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    out.begin((tree_id, 0))?;
    out.put(
        format!(
            "<</Type/Pages/Count {}/Kids[{}]>>\nendobj\n",
            page_ids.len(),
            kids.join(" ")
        )
        .as_bytes(),
    )?;

    let outline_id = write_outline(bookmarks, &page_ids, &mut next, &mut out)?;
    let info_id = next;
    next += 1;
    out.begin((info_id, 0))?;
    out.put(&info_dict(opts))?;
    let catalog_id = next;
    out.begin((catalog_id, 0))?;
    let mut catalog = format!("<</Type/Catalog/Pages {tree_id} 0 R/PageLayout/OneColumn");
    if let Some(id) = outline_id {
        catalog.push_str(&format!("/Outlines {id} 0 R/PageMode/UseOutlines"));
    }
    catalog.push_str(">>\nendobj\n");
    out.put(catalog.as_bytes())?;
    let trailer = format!("/Root {catalog_id} 0 R/Info {info_id} 0 R");
    out.finish_with(catalog_id, trailer.as_bytes())
}

/// A page's content stream, deflated as lopdf would (zlib, default level).
fn deflate(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::default());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| PdfError::Write {
            detail: e.to_string(),
        })
}

/// The outline (bookmarks), numbered from `*next`; its root's number, if any.
fn write_outline(
    bookmarks: &[Bookmark],
    page_ids: &[u32],
    next: &mut u32,
    out: &mut Counted<'_>,
) -> Result<Option<u32>, PdfError> {
    let marks: Vec<(&Bookmark, u32)> = bookmarks
        .iter()
        .filter_map(|b| page_ids.get(b.page).map(|&page| (b, page)))
        .collect();
    if marks.is_empty() {
        return Ok(None);
    }
    let root = *next;
    let first = root + 1;
    let last = root + marks.len() as u32;
    *next = last + 1;
    out.begin((root, 0))?;
    out.put(
        format!(
            "<</Type/Outlines/First {first} 0 R/Last {last} 0 R/Count {}>>\nendobj\n",
            marks.len()
        )
        .as_bytes(),
    )?;
    for (i, (mark, page)) in marks.iter().enumerate() {
        let id = first + i as u32;
        let mut item = format!("<</Title {}/Parent {root} 0 R", utf16_hex(&mark.title));
        if id > first {
            item.push_str(&format!("/Prev {} 0 R", id - 1));
        }
        if id < last {
            item.push_str(&format!("/Next {} 0 R", id + 1));
        }
        item.push_str(&format!("/Dest[{page} 0 R/XYZ null null null]>>\nendobj\n"));
        out.begin((id, 0))?;
        out.put(item.as_bytes())?;
    }
    Ok(Some(root))
}

/// Text as a PDF text string: UTF-16BE with its byte-order mark, in hex.
fn utf16_hex(text: &str) -> String {
    let mut s = String::from("<FEFF");
    for unit in text.encode_utf16() {
        s.push_str(&format!("{unit:04X}"));
    }
    s.push('>');
    s
}

/// The document information dictionary: title, author, producer and dates.
fn info_dict(opts: &PdfOptions) -> Vec<u8> {
    let date = opts.created.format("(D:%Y%m%d%H%M%S+00'00')").to_string();
    let mut d = b"<<".to_vec();
    for (key, value) in [
        ("Title", opts.title.as_str()),
        ("Author", opts.author.as_str()),
        ("Creator", "Exhibit"),
        ("Producer", "Exhibit"),
    ] {
        if value.is_empty() {
            continue;
        }
        name_bytes(key.as_bytes(), &mut d);
        d.extend_from_slice(utf16_hex(value).as_bytes());
    }
    d.extend_from_slice(format!("/CreationDate{date}/ModDate{date}>>\nendobj\n").as_bytes());
    d
}

/// A failed picture's slice becomes a grey box saying why, where the slice would be.
fn failed_picture(draw: &Draw, reason: &str, fonts: &Fonts) -> Draw {
    let Draw::Picture { x, y, w, h, .. } = *draw else {
        return draw.clone();
    };
    let face = fonts.face(FaceKind::Regular);
    let text = format!("Picture not shown: {reason}.");
    let text = ellipsize(&one_line(&text, face), w - 16.0, |s| face.width(s, 8.0));
    Draw::Boxed { x, y, w, h, text }
}

/// The fonts, subset by printpdf to the characters `pages` set in each face: printpdf's
/// document holding them (on a page of its own, never written), its font dictionary,
/// and the code of each character, read back from the content printpdf wrote for
/// that page.
fn embed_fonts(
    pages: &[Vec<Draw>],
    fonts: &Fonts,
) -> Result<(lopdf::Document, Option<ObjectId>, TextCodes), PdfError> {
    let font_ids = font_ids(pages);
    let mut used: BTreeMap<FaceKind, BTreeSet<char>> = BTreeMap::new();
    for draw in pages.iter().flatten() {
        let (face, text) = match draw {
            Draw::Text { face, text, .. } => (*face, text),
            Draw::Boxed { text, .. } => (FaceKind::Regular, text),
            _ => continue,
        };
        used.entry(face).or_default().extend(text.chars());
    }
    let mut doc = PdfDocument::new("");
    let mut ops = Vec::new();
    let mut order = Vec::new();
    for (kind, chars) in &used {
        let Some(id) = font_ids.get(kind) else {
            continue;
        };
        doc.resources.fonts.map.insert(
            id.clone(),
            printpdf::PdfFont::new(fonts.face(*kind).parsed.clone()),
        );
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(id.clone()),
            size: Pt(10.0),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(chars.iter().collect())],
        });
        ops.push(Op::EndTextSection);
        order.push(*kind);
    }
    doc.pages = vec![PdfPage {
        media_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
        trim_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
        crop_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
        ops,
    }];
    let save = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&save, &mut warnings);
    drop(doc);
    let page = lo.get_pages().values().next().copied();
    let mut codes = BTreeMap::new();
    let mut font_dict = None;
    if let Some(page) = page {
        let content = lo.get_page_content(page);
        let runs = text_runs(&content);
        if runs.len() != order.len() {
            return Err(embedding_failed(format!(
                "{} runs of text for {} faces",
                runs.len(),
                order.len()
            )));
        }
        for (kind, run) in order.iter().zip(runs) {
            let chars = used.get(kind).map(|c| c.len()).unwrap_or(0);
            if run.len() != chars {
                return Err(embedding_failed(format!(
                    "{} codes for {chars} characters",
                    run.len()
                )));
            }
            let set = used.get(kind).into_iter().flatten().copied();
            codes.insert(*kind, set.zip(run).collect::<HashMap<_, _>>());
        }
        font_dict = lo
            .get_dictionary(page)
            .ok()
            .and_then(|p| p.get(b"Resources").ok())
            .and_then(|r| match r {
                Object::Reference(id) => lo.get_dictionary(*id).ok(),
                Object::Dictionary(d) => Some(d),
                _ => None,
            })
            .and_then(|r| r.get(b"Font").ok())
            .and_then(|f| f.as_reference().ok());
    }
    lo.compress();
    let names = font_ids.into_iter().map(|(k, id)| (k, id.0)).collect();
    Ok((lo, font_dict, TextCodes { names, codes }))
}

/// printpdf did not set the fonts' characters as expected: the codes would not match.
fn embedding_failed(detail: String) -> PdfError {
    PdfError::Write {
        detail: format!("the fonts could not be embedded ({detail})"),
    }
}

/// The codes of the text shown after each `Tf` in a content stream, one run a font:
/// every hex string (`<…>`) between one `Tf` and the next, two bytes a code.
fn text_runs(content: &[u8]) -> Vec<Vec<u16>> {
    let mut runs: Vec<Vec<u16>> = Vec::new();
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'T' if content.get(i + 1) == Some(&b'f') => {
                runs.push(Vec::new());
                i += 2;
            }
            b'<' if content.get(i + 1) != Some(&b'<') => {
                let end = content[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(content.len(), |p| i + p);
                let digits: Vec<u8> = content[i + 1..end]
                    .iter()
                    .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
                    .collect();
                if let Some(run) = runs.last_mut() {
                    run.extend(digits.chunks(4).map(|c| {
                        c.iter().fold(0u16, |n, &d| (n << 4) | u16::from(d))
                            << (4 * (4 - c.len() as u32))
                    }));
                }
                i = end + 1;
            }
            b'<' => i += 2,
            _ => i += 1,
        }
    }
    runs
}

/// The resource name of the image object numbered `id`.
pub(crate) fn image_name(id: u32) -> String {
    format!("Im{id}")
}

/// The writer's sink: counts and hashes every byte, and remembers where each object
/// starts, for the cross-reference table.
pub(crate) struct Counted<'w> {
    inner: &'w mut dyn Write,
    hasher: Sha256,
    written: u64,
    offsets: BTreeMap<u32, (u64, u16)>,
}

impl<'w> Counted<'w> {
    pub(crate) fn new(inner: &'w mut dyn Write) -> Self {
        Counted {
            inner,
            hasher: Sha256::new(),
            written: 0,
            offsets: BTreeMap::new(),
        }
    }

    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), PdfError> {
        self.inner.write_all(bytes).map_err(|e| PdfError::Write {
            detail: e.to_string(),
        })?;
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Starts indirect object `id`: records where it is and writes its header.
    pub(crate) fn begin(&mut self, (id, generation): ObjectId) -> Result<(), PdfError> {
        self.offsets.insert(id, (self.written, generation));
        self.put(format!("{id} {generation} obj\n").as_bytes())
    }

    /// The cross-reference table for objects 1..=`max`, and the trailer, whose `/ID` is
    /// the SHA-256 of everything before it (so no second pass is needed).
    pub(crate) fn finish_with(mut self, max: u32, trailer: &[u8]) -> Result<Written, PdfError> {
        let xref_at = self.written;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).into_bytes();
        for id in 1..=max {
            match self.offsets.get(&id) {
                Some((at, generation)) => {
                    table.extend_from_slice(format!("{at:010} {generation:05} n \n").as_bytes())
                }
                None => table.extend_from_slice(b"0000000000 00000 f \n"),
            }
        }
        self.put(&table)?;
        let id = self.hasher.clone().finalize();
        let id_hex: String = id[..16].iter().map(|b| format!("{b:02X}")).collect();
        let mut tail = b"trailer\n<<".to_vec();
        tail.extend_from_slice(format!("/Size {}", max + 1).as_bytes());
        tail.extend_from_slice(trailer);
        tail.extend_from_slice(
            format!("/ID[<{id_hex}><{id_hex}>]>>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes(),
        );
        self.put(&tail)?;
        self.inner.flush().map_err(|e| PdfError::Write {
            detail: e.to_string(),
        })?;
        Ok(Written {
            sha256: self.hasher.finalize().into(),
            size: self.written,
        })
    }
}

/// Font resource names. The first six letters double as the subset tag (`ABCDEF+Name`),
/// which should change with the subset, so they come from a hash of the text set in
/// that face.
fn font_ids(pages: &[Vec<Draw>]) -> BTreeMap<FaceKind, FontId> {
    let mut hashes: BTreeMap<FaceKind, Sha256> = BTreeMap::new();
    for draw in pages.iter().flatten() {
        let (face, text) = match draw {
            Draw::Text { face, text, .. } => (*face, text),
            Draw::Boxed { text, .. } => (FaceKind::Regular, text),
            _ => continue,
        };
        let h = hashes.entry(face).or_default();
        h.update(text.as_bytes());
        h.update([0]);
    }
    hashes
        .into_iter()
        .map(|(kind, h)| {
            let digest = h.finalize();
            let tag: String = digest
                .iter()
                .take(6)
                .map(|b| char::from(b'A' + b % 26))
                .collect();
            let suffix = match kind {
                FaceKind::Regular => "R",
                FaceKind::Bold => "B",
                FaceKind::Mono => "M",
            };
            (kind, FontId(format!("{tag}{suffix}")))
        })
        .collect()
}

/// "Page X of Y" in the middle, the Bates number on the right, the caller's note on the
/// left, under a thin rule.
fn footer(index: usize, total: usize, fonts: &Fonts, opts: &PdfOptions) -> Vec<Draw> {
    let face = fonts.face(FaceKind::Regular);
    let text = |x: f32, text: String| Draw::Text {
        x,
        y: FOOTER_BASELINE,
        face: FaceKind::Regular,
        size: FOOTER_SIZE,
        grey: 0.25,
        text,
    };
    let mut out = vec![Draw::Line {
        from: (LEFT, FOOTER_RULE),
        to: (RIGHT, FOOTER_RULE),
        width: 0.4,
        grey: 0.7,
    }];
    let bates = crate::bates(&opts.bates_prefix, opts.bates_start, index);
    let bates = one_line(&bates, face);
    let bates_w = face.width(&bates, FOOTER_SIZE);
    let page = format!("Page {} of {}", index + 1, total);
    let page_w = face.width(&page, FOOTER_SIZE);
    let centre = (LEFT + RIGHT) / 2.0;
    // The page number moves left of the centre if a long Bates stamp reaches it.
    let page_x = (centre - page_w / 2.0)
        .min(RIGHT - bates_w - page_w - 12.0)
        .max(LEFT);
    if let Some(left) = &opts.footer_left {
        let room = page_x - LEFT - 12.0;
        let left = ellipsize(&one_line(left, face), room, |s| face.width(s, FOOTER_SIZE));
        if !left.is_empty() {
            out.push(text(LEFT, left));
        }
    }
    out.push(text(page_x, page));
    out.push(text(RIGHT - bates_w, bates));
    out
}
