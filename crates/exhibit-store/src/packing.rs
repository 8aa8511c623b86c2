//! How the case keeps an artifact's bytes: as received, or compressed with zstd.
//!
//! Every byte that reaches the case costs SQLCipher an AES pass and an HMAC-SHA512 per
//! 4 KB page, a write to the WAL, a sync, and a second write when the WAL is folded back
//! into the file; and all of it happens on the case's one writer, while every other
//! capture waits. A captured page is text: the 23 real listing pages average 756 kB, and
//! zstd at level 1 keeps them in about a fifth of that, at a cost (about 2 ns a byte)
//! smaller than the encryption it saves. So an artifact is compressed before the case is
//! locked ([`pack`]), unless its bytes are already compressed (a JPEG, PNG, GIF or WebP
//! picture, a gzip, zip or zstd file) or are too few to bother, and it is kept compressed
//! only if that saves at least an eighth.
//!
//! Nothing about the evidence changes. An artifact's `sha256` and `size` are always those
//! of the bytes as received, taken before they touch the store, and every reader
//! (`artifact`, export, `verify`) gets those bytes back and checks them against the hash.
//! `artifacts.encoding` says how each is kept: `identity`, or `zstd` (one standard zstd
//! frame, RFC 8878, which `zstd -d` and every zstd library read).
//!
//! Compressed bytes are read back as hostile: the output is cut at one byte past the
//! recorded size, the decoder's window is bounded, the whole blob must decode (bytes
//! appended after the frame are a change too), and bytes that no longer decode are
//! reported as changed (an [`Undecodable`] error), never as a panic or an endless output.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

use exhibit_domain::NewArtifact;

/// `artifacts.encoding` of bytes kept as received.
pub const IDENTITY: &str = "identity";
/// `artifacts.encoding` of bytes kept as one zstd frame.
pub const ZSTD: &str = "zstd";

/// zstd's level 1: the fastest of its ordinary levels, about five times smaller on pages.
const LEVEL: i32 = 1;
/// Fewer bytes than this are stored as received.
const MIN_PACKED: usize = 512;
/// Largest window a stored frame may ask the decoder for (16 MiB). Level 1 uses 512 KiB
/// at most, so anything larger was not written by Exhibit.
const WINDOW_LOG_MAX: u32 = 24;
/// Stored bytes read from the case at a time when decompressing.
const READ: usize = 128 * 1024;

/// An artifact with its bytes as the case will keep them. It borrows the artifact
/// ([`pack`]) or owns it ([`pack_owned`], to hand it to another thread to store).
pub struct PackedArtifact<'a> {
    pub(crate) artifact: Cow<'a, NewArtifact>,
    /// The compressed bytes; `None` when the artifact's own bytes are kept.
    packed: Option<Vec<u8>>,
}

impl PackedArtifact<'_> {
    /// `artifacts.encoding` of what the case keeps.
    pub(crate) fn encoding(&self) -> &'static str {
        if self.packed.is_some() {
            ZSTD
        } else {
            IDENTITY
        }
    }

    /// The bytes the case keeps: compressed, or the artifact's own.
    pub(crate) fn stored(&self) -> &[u8] {
        self.packed.as_deref().unwrap_or(self.artifact.bytes())
    }
}

impl std::fmt::Debug for PackedArtifact<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackedArtifact")
            .field("kind", &self.artifact.kind())
            .field("encoding", &self.encoding())
            .field("stored_len", &self.stored().len())
            .finish()
    }
}

/// The artifact as the case keeps it: compressed when that saves at least an eighth.
/// CPU only; call it before taking the case's lock.
pub fn pack(artifact: &NewArtifact) -> PackedArtifact<'_> {
    PackedArtifact {
        packed: compress(artifact),
        artifact: Cow::Borrowed(artifact),
    }
}

/// [`pack`], keeping the artifact: what it gives can be sent to the thread that stores it.
pub fn pack_owned(artifact: NewArtifact) -> PackedArtifact<'static> {
    PackedArtifact {
        packed: compress(&artifact),
        artifact: Cow::Owned(artifact),
    }
}

/// The artifact's bytes as one zstd frame, when they are worth compressing and that
/// saves at least an eighth.
fn compress(artifact: &NewArtifact) -> Option<Vec<u8>> {
    let bytes = artifact.bytes();
    if bytes.len() < MIN_PACKED || already_compressed(artifact.media_type(), bytes) {
        return None;
    }
    zstd::bulk::compress(bytes, LEVEL)
        .ok()
        .filter(|packed| packed.len() <= bytes.len() - bytes.len() / 8)
}

/// Formats that compress their own bytes: zstd would spend its time to save nothing.
fn already_compressed(media_type: &str, bytes: &[u8]) -> bool {
    const MAGIC: [&[u8]; 8] = [
        b"\xff\xd8\xff",      // JPEG
        b"\x89PNG\r\n\x1a\n", // PNG
        b"GIF8",              // GIF
        b"\x1f\x8b",          // gzip
        b"PK\x03\x04",        // zip (and so WACZ, DOCX, XLSX)
        b"\x28\xb5\x2f\xfd",  // zstd
        b"\xfd7zXZ\x00",      // xz
        b"wOF2",              // WOFF2
    ];
    let webp = bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
    let media_type = media_type.to_ascii_lowercase();
    let compressed_type = ["video/", "audio/"]
        .iter()
        .any(|p| media_type.starts_with(p))
        || (media_type.starts_with("image/")
            && !media_type.starts_with("image/svg")
            && !media_type.starts_with("image/bmp"));
    webp || compressed_type || MAGIC.iter().any(|m| bytes.starts_with(m))
}

/// Stored bytes that no longer decode as what their `encoding` says: they were changed.
#[derive(Debug)]
pub(crate) struct Undecodable(String);

impl std::fmt::Display for Undecodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the stored compressed bytes no longer decode ({})",
            self.0
        )
    }
}

impl std::error::Error for Undecodable {}

/// Is this error a read of stored bytes that no longer decode?
pub(crate) fn is_undecodable(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Undecodable>())
}

/// The bytes as received, read from what the case keeps (`stored`, kept under
/// `encoding`, `size` bytes as received). Gives at most `size + 1` bytes, so a reader that
/// counts sees a changed length without reading an endless output. A read error of
/// `stored` itself passes through as it came; bytes that do not decode give an
/// [`Undecodable`] error.
pub(crate) fn unpack<'r, R: Read + 'r>(
    encoding: &str,
    stored: R,
    size: u64,
) -> io::Result<Box<dyn Read + 'r>> {
    match encoding {
        IDENTITY => Ok(Box::new(stored)),
        ZSTD => {
            let source = Source {
                inner: stored,
                failed: false,
            };
            let mut decoder =
                zstd::stream::read::Decoder::with_buffer(BufReader::with_capacity(READ, source))
                    .map_err(undecodable)?
                    .single_frame();
            decoder
                .window_log_max(WINDOW_LOG_MAX)
                .map_err(undecodable)?;
            Ok(Box::new(Unzstd {
                decoder,
                left: size.saturating_add(1),
            }))
        }
        other => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            Undecodable(format!("the encoding '{other}' is not one Exhibit writes")),
        )),
    }
}

fn undecodable(e: io::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Undecodable(e.to_string()))
}

/// The stored bytes, remembering whether reading them failed (so that a damaged page is
/// told apart from bytes that do not decode).
struct Source<R> {
    inner: R,
    failed: bool,
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|_| self.failed = true)
    }
}

struct Unzstd<'r, R: Read> {
    decoder: zstd::stream::read::Decoder<'r, BufReader<Source<R>>>,
    left: u64,
}

impl<R: Read> Read for Unzstd<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        match self.decoder.read(&mut buf[..want]) {
            Ok(0) => {
                // The frame has ended: the blob must end with it.
                let rest = self.decoder.get_mut().fill_buf()?;
                if rest.is_empty() {
                    Ok(0)
                } else {
                    Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        Undecodable(format!("{} bytes follow the frame", rest.len())),
                    ))
                }
            }
            Ok(n) => {
                self.left -= n as u64;
                Ok(n)
            }
            Err(e) if self.decoder.get_ref().get_ref().failed => Err(e),
            Err(e) => Err(undecodable(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(encoding: &str, stored: &[u8], size: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        unpack(encoding, stored, size)?.read_to_end(&mut out)?;
        Ok(out)
    }

    fn page(n: usize) -> Vec<u8> {
        let mut page = b"<!doctype html><html><body>".to_vec();
        for i in 0..n {
            page.extend_from_slice(format!("<div class=\"item\">Item {i}</div>\n").as_bytes());
        }
        page
    }

    #[test]
    fn a_page_is_kept_compressed_and_read_back_as_received() {
        let bytes = page(20_000);
        let a = NewArtifact::new("body", "text/html", bytes.clone());
        let packed = pack(&a);
        assert_eq!(packed.encoding(), ZSTD);
        assert!(
            packed.stored().len() * 4 < bytes.len(),
            "{}",
            packed.stored().len()
        );
        // A standard frame: the reference decoder reads it.
        assert_eq!(
            zstd::stream::decode_all(packed.stored()).expect("zstd"),
            bytes
        );
        let back = read_all(packed.encoding(), packed.stored(), bytes.len() as u64);
        assert_eq!(back.expect("unpack"), bytes);
    }

    #[test]
    fn an_owned_artifact_is_kept_exactly_as_a_borrowed_one() {
        for (media_type, bytes) in [
            ("text/html", page(20_000)),
            ("image/jpeg", page(1_000)),
            ("text/html", b"<p>short</p>".to_vec()),
        ] {
            let a = NewArtifact::new("body", media_type, bytes);
            let borrowed = pack(&a);
            let owned = pack_owned(a.clone());
            assert_eq!(owned.encoding(), borrowed.encoding(), "{media_type}");
            assert_eq!(owned.stored(), borrowed.stored(), "{media_type}");
            assert_eq!(*owned.artifact, a);
        }
    }

    #[test]
    fn pictures_archives_small_and_incompressible_bytes_are_kept_as_received() {
        let mut noise = Vec::with_capacity(100_000);
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            noise.push(x as u8);
        }
        let mut jpeg = b"\xff\xd8\xff\xe0".to_vec();
        jpeg.extend(page(1_000));
        let mut gzip = b"\x1f\x8b".to_vec();
        gzip.extend(page(1_000));
        let mut webp = b"RIFF\0\0\0\0WEBPVP8 ".to_vec();
        webp.extend(page(1_000));
        for (media_type, bytes) in [
            ("application/octet-stream", noise),
            ("application/octet-stream", jpeg),
            ("text/html", gzip),
            ("application/octet-stream", webp),
            ("image/avif", page(1_000)),
            ("text/html", b"<p>short</p>".to_vec()),
        ] {
            let a = NewArtifact::new("body", media_type, bytes.clone());
            let packed = pack(&a);
            assert_eq!(packed.encoding(), IDENTITY, "{media_type}");
            assert_eq!(packed.stored(), &bytes[..]);
        }
        // An SVG is text, whatever its type says.
        let svg = NewArtifact::new("image", "image/svg+xml", page(1_000));
        assert_eq!(pack(&svg).encoding(), ZSTD);
    }

    #[test]
    fn changed_compressed_bytes_are_undecodable_not_a_panic() {
        let bytes = page(5_000);
        let packed = zstd::bulk::compress(&bytes, LEVEL).expect("compress");
        let size = bytes.len() as u64;
        for forged in [
            b"forged".to_vec(),
            vec![0u8; packed.len()],
            packed[..packed.len() / 2].to_vec(),
            [&packed[..], b"appended"].concat(),
            [&packed[..], b"\0"].concat(),
            [&packed[..], &packed[..]].concat(),
            {
                let mut flipped = packed.clone();
                let middle = flipped.len() / 2;
                flipped[middle] ^= 0x55;
                flipped
            },
        ] {
            match read_all(ZSTD, &forged, size) {
                Err(e) => assert!(is_undecodable(&e), "{e}"),
                // A flipped bit can still decode: then to other bytes.
                Ok(out) => assert_ne!(out, bytes),
            }
        }
        let e = read_all("brotli", &packed, size).expect_err("unknown");
        assert!(is_undecodable(&e), "{e}");
    }

    #[test]
    fn a_bomb_stops_one_byte_past_the_recorded_size() {
        // 256 MiB of zeros is a frame of a few kilobytes.
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), LEVEL).expect("encoder");
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..256 {
            std::io::Write::write_all(&mut encoder, &zeros).expect("write");
        }
        let bomb = encoder.finish().expect("finish");
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let out = read_all(ZSTD, &bomb, 1000).expect("reads");
        assert_eq!(out.len(), 1001);
    }

    #[test]
    fn a_frame_asking_for_a_huge_window_is_refused() {
        let bytes = page(50_000);
        // A streamed frame of unknown length keeps the window it was given.
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), LEVEL).expect("encoder");
        encoder.window_log(27).expect("window");
        encoder.long_distance_matching(true).expect("ldm");
        std::io::Write::write_all(&mut encoder, &bytes).expect("write");
        let wide = encoder.finish().expect("finish");
        let e = read_all(ZSTD, &wide, bytes.len() as u64).expect_err("too wide");
        assert!(is_undecodable(&e), "{e}");
    }

    #[test]
    fn a_failing_source_is_not_taken_for_changed_bytes() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("hmac check failed"))
            }
        }
        let e = unpack(ZSTD, Broken, 10)
            .and_then(|mut r| r.read(&mut [0u8; 10]))
            .expect_err("broken");
        assert!(!is_undecodable(&e), "{e}");
    }
}
