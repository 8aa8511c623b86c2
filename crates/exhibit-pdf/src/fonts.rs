//! Finding, parsing and measuring the fonts a packet is printed in.
//!
//! One family, Noto Sans CJK, covers Latin and Chinese (and Japanese and Korean), so a
//! packet never needs font fallback. The 20 MB collection is parsed once per [`Fonts`];
//! every render after that only measures glyph advances and lets printpdf subset the
//! faces. Nothing here draws.

use std::fmt;
use std::path::{Path, PathBuf};

use printpdf::ParsedFont;

use crate::PdfError;

/// Folders searched by [`Fonts::system`] after `EXHIBIT_FONT_DIR`, in order.
const SYSTEM_FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts",
];

/// Regular and bold file names tried in each folder. A `.ttc` holds the Japanese,
/// Korean, Simplified and Traditional Chinese faces; the Simplified Chinese one is picked
/// by name, so both the Debian collection and single-region `.otf` files work.
const CANDIDATES: &[(&str, &str)] = &[
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
    ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf"),
    ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"),
];

/// The family wanted inside a collection, and the face Debian's collection has it at.
const PREFERRED_FAMILY: &str = "Noto Sans CJK SC";
const DEBIAN_SC_FACE: u32 = 2;

/// Which of the three faces a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FaceKind {
    Regular,
    Bold,
    Mono,
}

/// The faces a packet is printed in: regular, bold and monospace.
///
/// Load it once ([`Fonts::system`] or [`Fonts::from_paths`]) and pass it to every
/// [`crate::render`] call: parsing the collection is the slow part.
pub struct Fonts {
    regular: Face,
    bold: Face,
    mono: Face,
    mono_is_monospace: bool,
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fonts")
            .field("regular", &self.regular)
            .field("bold", &self.bold)
            .field("mono", &self.mono)
            .field("mono_is_monospace", &self.mono_is_monospace)
            .finish()
    }
}

impl Fonts {
    /// Finds Noto Sans CJK: first in the folder named by the `EXHIBIT_FONT_DIR`
    /// environment variable, then in the usual system font folders (Debian's
    /// `fonts-noto-cjk` puts it in `/usr/share/fonts/opentype/noto`).
    ///
    /// Looks for `NotoSansCJK-Regular.ttc` (or `NotoSansCJKsc-Regular.otf`,
    /// `NotoSansSC-Regular.otf`) and the matching bold file; when the bold file is
    /// missing, headings are set in the regular face. Monospace text uses "Noto Sans
    /// Mono CJK SC" from the same collection where it exists.
    pub fn system() -> Result<Fonts, PdfError> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(dir) = std::env::var_os("EXHIBIT_FONT_DIR").filter(|d| !d.is_empty()) {
            dirs.push(PathBuf::from(dir));
        }
        dirs.extend(SYSTEM_FONT_DIRS.iter().map(PathBuf::from));
        for dir in &dirs {
            for (regular, bold) in CANDIDATES {
                let regular = dir.join(regular);
                if !regular.is_file() {
                    continue;
                }
                let bold = dir.join(bold);
                let bold = bold.is_file().then_some(bold);
                return Fonts::load(&regular, bold.as_deref(), None);
            }
        }
        Err(PdfError::FontNotFound { searched: dirs })
    }

    /// Loads the regular and bold faces from the given files. `face_index` picks the face
    /// inside a `.ttc` collection (2 is Simplified Chinese in Debian's
    /// `NotoSansCJK-Regular.ttc`; use 0 for a single-face file) and applies to both files.
    ///
    /// The monospace face is looked for in the regular file's collection: a face whose
    /// family is the regular family with "Mono" in it ("Noto Sans Mono CJK SC" for "Noto
    /// Sans CJK SC"). Without one, monospace text is set in the regular face.
    pub fn from_paths(regular: &Path, bold: &Path, face_index: u32) -> Result<Fonts, PdfError> {
        Fonts::load(regular, Some(bold), Some(face_index))
    }

    /// Whether [`crate::render`] has a real monospace face for `Block::Mono`.
    pub fn has_monospace(&self) -> bool {
        self.mono_is_monospace
    }

    /// `face_index: None` picks the preferred family by name (falling back to Debian's index).
    fn load(
        regular: &Path,
        bold: Option<&Path>,
        face_index: Option<u32>,
    ) -> Result<Fonts, PdfError> {
        let regular_bytes = read(regular)?;
        let index = face_index.unwrap_or_else(|| {
            find_face(&regular_bytes, |family| family == PREFERRED_FAMILY).unwrap_or(
                if is_collection(&regular_bytes) {
                    DEBIAN_SC_FACE
                } else {
                    0
                },
            )
        });
        let regular_face = Face::parse(regular, &regular_bytes, index)?;

        let mono_index = family_of(&regular_bytes, index)
            .and_then(|family| find_face(&regular_bytes, |f| is_mono_of(f, &family)));
        let (mono, mono_is_monospace) = match mono_index {
            Some(i) if i != index => (Face::parse(regular, &regular_bytes, i)?, true),
            _ => (regular_face.clone(), false),
        };
        drop(regular_bytes);

        let bold_face = match bold {
            Some(path) => {
                let bytes = read(path)?;
                let bold_index = match face_index {
                    Some(i) => i,
                    None => family_of_regular_in(&bytes, &regular_face.family).unwrap_or(index),
                };
                Face::parse(path, &bytes, bold_index)?
            }
            None => regular_face.clone(),
        };
        Ok(Fonts {
            regular: regular_face,
            bold: bold_face,
            mono,
            mono_is_monospace,
        })
    }

    pub(crate) fn face(&self, kind: FaceKind) -> &Face {
        match kind {
            FaceKind::Regular => &self.regular,
            FaceKind::Bold => &self.bold,
            FaceKind::Mono => &self.mono,
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, PdfError> {
    std::fs::read(path).map_err(|source| PdfError::FontRead {
        path: path.to_path_buf(),
        source,
    })
}

/// The bold file of a collection lists its families as "Noto Sans CJK SC" too (weight is
/// a separate name), so the same family picks the same region.
fn family_of_regular_in(bytes: &[u8], family: &Option<String>) -> Option<u32> {
    let family = family.as_deref()?;
    find_face(bytes, |f| f == family)
}

/// "Noto Sans Mono CJK SC" is the monospace sibling of "Noto Sans CJK SC".
fn is_mono_of(candidate: &str, family: &str) -> bool {
    if !candidate.contains("Mono") || family.contains("Mono") {
        return false;
    }
    let without_mono = candidate.replacen(" Mono", "", 1);
    without_mono == family
}

/// A BMP advance not looked up yet: a NaN no real advance is.
const UNKNOWN: u32 = 0x7fc0_dead;

/// One parsed face and what layout needs from it.
#[derive(Clone)]
pub(crate) struct Face {
    pub(crate) parsed: ParsedFont,
    family: Option<String>,
    units_per_em: f32,
    /// Advances of ASCII, in em, so measuring Latin text skips the cmap lookup.
    ascii: [f32; 128],
    /// Advances of the rest of the Basic Multilingual Plane, in em, as `f32` bits, each
    /// looked up in the cmap the first time it is measured (`UNKNOWN` until then): a
    /// packet of Chinese text measures each character many times over its layout
    /// passes, and the cmap lookup was over a third of a large export's time. Shared by
    /// a face's clones, which are the same font.
    bmp: std::sync::Arc<[std::sync::atomic::AtomicU32]>,
    notdef: f32,
    replacement: char,
}

impl fmt::Debug for Face {
    // ParsedFont's own Debug dumps whole tables.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Face")
            .field("family", &self.family)
            .field("units_per_em", &self.units_per_em)
            .finish()
    }
}

impl Face {
    fn parse(path: &Path, bytes: &[u8], index: u32) -> Result<Face, PdfError> {
        let parse_error = || PdfError::FontParse {
            path: path.to_path_buf(),
            face_index: index,
        };
        if is_collection(bytes) && index >= collection_len(bytes).unwrap_or(0) {
            return Err(parse_error());
        }
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(bytes, index as usize, &mut warnings).ok_or_else(parse_error)?;
        let units_per_em = match parsed.font_metrics.units_per_em {
            0 => 1000.0,
            n => f32::from(n),
        };
        let mut face = Face {
            parsed,
            family: family_of(bytes, index),
            units_per_em,
            ascii: [0.0; 128],
            bmp: (0..0x1_0000)
                .map(|_| std::sync::atomic::AtomicU32::new(UNKNOWN))
                .collect(),
            notdef: 0.0,
            replacement: '?',
        };
        face.notdef = face.glyph_advance(0);
        let mut ascii = [0.0; 128];
        for (code, slot) in (0u32..128).zip(ascii.iter_mut()) {
            *slot = match char::from_u32(code) {
                Some(c) => face.lookup_advance(c),
                None => 0.0,
            };
        }
        face.ascii = ascii;
        if face.has_glyph('\u{FFFD}') {
            face.replacement = '\u{FFFD}';
        }
        Ok(face)
    }

    fn glyph_advance(&self, gid: u16) -> f32 {
        f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em
    }

    fn lookup_advance(&self, c: char) -> f32 {
        match self.parsed.lookup_glyph_index(c as u32) {
            Some(gid) => self.glyph_advance(gid),
            None => self.notdef,
        }
    }

    /// Advance of `c` in em.
    pub(crate) fn advance(&self, c: char) -> f32 {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(w) = self.ascii.get(c as usize) {
            return *w;
        }
        let Some(slot) = self.bmp.get(c as usize) else {
            return self.lookup_advance(c);
        };
        match slot.load(Relaxed) {
            UNKNOWN => {
                let w = self.lookup_advance(c);
                slot.store(w.to_bits(), Relaxed);
                w
            }
            bits => f32::from_bits(bits),
        }
    }

    /// Width of `text` at `size` points, in points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    pub(crate) fn has_glyph(&self, c: char) -> bool {
        self.parsed
            .lookup_glyph_index(c as u32)
            .is_some_and(|g| g != 0)
    }

    /// What a control character is printed as: U+FFFD where the face has it.
    pub(crate) fn replacement(&self) -> char {
        self.replacement
    }
}

// --- Reading face names out of the sfnt, without a second font parser. ---
// Every read is bounds-checked: a font file is input like any other.

fn is_collection(bytes: &[u8]) -> bool {
    bytes.get(..4) == Some(b"ttcf")
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn collection_len(bytes: &[u8]) -> Option<u32> {
    if is_collection(bytes) {
        u32_at(bytes, 8)
    } else {
        Some(1)
    }
}

/// Offset of face `index`'s table directory.
fn face_offset(bytes: &[u8], index: u32) -> Option<usize> {
    if is_collection(bytes) {
        if index >= collection_len(bytes)? {
            return None;
        }
        let at = 12usize.checked_add(usize::try_from(index).ok()?.checked_mul(4)?)?;
        usize::try_from(u32_at(bytes, at)?).ok()
    } else if index == 0 {
        Some(0)
    } else {
        None
    }
}

/// The (typographic, else legacy) family name of face `index`, in US English.
fn family_of(bytes: &[u8], index: u32) -> Option<String> {
    let dir = face_offset(bytes, index)?;
    let num_tables = usize::from(u16_at(bytes, dir + 4)?);
    let mut name_table = None;
    for i in 0..num_tables {
        let rec = dir + 12 + i * 16;
        if bytes.get(rec..rec + 4)? == b"name" {
            name_table = Some(usize::try_from(u32_at(bytes, rec + 8)?).ok()?);
            break;
        }
    }
    let name = name_table?;
    let count = usize::from(u16_at(bytes, name + 2)?);
    let storage = name + usize::from(u16_at(bytes, name + 4)?);
    let mut legacy = None;
    for i in 0..count {
        let rec = name + 6 + i * 12;
        let (platform, encoding, language, name_id) = (
            u16_at(bytes, rec)?,
            u16_at(bytes, rec + 2)?,
            u16_at(bytes, rec + 4)?,
            u16_at(bytes, rec + 6)?,
        );
        if platform != 3 || encoding != 1 || language != 0x409 || !(name_id == 1 || name_id == 16) {
            continue;
        }
        let len = usize::from(u16_at(bytes, rec + 8)?);
        let start = storage + usize::from(u16_at(bytes, rec + 10)?);
        let raw = bytes.get(start..start + len)?;
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        let text = String::from_utf16_lossy(&units);
        if name_id == 16 {
            return Some(text);
        }
        legacy = Some(text);
    }
    legacy
}

/// The first face of the file whose family satisfies `wanted`.
fn find_face(bytes: &[u8], wanted: impl Fn(&str) -> bool) -> Option<u32> {
    let n = collection_len(bytes)?.min(256);
    (0..n).find(|&i| family_of(bytes, i).is_some_and(|f| wanted(&f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_sibling_names() {
        assert!(is_mono_of("Noto Sans Mono CJK SC", "Noto Sans CJK SC"));
        assert!(!is_mono_of("Noto Sans Mono CJK JP", "Noto Sans CJK SC"));
        assert!(!is_mono_of("Noto Sans CJK SC", "Noto Sans CJK SC"));
    }

    #[test]
    fn name_reader_survives_garbage() {
        assert_eq!(family_of(b"ttcf\0\0\0\0\xff\xff\xff\xff", 3), None);
        assert_eq!(family_of(b"", 0), None);
        assert_eq!(find_face(&[0u8; 64], |_| true), None);
    }
}
