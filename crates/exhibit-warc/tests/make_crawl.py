"""Writes WARCs the way a crawler does, with warcio's WARCWriter, for the import tests.

Usage: python3 make_crawl.py OUT_DIR

Writes into OUT_DIR:
  crawl.warc.gz   one gzip member per record (what WACZ needs): a redirect, the page it
                  leads to, a stylesheet, a screenshot resource (urn:view:), and a second
                  page with a large UTF-8 Chinese body
  crawl-pages.jsonl  the two pages, for `wacz create -p`
  plain.warc      uncompressed, one page whose body holds a marker the test flips
  plain-pages.jsonl
  expected.json   what the importer should find (ids, bodies' SHA-256, titles)
"""

import hashlib
import json
import os
import random
import sys
from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def write_exchange(writer, url, status, headers, body, date):
    """A response and its request, as a crawler writes them (response first)."""
    http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    resp = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-IP-Address": "192.0.2.7"},
    )
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
    req = writer.create_warc_record(
        url,
        "request",
        payload=BytesIO(b""),
        http_headers=StatusAndHeaders(
            "GET " + path + " HTTP/1.1",
            [("Host", host), ("User-Agent", "test-crawler/1.0")],
            is_http_request=True,
        ),
    )
    writer.write_request_response_pair(req, resp)
    return resp.rec_headers.get_header("WARC-Record-ID")


def write_crawl(writer, name, redirect, page, stylesheet, view, second):
    """The crawl both import tests read (this crate's and the end-to-end tests/it/wacz.rs),
    in a crawler's order: a warcinfo record naming the file `name`; a 301 from
    `redirect`, (url, Location, date); the `page` it leads to and its `stylesheet`; a
    screenshot of the redirect's URL, `view` = (png, date), as a urn:view: resource; and
    a `second` page. `page`, `stylesheet` and `second` are (url, headers, body, date),
    served 200 with a Content-Length. Returns the record ids of the redirect, the page
    and the second page."""
    writer.write_record(
        writer.create_warcinfo_record(name, {"software": "test-crawler/1.0", "format": "WARC File Format 1.0"})
    )

    def ok(url, headers, body, date):
        length = [("Content-Length", str(len(body)))]
        return write_exchange(writer, url, "200 OK", headers + length, body, date)

    first, location, date = redirect
    moved = [("Location", location), ("Content-Length", "0")]
    redirect_id = write_exchange(writer, first, "301 Moved Permanently", moved, b"", date)
    page_id = ok(*page)
    ok(*stylesheet)
    png, date = view
    shot = writer.create_warc_record(
        "urn:view:" + first,
        "resource",
        payload=BytesIO(png),
        warc_content_type="image/png",
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(shot)
    return redirect_id, page_id, ok(*second)


def main(out):
    rng = random.Random(7)
    expected = {}

    page_a = "https://shop.example.com/item/1"
    page_a_final = "https://shop.example.com/item/1/"
    page_b = "https://shop.example.com/item/2"
    body_a = (
        b"<!doctype html><html><head><title>Leather handbag</title></head>"
        b"<body><h1>Genuine leather handbag</h1><p>Price: 19.99</p>"
        b'<link rel="stylesheet" href="/style.css"></body></html>'
    )
    css = b"h1 { color: #333 }\n"
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4000))
    # Large, and not too compressible, so that a byte flipped near the end of its gzip
    # member lies far past the record's header.
    filler = "".join(rng.choice("0123456789abcdef") for _ in range(300_000))
    body_b = (
        "<!doctype html><html><head><meta charset=utf-8><title>二手相机 九成新</title></head>"
        "<body><h1>二手相机 九成新</h1><p>价格：¥1,299</p><pre>" + filler + "</pre></body></html>"
    ).encode("utf-8")

    html = [("Content-Type", "text/html; charset=utf-8")]
    with open(os.path.join(out, "crawl.warc.gz"), "wb") as fh:
        redirect_id, final_id, page_b_id = write_crawl(
            WARCWriter(fh, gzip=True),
            "crawl.warc.gz",
            redirect=(page_a, "/item/1/", "2024-03-01T10:00:00Z"),
            page=(page_a_final, html, body_a, "2024-03-01T10:00:01Z"),
            stylesheet=(
                "https://shop.example.com/style.css", [("Content-Type", "text/css")], css, "2024-03-01T10:00:02Z"
            ),
            view=(png, "2024-03-01T10:00:03Z"),
            second=(page_b, html, body_b, "2024-03-01T10:05:00Z"),
        )

    with open(os.path.join(out, "crawl-pages.jsonl"), "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}) + "\n")
        fh.write(json.dumps({"id": "page-a", "url": page_a, "title": "Leather handbag"}) + "\n")
        fh.write(json.dumps({"id": "page-b", "url": page_b, "title": "二手相机 九成新"}, ensure_ascii=False) + "\n")

    marker_body = b"<html><body>UNIQUE-MARKER-0123456789 plain page</body></html>"
    with open(os.path.join(out, "plain.warc"), "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        plain_id = write_exchange(
            writer,
            "https://plain.example.com/",
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Length", str(len(marker_body)))],
            marker_body,
            "2024-04-01T08:00:00Z",
        )
    with open(os.path.join(out, "plain-pages.jsonl"), "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"format": "json-pages-1.0", "id": "pages"}) + "\n")
        fh.write(json.dumps({"id": "plain", "url": "https://plain.example.com/", "title": "Plain"}) + "\n")

    expected = {
        "page_a": {"url": page_a, "final_url": page_a_final, "redirect_id": redirect_id,
                   "final_id": final_id, "body_sha256": sha256(body_a), "png_sha256": sha256(png)},
        "page_b": {"url": page_b, "id": page_b_id, "body_sha256": sha256(body_b)},
        "plain": {"id": plain_id, "body_sha256": sha256(marker_body)},
    }
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=2)


if __name__ == "__main__":
    main(sys.argv[1])
