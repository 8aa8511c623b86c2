"""Writes a WARC the way a crawler does (warcio's WARCWriter), around real marketplace
pages, for the import tests of tests/it/wacz.rs. `wacz create` then packages it.

Usage: python3 make_import_crawl.py OUT_DIR TAOBAO_HTML TMALL_HTML

Writes into OUT_DIR:
  crawl.warc        uncompressed, so a test can find a record's bytes and change one:
                    a 301 to the Taobao listing, the listing itself, a stylesheet, a
                    screenshot resource (urn:view:) of the listing, and the Tmall listing
                    sent gzip-compressed (Content-Encoding: gzip)
  pages.jsonl       the two pages, for `wacz create -p`
  expected.json     what the import should find (URLs, record ids, bodies' SHA-256)
"""

import gzip
import json
import os
import struct
import sys
import zlib

from warcio.warcwriter import WARCWriter

# The crawl of the exhibit-warc tests' make_crawl.py: a redirect to a listing, the
# listing, its stylesheet, a screenshot and a second listing, written by the same
# exchange writer (response first, then the request naming it).
sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../crates/exhibit-warc/tests")
)
from make_crawl import sha256, write_crawl  # noqa: E402


def png(width, height):
    """A valid, plain PNG of one grey colour."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def main(out, taobao_path, tmall_path):
    with open(taobao_path, "rb") as fh:
        taobao = fh.read()
    with open(tmall_path, "rb") as fh:
        tmall = fh.read()
    tmall_gz = gzip.compress(tmall, mtime=0)
    shot = png(64, 48)
    css = b"body { font-family: sans-serif }\n"

    page_a = "http://item.taobao.com/item.htm?id=562283240178"
    page_a_final = "https://item.taobao.com/item.htm?id=562283240178"
    page_b = "https://detail.tmall.com/item.htm?id=605258110430"

    # The Tmall listing is sent compressed, as its server did.
    tmall_headers = [("Content-Type", "text/html; charset=gbk"), ("Content-Encoding", "gzip")]
    with open(os.path.join(out, "crawl.warc"), "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        taobao_page = (page_a_final, [("Content-Type", "text/html")], taobao, "2025-06-01T08:00:01.250Z")
        style = ("https://item.taobao.com/style.css", [("Content-Type", "text/css")], css, "2025-06-01T08:00:02Z")
        tmall_page = (page_b, tmall_headers, tmall_gz, "2025-06-01T08:05:00Z")
        redirect_id, a_id, b_id = write_crawl(
            writer,
            "crawl.warc",
            (page_a, page_a_final, "2025-06-01T08:00:00Z"),
            taobao_page,
            style,
            (shot, "2025-06-01T08:00:03Z"),
            tmall_page,
        )

    with open(os.path.join(out, "pages.jsonl"), "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}) + "\n")
        fh.write(json.dumps({"id": "taobao", "url": page_a, "ts": "2025-06-01T08:00:00Z"}) + "\n")
        fh.write(json.dumps({"id": "tmall", "url": page_b, "ts": "2025-06-01T08:05:00Z"}) + "\n")

    expected = {
        "taobao": {
            "url": page_a,
            "final_url": page_a_final,
            "redirect_id": redirect_id,
            "id": a_id,
            "date": "2025-06-01T08:00:01.250Z",
            "body_sha256": sha256(taobao),
            "png_sha256": sha256(shot),
        },
        "tmall": {
            "url": page_b,
            "id": b_id,
            "date": "2025-06-01T08:05:00Z",
            "body_sha256": sha256(tmall_gz),
            "decoded_sha256": sha256(tmall),
        },
    }
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
