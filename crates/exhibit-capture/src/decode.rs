//! Removing a `Content-Encoding`, with a hard limit on the output.

use std::io::Read;

use crate::{FetchError, FetchErrorKind, mb};

/// Decodes `body` per `encoding` ("gzip", "deflate", or a comma list of them applied in
/// order). Stops with an error once the output passes `limit` bytes.
pub(crate) fn decode(encoding: &str, body: &[u8], limit: u64) -> Result<Vec<u8>, FetchError> {
    let mut data = body.to_vec();
    // Codings are listed in the order applied, so undo them from the last.
    for coding in encoding
        .split(',')
        .map(str::trim)
        .rev()
        .filter(|c| !c.is_empty())
    {
        data = match coding {
            "gzip" | "x-gzip" => read_limited(flate2::read::MultiGzDecoder::new(&data[..]), limit)?,
            "deflate" => {
                // HTTP "deflate" is meant to be zlib-wrapped; some servers send it raw.
                match read_limited(flate2::read::ZlibDecoder::new(&data[..]), limit) {
                    Ok(v) => v,
                    Err(e) if e.kind == FetchErrorKind::DecompressionBomb => return Err(e),
                    Err(_) => read_limited(flate2::read::DeflateDecoder::new(&data[..]), limit)?,
                }
            }
            "identity" => data,
            other => {
                return Err(FetchError::new(
                    FetchErrorKind::Encoding,
                    format!(
                        "The server compressed the page with '{other}', which Exhibit did not ask for and cannot read; the raw bytes were kept."
                    ),
                ));
            }
        };
    }
    Ok(data)
}

fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, FetchError> {
    let mut out = Vec::new();
    let mut limited = reader.take(limit.saturating_add(1));
    limited.read_to_end(&mut out).map_err(|e| {
        FetchError::new(
            FetchErrorKind::Encoding,
            format!("The compressed page is damaged and could not be read ({e}); the raw bytes were kept."),
        )
    })?;
    if out.len() as u64 > limit {
        return Err(FetchError::new(
            FetchErrorKind::DecompressionBomb,
            format!(
                "The page expands to more than {} when decompressed, which looks like a decompression bomb; it was not unpacked.",
                mb(limit)
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    #[test]
    fn gzip_round_trips() {
        assert_eq!(
            decode("gzip", &gzip(b"hello"), 100).expect("decode"),
            b"hello"
        );
    }

    #[test]
    fn bomb_is_stopped_at_the_limit() {
        let bomb = gzip(&vec![0u8; 10_000_000]);
        let e = decode("gzip", &bomb, 1_000_000).expect_err("bomb");
        assert_eq!(e.kind, FetchErrorKind::DecompressionBomb);
    }

    #[test]
    fn garbage_and_unknown_codings_are_errors() {
        assert_eq!(
            decode("gzip", b"not gzip", 100).expect_err("bad").kind,
            FetchErrorKind::Encoding
        );
        assert_eq!(
            decode("br", b"x", 100).expect_err("br").kind,
            FetchErrorKind::Encoding
        );
    }
}
