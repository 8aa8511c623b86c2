//! Finding, parsing and measuring the fonts a packet is printed in.
//!
//! One family, Noto Sans CJK, covers Latin and Chinese (and Japanese and Korean), so a
//! packet never needs font fallback. The 20 MB collection is parsed once per [`Fonts`];
//! every render after that only measures glyph advances and lets printpdf subset the
//! faces. Nothing here draws.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use printpdf::ParsedFont;

use crate::PdfError;

/// Folders searched by [`Fonts::system`] after `EXHIBIT_FONT_DIR`, in order, on Linux
/// and the other Unix systems.
const UNIX_FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts",
];

/// The same on macOS: the fonts the system ships, then those installed for every user
/// and for this user (given `HOME`).
const MACOS_FONT_DIRS: &[&str] = &[
    "/System/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "/Library/Fonts",
];

/// A regular file and its bold sibling tried in each folder, and the family to pick
/// inside a collection.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    regular: &'static str,
    bold: Option<&'static str>,
    /// The face picked by its family name inside a `.ttc`.
    family: &'static str,
    /// The face taken when no face has that name (a collection only).
    fallback_index: u32,
}

/// Noto Sans CJK first, as Debian's `fonts-noto-cjk` and Fedora install it (a `.ttc`
/// holds the Japanese, Korean, Simplified and Traditional Chinese faces; the Simplified
/// Chinese one is picked by name, so both the collection and single-region `.otf` files
/// work), or as a user installs it on Windows or macOS. Then the Chinese fonts Windows
/// ships (Microsoft YaHei, with its bold file; SimSun) and macOS ships (PingFang, Hiragino
/// Sans GB), whose collections set the bold weight in the same file: headings then use
/// the regular face. Each covers Latin and Simplified Chinese, as the packet needs.
const CANDIDATES: &[Candidate] = &[
    Candidate {
        regular: "NotoSansCJK-Regular.ttc",
        bold: Some("NotoSansCJK-Bold.ttc"),
        family: PREFERRED_FAMILY,
        fallback_index: DEBIAN_SC_FACE,
    },
    Candidate {
        regular: "NotoSansCJKsc-Regular.otf",
        bold: Some("NotoSansCJKsc-Bold.otf"),
        family: PREFERRED_FAMILY,
        fallback_index: 0,
    },
    Candidate {
        regular: "NotoSansSC-Regular.otf",
        bold: Some("NotoSansSC-Bold.otf"),
        family: "Noto Sans SC",
        fallback_index: 0,
    },
    Candidate {
        regular: "msyh.ttc",
        bold: Some("msyhbd.ttc"),
        family: "Microsoft YaHei",
        fallback_index: 0,
    },
    Candidate {
        regular: "simsun.ttc",
        bold: None,
        family: "SimSun",
        fallback_index: 0,
    },
    Candidate {
        regular: "PingFang.ttc",
        bold: None,
        family: "PingFang SC",
        fallback_index: 0,
    },
    Candidate {
        regular: "Hiragino Sans GB.ttc",
        bold: None,
        family: "Hiragino Sans GB",
        fallback_index: 0,
    },
];

/// The family wanted inside a collection, and the face Debian's collection has it at.
const PREFERRED_FAMILY: &str = "Noto Sans CJK SC";
const DEBIAN_SC_FACE: u32 = 2;

/// The system font folders searched on Windows, given its folder variables: the fonts a
/// user installed for themselves (`%LOCALAPPDATA%\Microsoft\Windows\Fonts`, where a
/// Noto Sans CJK installed without administrator rights goes), then the system's
/// (`%WINDIR%\Fonts`, where msyh.ttc and simsun.ttc are).
pub(crate) fn windows_font_dirs(env: &dyn Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let mut dirs = Vec::new();
    if let Some(local) = var("LOCALAPPDATA") {
        dirs.push(local.join("Microsoft").join("Windows").join("Fonts"));
    }
    let windows = var("WINDIR")
        .or_else(|| var("SystemRoot"))
        .unwrap_or_else(|| PathBuf::from(r"C:\Windows"));
    dirs.push(windows.join("Fonts"));
    dirs
}

/// The system font folders searched on macOS, given `HOME`.
pub(crate) fn macos_font_dirs(env: &dyn Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = MACOS_FONT_DIRS.iter().map(PathBuf::from).collect();
    if let Some(home) = env("HOME").filter(|h| !h.is_empty()) {
        dirs.push(PathBuf::from(home).join("Library").join("Fonts"));
    }
    dirs
}

/// The system font folders of the system this is built for.
fn system_font_dirs() -> Vec<PathBuf> {
    let env = |name: &str| std::env::var_os(name);
    if cfg!(windows) {
        windows_font_dirs(&env)
    } else if cfg!(target_os = "macos") {
        macos_font_dirs(&env)
    } else {
        UNIX_FONT_DIRS.iter().map(PathBuf::from).collect()
    }
}

/// The first candidate found in `dirs`, in order: (regular, bold, candidate).
fn find_in(dirs: &[PathBuf]) -> Option<(PathBuf, Option<PathBuf>, Candidate)> {
    for dir in dirs {
        for candidate in CANDIDATES {
            let regular = dir.join(candidate.regular);
            if !regular.is_file() {
                continue;
            }
            let bold = candidate.bold.map(|b| dir.join(b)).filter(|b| b.is_file());
            return Some((regular, bold, *candidate));
        }
    }
    None
}

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
    /// Finds a CJK font: first in the folder named by the `EXHIBIT_FONT_DIR`
    /// environment variable, then in the system font folders (Debian's
    /// `fonts-noto-cjk` puts it in `/usr/share/fonts/opentype/noto`; Windows keeps its
    /// fonts in `%WINDIR%\Fonts`, macOS in `/System/Library/Fonts`).
    ///
    /// Looks for Noto Sans CJK (`NotoSansCJK-Regular.ttc`, `NotoSansCJKsc-Regular.otf`
    /// or `NotoSansSC-Regular.otf`) and the matching bold file, then for the Chinese
    /// fonts Windows and macOS ship (Microsoft YaHei, SimSun, PingFang, Hiragino Sans
    /// GB); when there is no bold file, headings are set in the regular face.
    /// Monospace text uses "Noto Sans Mono CJK SC" from the same collection where it
    /// exists.
    pub fn system() -> Result<Fonts, PdfError> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(dir) = std::env::var_os("EXHIBIT_FONT_DIR").filter(|d| !d.is_empty()) {
            dirs.push(PathBuf::from(dir));
        }
        dirs.extend(system_font_dirs());
        match find_in(&dirs) {
            Some((regular, bold, candidate)) => Fonts::load(
                &regular,
                bold.as_deref(),
                Pick::Family(candidate.family, candidate.fallback_index),
            ),
            None => Err(PdfError::FontNotFound { searched: dirs }),
        }
    }

    /// Loads the regular and bold faces from the given files. `face_index` picks the face
    /// inside a `.ttc` collection (2 is Simplified Chinese in Debian's
    /// `NotoSansCJK-Regular.ttc`; use 0 for a single-face file) and applies to both files.
    ///
    /// The monospace face is looked for in the regular file's collection: a face whose
    /// family is the regular family with "Mono" in it ("Noto Sans Mono CJK SC" for "Noto
    /// Sans CJK SC"). Without one, monospace text is set in the regular face.
    pub fn from_paths(regular: &Path, bold: &Path, face_index: u32) -> Result<Fonts, PdfError> {
        Fonts::load(regular, Some(bold), Pick::Index(face_index))
    }

    /// Whether [`crate::render`] has a real monospace face for `Block::Mono`.
    pub fn has_monospace(&self) -> bool {
        self.mono_is_monospace
    }

    fn load(regular: &Path, bold: Option<&Path>, pick: Pick) -> Result<Fonts, PdfError> {
        let regular_bytes = read(regular)?;
        let (index, face_index) = match pick {
            Pick::Index(i) => (i, Some(i)),
            Pick::Family(family, fallback) => (
                find_face(&regular_bytes, |f| f == family).unwrap_or(
                    if is_collection(&regular_bytes) {
                        fallback
                    } else {
                        0
                    },
                ),
                None,
            ),
        };
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

/// Which face of a file to load.
#[derive(Debug, Clone, Copy)]
enum Pick {
    /// This face of the regular and the bold file.
    Index(u32),
    /// The face of this family, or the fallback index in a collection without one; the
    /// bold file's face of the same family.
    Family(&'static str, u32),
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

    use exhibit_domain::env_lookup as vars;

    #[test]
    fn windows_font_folders_are_the_users_then_the_systems() {
        let dirs = windows_font_dirs(&vars(&[
            ("LOCALAPPDATA", "C:/Users/ana/AppData/Local"),
            ("WINDIR", "D:/Windows"),
        ]));
        assert_eq!(
            dirs,
            [
                PathBuf::from("C:/Users/ana/AppData/Local/Microsoft/Windows/Fonts"),
                PathBuf::from("D:/Windows/Fonts"),
            ]
        );
        // Without the variables, the usual system folder.
        let dirs = windows_font_dirs(&vars(&[]));
        assert_eq!(dirs.len(), 1);
        assert!(dirs[0].ends_with("Fonts"), "{dirs:?}");
    }

    #[test]
    fn macos_font_folders_include_the_system_and_the_users() {
        let dirs = macos_font_dirs(&vars(&[("HOME", "/Users/ana")]));
        assert_eq!(dirs[0], Path::new("/System/Library/Fonts"));
        assert_eq!(
            dirs.last().map(PathBuf::as_path),
            Some(Path::new("/Users/ana/Library/Fonts"))
        );
    }

    /// The fonts Windows and macOS ship are found by their file names, Noto first, and
    /// each is picked inside its collection by family.
    #[test]
    fn system_cjk_fonts_are_found_noto_first() {
        let dir = std::env::temp_dir().join(format!("exhibit-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let dirs = [dir.clone()];
        assert!(find_in(&dirs).is_none());
        for (file, family) in [
            ("Hiragino Sans GB.ttc", "Hiragino Sans GB"),
            ("PingFang.ttc", "PingFang SC"),
            ("simsun.ttc", "SimSun"),
            ("msyh.ttc", "Microsoft YaHei"),
            ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
        ] {
            std::fs::write(dir.join(file), b"ttcf").expect("write");
            let (regular, bold, candidate) = find_in(&dirs).expect("found");
            assert_eq!(regular, dir.join(file));
            assert_eq!(candidate.family, family);
            assert!(bold.is_none());
        }
        std::fs::write(dir.join("NotoSansCJK-Bold.ttc"), b"ttcf").expect("write");
        let (_, bold, _) = find_in(&dirs).expect("found");
        assert_eq!(bold, Some(dir.join("NotoSansCJK-Bold.ttc")));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
