//! The packet PDF read back with poppler and qpdf, as a recipient's tools see it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use exhibit_domain::doc::{Block, ChartKind, Section, Series};
use exhibit_pdf::{Fonts, PdfError, PdfOptions, RenderedPdf, render};

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| match Fonts::system() {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    })
}

fn options() -> PdfOptions {
    PdfOptions {
        title: "Case 42: counterfeit listings".to_string(),
        author: "Exhibit test".to_string(),
        bates_prefix: "ACME-".to_string(),
        bates_start: 1,
        created: Utc
            .with_ymd_and_hms(2025, 3, 14, 15, 9, 26)
            .single()
            .unwrap_or_default(),
        footer_left: Some("Manifest sha256 3f1c…".to_string()),
    }
}

fn ok(sections: &[Section]) -> RenderedPdf {
    match render(sections, &options(), fonts()) {
        Ok(pdf) => pdf,
        Err(e) => panic!("render failed: {e}"),
    }
}

/// A scratch file per call, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn with(bytes: &[u8]) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "exhibit-pdf-test-{}-{}.pdf",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        Scratch(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} could not run ({e}): install poppler-utils and qpdf")
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_text(file: &Path, page: u32) -> String {
    let n = page.to_string();
    tool("pdftotext", &["-layout", "-f", &n, "-l", &n], file)
}

/// A field of `pdfinfo`'s output, such as "Pages".
fn info_field(file: &Path, field: &str) -> String {
    let info = tool("pdfinfo", &[], file);
    info.lines()
        .find_map(|l| {
            l.strip_prefix(field)
                .and_then(|rest| rest.strip_prefix(':'))
        })
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("pdfinfo has no {field}: {info}"))
}

fn qpdf_check(file: &Path) {
    let out = tool("qpdf", &["--check"], file);
    assert!(
        out.contains("No syntax or stream encoding errors"),
        "qpdf --check: {out}"
    );
}

fn paragraph(seed: usize, words: usize) -> String {
    const WORDS: &[&str] = &[
        "listing",
        "seller",
        "counterfeit",
        "trademark",
        "marketplace",
        "captured",
        "evidence",
        "假冒商品",
        "商品链接",
        "price",
        "store",
        "registered",
        "hash",
        "screenshot",
        "卖家",
    ];
    (0..words)
        .map(|i| WORDS[(seed * 7 + i * 13 + i / 3) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        // Bands of colour with text-like speckle, roughly what a screenshot compresses like.
        let band = (y / 40) % 6;
        let speckle = ((x * 7 + y * 13) % 17 < 3) as u8 * 90;
        image::Rgb([
            200 - (band as u8) * 20 - speckle,
            220 - speckle,
            (x % 256) as u8 / 2 + 100,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    if let Err(e) = img.write_to(&mut out, image::ImageFormat::Png) {
        panic!("png: {e}");
    }
    out.into_inner()
}

fn section(title: &str, blocks: Vec<Block>) -> Section {
    Section::new(title, blocks)
}

/// Cover, contents and sections of different lengths, some sharing pages.
fn packet() -> Vec<Section> {
    let mut sections = vec![
        Section {
            title: "Complaint packet".to_string(),
            in_toc: false,
            new_page: true,
            blocks: vec![
                Block::Paragraph("假冒商品 counterfeit 商品链接".to_string()),
                Block::Fields(vec![
                    ("Case".to_string(), "Case 42".to_string()),
                    (
                        "Complainant".to_string(),
                        "ACME Corporation, 1 Road, Springfield".to_string(),
                    ),
                ]),
            ],
        },
        Section {
            title: "Contents".to_string(),
            in_toc: false,
            new_page: true,
            blocks: vec![Block::TableOfContents],
        },
    ];
    for (i, len) in [3usize, 40, 1, 12, 70, 2].into_iter().enumerate() {
        let title = format!("Exhibit {} section", (b'A' + i as u8) as char);
        let mut blocks: Vec<Block> = (0..len)
            .map(|p| Block::Paragraph(paragraph(i + p, 60)))
            .collect();
        blocks.push(Block::Paragraph(format!(
            "End of exhibit {}.",
            (b'A' + i as u8) as char
        )));
        sections.push(Section {
            title,
            in_toc: true,
            new_page: i % 3 != 2,
            blocks,
        });
    }
    sections
}

#[test]
fn same_input_gives_same_bytes() {
    let sections = packet();
    let a = ok(&sections);
    let b = ok(&sections);
    assert_eq!(a.bytes.len(), b.bytes.len());
    assert!(a.bytes == b.bytes, "two renders of the same input differ");

    let mut later = options();
    later.created = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let c = render(&sections, &later, fonts()).unwrap_or_else(|e| panic!("{e}"));
    assert!(c.bytes != a.bytes, "the creation date must reach the file");
    let raw = String::from_utf8_lossy(&a.bytes);
    assert!(
        raw.contains("D:20250314150926"),
        "creation date missing from the info dictionary"
    );
}

/// What `same_bytes_in_another_process` compares: a packet with a picture, written
/// where `EXHIBIT_PDF_CHILD_OUT` says (the test does nothing without it).
#[test]
fn child_writes_packet() {
    let Some(out) = std::env::var_os("EXHIBIT_PDF_CHILD_OUT") else {
        return;
    };
    let mut sections = packet();
    sections.push(section(
        "Picture",
        vec![Block::Image {
            bytes: png(300, 1500),
            caption: "Screenshot".to_string(),
        }],
    ));
    if let Err(e) = std::fs::write(&out, ok(&sections).bytes) {
        panic!("{e}");
    }
}

/// Hash maps seeded per process must not reach the file.
#[test]
fn same_bytes_in_another_process() {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let outputs: Vec<Vec<u8>> = (0..2)
        .map(|_| {
            let file = Scratch::with(b"");
            // Output captured, so the child's summary line is not taken for ours.
            let child = Command::new(&exe)
                .args(["--exact", "child_writes_packet", "--quiet"])
                .env("EXHIBIT_PDF_CHILD_OUT", file.path())
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                child.status.success(),
                "{}",
                String::from_utf8_lossy(&child.stderr)
            );
            std::fs::read(file.path()).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    assert!(outputs[0].len() > 10_000);
    assert!(
        outputs[0] == outputs[1],
        "two processes wrote different files"
    );
}

/// `EXHIBIT_FONT_DIR` is searched before the system folders. A folder holding only
/// the regular collection shows it: headings then come out in the regular face.
#[cfg(unix)]
#[test]
fn font_dir_from_the_environment_comes_first() {
    let system = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if !system.is_file() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("exhibit-pdf-fonts-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let link = dir.join("NotoSansCJK-Regular.ttc");
    let _ = std::fs::remove_file(&link);
    if let Err(e) = std::os::unix::fs::symlink(system, &link) {
        panic!("{e}");
    }
    let file = Scratch::with(b"");
    let child = Command::new(std::env::current_exe().unwrap_or_else(|e| panic!("{e}")))
        .args(["--exact", "child_writes_packet", "--quiet"])
        .env("EXHIBIT_PDF_CHILD_OUT", file.path())
        .env("EXHIBIT_FONT_DIR", &dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stderr)
    );
    let fonts = tool("pdffonts", &[], file.path());
    assert!(fonts.contains("NotoSansCJKsc-Regular"), "{fonts}");
    assert!(
        !fonts.contains("Bold"),
        "bold came from the system folder: {fonts}"
    );
}

#[test]
fn english_and_chinese_text_is_extractable_and_fonts_are_subset() {
    let sections = vec![section(
        "Listing 1",
        vec![
            Block::Paragraph("假冒商品 counterfeit 商品链接".to_string()),
            Block::Heading {
                level: 2,
                text: "Seller details".to_string(),
            },
            Block::Mono(
                "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                    .to_string(),
            ),
        ],
    )];
    let pdf = ok(&sections);
    let file = Scratch::with(&pdf.bytes);
    let text = tool("pdftotext", &[], file.path());
    assert!(
        text.contains("假冒商品"),
        "Chinese text not extractable: {text}"
    );
    assert!(
        text.contains("counterfeit"),
        "English text not extractable: {text}"
    );
    assert!(text.contains("商品链接"), "{text}");
    assert!(text.contains("9f86d081884c7d659a2feaa0c55ad015"), "{text}");

    let fonts_out = tool("pdffonts", &[], file.path());
    let rows: Vec<&str> = fonts_out.lines().skip(2).collect();
    assert!(
        rows.len() >= 2,
        "expected regular, bold and mono faces: {fonts_out}"
    );
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols.first()
                .is_some_and(|name| name.as_bytes().get(6) == Some(&b'+')),
            "not a subset tag: {row}"
        );
        // Columns: name type encoding emb sub uni object-id.
        let n = cols.len();
        assert!(
            n >= 7 && cols[n - 5] == "yes" && cols[n - 4] == "yes",
            "not embedded as a subset: {row}"
        );
    }
    if fonts().has_monospace() {
        assert!(
            fonts_out.contains("Mono"),
            "mono block not set in the monospace face: {fonts_out}"
        );
    }
    assert!(
        pdf.bytes.len() < 300_000,
        "a one-page text PDF is {} bytes",
        pdf.bytes.len()
    );
    qpdf_check(file.path());
    assert!(info_field(file.path(), "Page size").starts_with("612 x 792 pts"));
    assert_eq!(info_field(file.path(), "Pages"), "1");
    assert_eq!(
        info_field(file.path(), "Title"),
        "Case 42: counterfeit listings"
    );
    assert_eq!(info_field(file.path(), "Author"), "Exhibit test");
    let info = tool("pdfinfo", &[], file.path());
    assert!(
        !info.contains("PDF/X"),
        "the file must not claim PDF/X: {info}"
    );
}

#[test]
fn footer_has_bates_and_page_numbers() {
    let pdf = ok(&packet());
    let file = Scratch::with(&pdf.bytes);
    assert_eq!(info_field(file.path(), "Pages"), pdf.pages.to_string());
    assert!(pdf.pages > 5);
    for page in [1, 2, pdf.pages] {
        let text = page_text(file.path(), page);
        assert!(
            text.contains(&format!("ACME-{page:06}")),
            "page {page}: {text}"
        );
        assert!(
            text.contains(&format!("Page {page} of {}", pdf.pages)),
            "page {page}: {text}"
        );
        assert!(text.contains("Manifest sha256"), "page {page}: {text}");
    }
    qpdf_check(file.path());
}

#[test]
fn table_of_contents_matches_where_sections_land() {
    let sections = packet();
    let pdf = ok(&sections);
    let file = Scratch::with(&pdf.bytes);
    let pages: Vec<String> = (1..=pdf.pages).map(|p| page_text(file.path(), p)).collect();
    assert_eq!(pdf.sections.len(), sections.len());
    let toc_page = pdf.sections[1].first_page;
    let toc_text = &pages[toc_page as usize - 1];

    for (placement, section) in pdf.sections.iter().zip(&sections) {
        assert_eq!(placement.title, section.title);
        assert!(placement.first_page <= placement.last_page);
        assert_eq!(
            placement.first_bates,
            format!("ACME-{:06}", placement.first_page)
        );
        assert_eq!(
            placement.last_bates,
            format!("ACME-{:06}", placement.last_page)
        );
        if !section.in_toc {
            continue;
        }
        // The title's first appearance after the contents is the section's first page.
        let found = (toc_page as usize..pages.len())
            .find(|&i| pages[i].contains(&section.title))
            .map(|i| i as u32 + 1);
        assert_eq!(found, Some(placement.first_page), "{}", section.title);
        let end = format!(
            "End of exhibit {}.",
            section.title.chars().nth(8).unwrap_or('?')
        );
        assert!(
            pages[placement.last_page as usize - 1].contains(&end),
            "{} should end on page {}",
            section.title,
            placement.last_page
        );
        let range = if placement.first_page == placement.last_page {
            format!("page {}", placement.first_page)
        } else {
            format!("pages {}–{}", placement.first_page, placement.last_page)
        };
        assert!(
            toc_text.contains(&range),
            "contents lack {range} for {}: {toc_text}",
            section.title
        );
        assert!(toc_text.contains(&placement.first_bates), "{toc_text}");
        assert!(toc_text.contains(&placement.last_bates), "{toc_text}");
    }
    // Sections that do not start a page share one with the section before.
    let c = &pdf.sections[4];
    let b = &pdf.sections[3];
    assert_eq!(
        c.first_page, b.last_page,
        "section C should follow B on its page"
    );
}

#[test]
fn tall_screenshot_is_split_with_continuation_marks() {
    let sections = vec![section(
        "Capture 1",
        vec![
            Block::Paragraph("Full-page screenshot of the listing.".to_string()),
            Block::Image {
                bytes: png(800, 6000),
                caption: "Screenshot, 800 × 6000 px".to_string(),
            },
            Block::Paragraph("After the screenshot.".to_string()),
        ],
    )];
    let started = Instant::now();
    let pdf = ok(&sections);
    let elapsed = started.elapsed();
    let file = Scratch::with(&pdf.bytes);
    // 800 px print 504 pt wide, so 6000 px are 3780 pt: six pages or so.
    assert!(pdf.pages >= 5, "{} pages", pdf.pages);
    let parts = pdf.pages;
    let first = page_text(file.path(), 1);
    assert!(first.contains("Screenshot, 800 × 6000 px"), "{first}");
    assert!(first.contains("(continues on the next page)"), "{first}");
    let second = page_text(file.path(), 2);
    assert!(
        second.contains(&format!("(continued — part 2 of {parts})")),
        "{second}"
    );
    assert!(second.contains("(continues on the next page)"), "{second}");
    let last = page_text(file.path(), parts);
    assert!(last.contains(&format!("part {parts} of {parts}")), "{last}");
    assert!(!last.contains("(continues on the next page)"), "{last}");
    assert!(last.contains("After the screenshot."), "{last}");
    assert!(pdf.bytes.len() < 3_000_000, "{} bytes", pdf.bytes.len());
    let images = tool("pdfimages", &["-list"], file.path());
    assert!(
        images.lines().skip(2).all(|l| l.contains("jpeg")),
        "{images}"
    );
    assert_eq!(images.lines().skip(2).count() as u32, parts, "{images}");
    qpdf_check(file.path());
    assert!(elapsed.as_secs() < 10, "took {elapsed:?}");
}

/// Screenshots kept outside the document, named by key, counting every read.
struct Shelf {
    pictures: std::collections::BTreeMap<String, Vec<u8>>,
    whole_reads: std::cell::Cell<usize>,
    /// Pictures as printed, made earlier by `print_picture`.
    printed: std::collections::BTreeMap<String, Vec<u8>>,
}

impl exhibit_pdf::PictureSource for Shelf {
    fn read(&self, key: &str) -> std::io::Result<Vec<u8>> {
        self.whole_reads.set(self.whole_reads.get() + 1);
        self.pictures
            .get(key)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, key.to_string()))
    }

    fn read_head(&self, key: &str, len: usize) -> std::io::Result<Vec<u8>> {
        let all = self
            .pictures
            .get(key)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, key.to_string()))?;
        Ok(all[..len.min(all.len())].to_vec())
    }

    fn read_printed(&self, key: &str) -> Option<Vec<u8>> {
        self.printed.get(key).cloned()
    }
}

/// A picture printed once, ahead of time, is copied into the packet without being
/// decoded again, and the packet comes out byte for byte as if it had been; a printed
/// picture of the wrong size is passed over.
#[test]
fn pictures_printed_ahead_are_copied_as_they_are() {
    let tall = png(1280, 4000);
    let wide = png(900, 300);
    let printed = exhibit_pdf::print_picture(&tall).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((printed.width, printed.height), (700, 2188));
    assert!(printed.jpeg.starts_with(&[0xff, 0xd8]));
    assert!(
        exhibit_pdf::print_picture(b"not a picture").is_err(),
        "garbage cannot be printed"
    );
    let pictures: std::collections::BTreeMap<String, Vec<u8>> =
        [("1".to_string(), tall), ("2".to_string(), wide)].into();
    let sections: Vec<Section> = ["1", "2"]
        .iter()
        .map(|key| {
            section(
                &format!("Exhibit {key}"),
                vec![Block::ImageRef {
                    key: key.to_string(),
                    caption: format!("Screenshot {key}"),
                }],
            )
        })
        .collect();
    let render = |shelf: &Shelf| {
        let mut bytes = Vec::new();
        exhibit_pdf::render_to(&sections, &options(), fonts(), shelf, &mut bytes)
            .unwrap_or_else(|e| panic!("{e}"));
        bytes
    };
    let plain = Shelf {
        pictures: pictures.clone(),
        whole_reads: std::cell::Cell::new(0),
        printed: Default::default(),
    };
    let from_scratch = render(&plain);
    assert_eq!(plain.whole_reads.get(), 2);
    // Picture 1 printed ahead; picture 2 "printed" at a size the packet does not use.
    let ahead = Shelf {
        pictures,
        whole_reads: std::cell::Cell::new(0),
        printed: [
            ("1".to_string(), printed.jpeg),
            (
                "2".to_string(),
                exhibit_pdf::print_picture(&png(10, 10))
                    .map(|p| p.jpeg)
                    .unwrap_or_default(),
            ),
        ]
        .into(),
    };
    let copied = render(&ahead);
    assert_eq!(
        ahead.whole_reads.get(),
        1,
        "only the picture printed at the wrong size is read"
    );
    assert!(
        copied == from_scratch,
        "a picture printed ahead changes the packet"
    );
    let file = Scratch::with(&copied);
    qpdf_check(file.path());
}

#[test]
fn stored_screenshots_stream_one_at_a_time_and_broken_ones_say_so() {
    let tall = png(1280, 4000);
    let mut broken = tall.clone();
    // The header still reads; the pixels do not.
    broken.truncate(tall.len() / 3);
    let shelf = Shelf {
        pictures: [
            ("1".to_string(), tall.clone()),
            ("2".to_string(), tall),
            ("3".to_string(), broken),
            ("4".to_string(), b"not a picture".to_vec()),
        ]
        .into(),
        whole_reads: std::cell::Cell::new(0),
        printed: Default::default(),
    };
    let sections: Vec<Section> = ["1", "2", "3", "4", "5"]
        .iter()
        .map(|key| {
            section(
                &format!("Exhibit {key}"),
                vec![Block::ImageRef {
                    key: key.to_string(),
                    caption: format!("Screenshot {key}"),
                }],
            )
        })
        .collect();
    let mut bytes = Vec::new();
    let written = exhibit_pdf::render_to(&sections, &options(), fonts(), &shelf, &mut bytes)
        .unwrap_or_else(|e| panic!("{e}"));
    // Each picture whose header read is read whole once, to be printed.
    assert_eq!(shelf.whole_reads.get(), 3);
    assert_eq!(written.size, bytes.len() as u64);
    assert_eq!(written.sha256, exhibit_domain::sha256(&bytes));
    let file = Scratch::with(&bytes);
    qpdf_check(file.path());
    assert_eq!(info_field(file.path(), "Pages"), written.pages.to_string());
    // Two screenshots of 1280 × 4000 px print 504 × 1575 pt: three pages each.
    let images = tool("pdfimages", &["-list"], file.path());
    let rows: Vec<&str> = images.lines().skip(2).collect();
    assert_eq!(rows.len(), 6, "{images}");
    assert!(
        rows.iter()
            .all(|l| l.contains("jpeg") && l.contains(" 700 ")),
        "{images}"
    );
    let all = tool("pdftotext", &["-enc", "UTF-8"], file.path());
    assert!(all.contains("Screenshot 3"), "{all}");
    assert!(
        all.contains("Picture not shown: the picture could not be decoded"),
        "{all}"
    );
    assert!(
        all.contains("Picture not shown: the bytes are not a PNG or JPEG"),
        "{all}"
    );
    assert!(
        all.contains("Picture not shown: it could not be read"),
        "{all}"
    );
    // Laying out without writing finds the same pages.
    let (pages, _) = exhibit_pdf::paginate(&sections, &options(), fonts(), &shelf)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pages, written.pages);
    // And the same input writes the same bytes.
    let mut again = Vec::new();
    exhibit_pdf::render_to(&sections, &options(), fonts(), &shelf, &mut again)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again == bytes, "two renders differ");
}

#[test]
fn hostile_input_never_panics() {
    let long = "x".repeat(100_000);
    let controls = "nul\u{0} bell\u{7} esc\u{1b} del\u{7f} tab\tcr\r\nline\u{2028}sep \u{202e}rtl \
                    zero\u{200b}width emoji 😀 arabic مرحبا thai สวัสดี lone\u{301}";
    let cases: Vec<Vec<Section>> = vec![
        vec![],
        vec![Section {
            title: String::new(),
            in_toc: true,
            new_page: true,
            blocks: vec![],
        }],
        vec![section(
            "",
            vec![
                Block::Paragraph(String::new()),
                Block::Small(String::new()),
                Block::Fields(vec![]),
                Block::Table {
                    header: vec![],
                    rows: vec![],
                    widths: vec![],
                },
                Block::List(vec![]),
                Block::Mono(String::new()),
                Block::Heading {
                    level: 0,
                    text: String::new(),
                },
                Block::Heading {
                    level: 255,
                    text: "level 255".to_string(),
                },
                Block::Signature {
                    name: String::new(),
                    title: None,
                    date: None,
                    place: None,
                },
                Block::FillIn {
                    label: String::new(),
                },
                Block::TableOfContents,
                Block::Space(f32::NAN),
                Block::Space(-5.0),
                Block::Space(f32::INFINITY),
                Block::PageBreak,
                Block::PageBreak,
            ],
        )],
        vec![section(
            &long,
            vec![
                Block::Paragraph(long.clone()),
                Block::Mono(long.clone()),
                Block::Paragraph(controls.to_string()),
                Block::Fields(vec![(long.clone(), long.clone())]),
                Block::Table {
                    header: vec!["a".to_string(), "b".to_string()],
                    rows: vec![
                        vec![],
                        vec!["only one".to_string()],
                        vec!["1".into(), "2".into(), "3".into(), "4".into()],
                        vec![long.clone(), "y".to_string()],
                    ],
                    widths: vec![f32::NAN, -1.0, 0.0],
                },
                Block::List(vec![long.clone(), String::new()]),
                Block::Signature {
                    name: long.clone(),
                    title: Some(controls.to_string()),
                    date: Some(String::new()),
                    place: Some(long.clone()),
                },
                Block::FillIn {
                    label: long.clone(),
                },
                Block::TableOfContents,
            ],
        )],
        vec![section(
            "Pictures",
            vec![
                Block::Image {
                    bytes: b"definitely not a picture".to_vec(),
                    caption: "corrupt".to_string(),
                },
                Block::Image {
                    bytes: png(4, 4)[..30].to_vec(),
                    caption: "truncated PNG".to_string(),
                },
                Block::Image {
                    bytes: vec![],
                    caption: long.clone(),
                },
                Block::Image {
                    bytes: png(1, 40_000),
                    caption: "1 × 40000".to_string(),
                },
                Block::Image {
                    bytes: png(3000, 1),
                    caption: "3000 × 1".to_string(),
                },
            ],
        )],
    ];
    for sections in &cases {
        let started = Instant::now();
        let pdf = ok(sections);
        assert!(pdf.pages >= 1);
        assert_eq!(pdf.sections.len(), sections.len());
        let file = Scratch::with(&pdf.bytes);
        qpdf_check(file.path());
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }
    let pdf = ok(&cases[4]);
    let file = Scratch::with(&pdf.bytes);
    let text = tool("pdftotext", &[], file.path());
    assert!(text.contains("Picture not shown"), "{text}");
    assert!(text.contains("corrupt"), "{text}");

    let thin = ok(&[section(
        "",
        vec![Block::Image {
            bytes: png(1, 40_000),
            caption: String::new(),
        }],
    )]);
    assert!(
        thin.pages <= 20,
        "a 1-pixel-wide picture took {} pages",
        thin.pages
    );
}

#[test]
fn tables_repeat_their_header_on_every_page() {
    let rows: Vec<Vec<String>> = (0..120)
        .map(|i| {
            vec![
                format!("row {i}"),
                paragraph(i, 8),
                format!("https://shop.example/item/{i}"),
            ]
        })
        .collect();
    let pdf = ok(&[section(
        "Listings",
        vec![Block::Table {
            header: vec!["No.".to_string(), "Title".to_string(), "URL".to_string()],
            rows,
            widths: vec![1.0, 4.0, 3.0],
        }],
    )]);
    let file = Scratch::with(&pdf.bytes);
    assert!(pdf.pages >= 3);
    for page in 1..=pdf.pages {
        let text = page_text(file.path(), page);
        assert!(
            text.contains("No.") && text.contains("URL"),
            "page {page} lacks the header: {text}"
        );
    }
    let last = page_text(file.path(), pdf.pages);
    assert!(last.contains("row 119"), "{last}");
}

#[test]
fn bad_font_paths_are_clean_errors() {
    let missing = Path::new("/nonexistent/NotoSansCJK-Regular.ttc");
    let err = Fonts::from_paths(missing, missing, 2).err();
    assert_eq!(err.as_ref().map(PdfError::code), Some("font_read"));

    let junk = Scratch::with(b"this is not a font file at all");
    let err = Fonts::from_paths(junk.path(), junk.path(), 0).err();
    assert_eq!(err.as_ref().map(PdfError::code), Some("font_parse"));
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.ends_with('.') && !message.contains('\n'),
        "{message}"
    );

    let regular = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if regular.is_file() {
        let err = Fonts::from_paths(regular, regular, 99).err();
        assert_eq!(err.as_ref().map(PdfError::code), Some("font_parse"));
    }
}

/// Page `page` of `file` as pixels, at `dpi`, through poppler's rasteriser.
fn raster(file: &Path, page: u32, dpi: u32) -> image::RgbImage {
    let prefix = file.with_extension(format!("p{page}"));
    let n = page.to_string();
    let out = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
        ])
        .arg(file)
        .arg(&prefix)
        .output()
        .unwrap_or_else(|e| panic!("pdftoppm could not run ({e}): install poppler-utils"));
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = prefix.with_extension(format!("p{page}.png"));
    let img = image::open(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
    let _ = std::fs::remove_file(&png);
    img.to_rgb8()
}

fn non_white(img: &image::RgbImage) -> usize {
    img.pixels()
        .filter(|p| p.0.iter().any(|c| *c < 235))
        .count()
}

/// Pixels within a few levels of `rgb` on every channel.
fn pixels_of(img: &image::RgbImage, rgb: [u8; 3]) -> usize {
    img.pixels()
        .filter(|p| p.0.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 8))
        .count()
}

/// The first four colours of the engine's chart palette, in series order.
const SERIES_RGB: [[u8; 3]; 4] = [
    [17, 56, 116],
    [227, 142, 62],
    [225, 46, 68],
    [176, 219, 244],
];

fn weeks(n: usize) -> Vec<String> {
    (1..=n).map(|w| format!("2025-W{w:02}")).collect()
}

/// A campaign by week: filed, removed, relisted, still live.
fn campaign(weeks: usize) -> Vec<Series> {
    let wave = |seed: usize| -> Vec<f64> {
        (0..weeks)
            .map(|w| (4 + (w * 7 + seed * 5) % 11) as f64)
            .collect()
    };
    ["Filed", "Removed", "Relisted", "Still live"]
        .iter()
        .enumerate()
        .map(|(i, name)| Series {
            name: name.to_string(),
            values: wave(i),
        })
        .collect()
}

fn chart(kind: ChartKind, x_labels: Vec<String>, series: Vec<Series>) -> Block {
    Block::Chart {
        title: "Enforcement campaign by week".to_string(),
        x_labels,
        series,
        kind,
        caption: "Listings filed, removed, relisted and still live, by week of 2025.".to_string(),
    }
}

#[test]
fn charts_are_drawn_as_vectors() {
    let blank = ok(&[section(
        "Campaign",
        vec![chart(ChartKind::StackedBars, weeks(52), vec![])],
    )]);
    let blank_file = Scratch::with(&blank.bytes);
    let blank_ink = non_white(&raster(blank_file.path(), 1, 50));

    for kind in [ChartKind::StackedBars, ChartKind::Bars, ChartKind::Lines] {
        let sections = [section(
            "Campaign",
            vec![
                Block::Paragraph("How the campaign went, week by week.".to_string()),
                chart(kind, weeks(52), campaign(52)),
                Block::Paragraph("After the chart.".to_string()),
            ],
        )];
        let pdf = ok(&sections);
        assert_eq!(pdf.pages, 1);
        assert!(
            ok(&sections).bytes == pdf.bytes,
            "{kind:?}: two renders differ"
        );
        let file = Scratch::with(&pdf.bytes);
        qpdf_check(file.path());

        // Drawn: the page carries far more ink than the same chart without series, and
        // every series' colour shows.
        let page = raster(file.path(), 1, 50);
        let ink = non_white(&page);
        let needed = if kind == ChartKind::Lines { 400 } else { 3_000 };
        assert!(
            ink > blank_ink + needed,
            "{kind:?}: {ink} inked pixels, {blank_ink} without series"
        );
        for (i, rgb) in SERIES_RGB.iter().enumerate() {
            let n = pixels_of(&page, *rgb);
            let needed = if kind == ChartKind::Lines { 15 } else { 150 };
            assert!(
                n >= needed,
                "{kind:?}: series {i} has {n} pixels of {rgb:?}"
            );
        }

        // As text: the title, the legend, some x labels, the caption, the y axis.
        let text = page_text(file.path(), 1);
        for expected in [
            "Enforcement campaign by week",
            "Filed",
            "Removed",
            "Relisted",
            "Still live",
            "2025-W01",
            "Listings filed, removed, relisted and still live",
            "After the chart.",
        ] {
            assert!(
                text.contains(expected),
                "{kind:?}: no {expected:?} in {text}"
            );
        }
        let shown = (1..=52)
            .filter(|w| text.contains(&format!("2025-W{w:02}")))
            .count();
        assert!(
            (4..52).contains(&shown),
            "{kind:?}: {shown} of 52 week labels shown: {text}"
        );

        // Vectors, not a picture.
        let images = tool("pdfimages", &["-list"], file.path());
        assert_eq!(images.lines().skip(2).count(), 0, "{kind:?}: {images}");
    }
    assert!(
        tool("pdftotext", &[], blank_file.path()).contains("No data to chart."),
        "a chart without series says so"
    );
}

#[test]
fn a_chart_is_never_split_across_pages() {
    // Enough paragraphs to leave less room than a chart needs at the foot of page 1.
    let mut blocks: Vec<Block> = (0..25)
        .map(|i| Block::Paragraph(format!("Line {i} of the narrative.")))
        .collect();
    blocks.push(chart(ChartKind::StackedBars, weeks(12), campaign(12)));
    let pdf = ok(&[section("Campaign", blocks)]);
    let file = Scratch::with(&pdf.bytes);
    assert_eq!(pdf.pages, 2);
    let first = page_text(file.path(), 1);
    assert!(first.contains("Line 24 of the narrative."), "{first}");
    assert!(!first.contains("Enforcement campaign"), "{first}");
    let second = page_text(file.path(), 2);
    for expected in [
        "Enforcement campaign by week",
        "Still live",
        "2025-W01",
        "Listings filed",
    ] {
        assert!(
            second.contains(expected),
            "no {expected:?} on page 2: {second}"
        );
    }
}

#[test]
fn awkward_charts_never_panic() {
    let series = |name: &str, values: Vec<f64>| Series {
        name: name.to_string(),
        values,
    };
    let cjk: Vec<String> = (1..=40).map(|i| format!("第{i}周")).collect();
    let cases: Vec<(Vec<String>, Vec<Series>)> = vec![
        (vec![], vec![]),
        (weeks(52), vec![]),
        (vec![], vec![series("empty", vec![])]),
        (weeks(52), vec![series("zeros", vec![0.0; 52])]),
        (
            weeks(6),
            vec![
                series(
                    "odd",
                    vec![f64::NAN, -3.0, f64::INFINITY, f64::NEG_INFINITY, 1e308, 2.0],
                ),
                series("negative", vec![-1.0; 6]),
            ],
        ),
        // Mismatched lengths both ways.
        (
            weeks(3),
            vec![series("long", vec![1.0; 40]), series("short", vec![2.0])],
        ),
        (weeks(300), vec![series("short", vec![1.0, 2.0])]),
        // Hundreds and thousands of labels, and more series than colours.
        (
            (0..5_000).map(|i| format!("day {i}")).collect(),
            (0..11)
                .map(|j| {
                    series(
                        &format!("series {j}"),
                        (0..5_000).map(|i| ((i + j) % 9) as f64).collect(),
                    )
                })
                .collect(),
        ),
        (
            cjk,
            vec![
                series("已下架", vec![3.0; 40]),
                series("重新上架", vec![1.5; 40]),
            ],
        ),
        (
            vec!["x".repeat(5_000), "\u{0}\t\r\n".to_string()],
            vec![series(&"name ".repeat(2_000), vec![0.001, 0.002])],
        ),
    ];
    for (i, (labels, series)) in cases.into_iter().enumerate() {
        for kind in [ChartKind::StackedBars, ChartKind::Bars, ChartKind::Lines] {
            let started = Instant::now();
            let pdf = ok(&[section(
                "Chart",
                vec![Block::Chart {
                    title: format!("Case {i}"),
                    x_labels: labels.clone(),
                    series: series.clone(),
                    kind,
                    caption: String::new(),
                }],
            )]);
            let file = Scratch::with(&pdf.bytes);
            qpdf_check(file.path());
            assert!(
                started.elapsed().as_secs() < 20,
                "case {i} {kind:?} took {:?}",
                started.elapsed()
            );
            if i == 7 {
                let text = tool("pdftotext", &[], file.path());
                assert!(
                    text.contains("Only the first 8 of 11 series are drawn."),
                    "{text}"
                );
                assert!(
                    text.contains("Only the first 2,000 of 5,000 points"),
                    "{text}"
                );
            }
            if i == 8 {
                let text = tool("pdftotext", &[], file.path());
                assert!(
                    text.contains("重新上架") && text.contains("第1周"),
                    "{text}"
                );
            }
        }
    }
}

/// Table headers are set in columns at least as wide as their longest word, whatever
/// the relative widths say; long URLs and hashes in cells still break anywhere.
#[test]
fn table_headers_never_break_inside_a_word() {
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let pdf = ok(&[section(
        "Listings",
        vec![
            Block::Table {
                header: ["Marketplace", "Listing ID", "Exhibit", "Outcome"]
                    .map(String::from)
                    .to_vec(),
                rows: vec![vec![
                    "taobao".to_string(),
                    "1234567890123".to_string(),
                    "Exhibit 12".to_string(),
                    format!("removed; capture sha256 {hash}"),
                ]],
                widths: vec![0.3, 1.0, 0.4, 8.0],
            },
            // The packet's summary table, with its own widths.
            Block::Table {
                header: [
                    "Exhibit",
                    "Marketplace",
                    "Listing id",
                    "Seller",
                    "Price",
                    "Captured (UTC)",
                    "Status",
                ]
                .map(String::from)
                .to_vec(),
                rows: vec![
                    [
                        "Exhibit 1",
                        "aliexpress",
                        "1005006123456789",
                        "深圳市某某贸易有限公司",
                        "199.00 CNY",
                        "2025-03-14T15:09:26.123Z",
                        "ok (listing)",
                    ]
                    .map(String::from)
                    .to_vec(),
                ],
                widths: vec![1.0, 1.1, 1.4, 1.6, 0.9, 1.7, 1.2],
            },
        ],
    )]);
    let file = Scratch::with(&pdf.bytes);
    let text = tool("pdftotext", &[], file.path());
    let words: Vec<&str> = text.split_whitespace().collect();
    for header in [
        "Marketplace",
        "Exhibit",
        "Outcome",
        "Listing",
        "Captured",
        "Status",
        "Seller",
    ] {
        assert!(words.contains(&header), "{header:?} is not whole: {text}");
    }
    assert_eq!(
        words.iter().filter(|w| **w == "Marketplace").count(),
        2,
        "{text}"
    );
    // The listing ids fit their columns whole; the hash still breaks to fit its column.
    assert!(words.contains(&"1234567890123"), "{text}");
    assert!(words.contains(&"1005006123456789"), "{text}");
    assert!(text.contains(&hash[..16]), "{text}");
    qpdf_check(file.path());
}

/// Writes a sample packet when `EXHIBIT_PDF_SAMPLE` names a file, for looking at.
#[test]
fn sample_packet() {
    let Some(out) = std::env::var_os("EXHIBIT_PDF_SAMPLE") else {
        return;
    };
    let mut sections = packet();
    sections.insert(
        2,
        section(
            "Blocks",
            vec![
                Block::Heading {
                    level: 2,
                    text: "Fields and tables".to_string(),
                },
                Block::Fields(vec![
                    ("Seller".to_string(), "深圳市某某贸易有限公司 (Shenzhen Trading Co.)".to_string()),
                    ("Listing URL".to_string(), "https://detail.example.com/item.htm?id=1234567890123&spm=a1z10.1-c.w4004-2".to_string()),
                    ("SHA-256".to_string(), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_string()),
                ]),
                Block::Table {
                    header: vec!["No.".into(), "Title".into(), "Price".into()],
                    rows: vec![
                        vec!["1".into(), "假冒商品 counterfeit handbag with logo".into(), "¥199".into()],
                        vec!["2".into(), paragraph(3, 30), "$20".into()],
                    ],
                    widths: vec![1.0, 6.0, 2.0],
                },
                Block::List(vec!["First point".into(), paragraph(5, 40)]),
                Block::Mono("curl -s https://example.com | sha256sum\n9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  -".into()),
                Block::Small("A small note under the table.".into()),
                Block::FillIn { label: "Translator's name".into() },
                Block::Signature {
                    name: "Jane Doe".into(),
                    title: Some("Brand protection counsel".into()),
                    date: Some("14 March 2025".into()),
                    place: Some("Springfield".into()),
                },
                Block::Image {
                    bytes: std::env::var_os("EXHIBIT_PDF_SCREENSHOT")
                        .and_then(|p| std::fs::read(p).ok())
                        .unwrap_or_else(|| png(1280, 5000)),
                    caption: "Full-page screenshot".into(),
                },
                Block::Image {
                    bytes: b"junk".to_vec(),
                    caption: "A broken picture".into(),
                },
                chart(ChartKind::StackedBars, weeks(52), campaign(52)),
                chart(ChartKind::Bars, weeks(8), campaign(8)),
                chart(ChartKind::Lines, weeks(26), campaign(26)),
            ],
        ),
    );
    let pdf = ok(&sections);
    if let Err(e) = std::fs::write(&out, &pdf.bytes) {
        panic!("{e}");
    }
}

fn text_pages(sections: usize, paragraphs: usize) -> Vec<Section> {
    (0..sections)
        .map(|s| {
            let blocks = (0..paragraphs)
                .map(|p| Block::Paragraph(paragraph(s * 31 + p, 70)))
                .collect();
            section(&format!("Exhibit {s}"), blocks)
        })
        .collect()
}

#[test]
fn sixty_pages_of_text_stay_small() {
    let mut sections = vec![Section {
        title: "Contents".to_string(),
        in_toc: false,
        new_page: true,
        blocks: vec![Block::TableOfContents],
    }];
    sections.extend(text_pages(15, 24));
    let started = Instant::now();
    let pdf = ok(&sections);
    let elapsed = started.elapsed();
    eprintln!(
        "{} pages, {} bytes, {elapsed:?}",
        pdf.pages,
        pdf.bytes.len()
    );
    assert!(pdf.pages >= 60, "{} pages", pdf.pages);
    assert!(pdf.bytes.len() < 1_000_000, "{} bytes", pdf.bytes.len());
}

/// Figures for the record: `cargo test --release -p exhibit-pdf -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn measure() {
    let started = Instant::now();
    let fonts = Fonts::system().unwrap_or_else(|e| panic!("{e}"));
    eprintln!("fonts loaded in {:?}", started.elapsed());

    let mut sections = vec![Section {
        title: "Contents".to_string(),
        in_toc: false,
        new_page: true,
        blocks: vec![Block::TableOfContents],
    }];
    sections.extend(text_pages(15, 24));
    for _ in 0..3 {
        let started = Instant::now();
        let pdf = render(&sections, &options(), &fonts).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "{} pages of text: {:?}, {} bytes",
            pdf.pages,
            started.elapsed(),
            pdf.bytes.len()
        );
    }

    let mut sections = text_pages(5, 11);
    sections.push(section(
        "Capture",
        vec![Block::Image {
            // A real screenshot compresses far better than the synthetic one.
            bytes: std::env::var_os("EXHIBIT_PDF_SCREENSHOT")
                .and_then(|p| std::fs::read(p).ok())
                .unwrap_or_else(|| png(1280, 16_000)),
            caption: "Full-page screenshot, 1280 × 16000 px".to_string(),
        }],
    ));
    let started = Instant::now();
    let pdf = render(&sections, &options(), &fonts).unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "text + 1280×16000 screenshot: {} pages ({} of text), {:?}, {} bytes",
        pdf.pages,
        pdf.sections.get(4).map_or(0, |s| s.last_page),
        started.elapsed(),
        pdf.bytes.len()
    );
}
