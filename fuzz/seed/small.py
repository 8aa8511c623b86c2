"""Hand-written seeds: `small.py OUT`. The hostile cases the tests build for the URL
list, the session socket, the complaint file and the extractor (tests/support/lib.rs,
crates/exhibit/src/inputs.rs, crates/exhibit-venues/tests/venues/hostile.rs), in the
inputs' own formats (see each fuzz target's header for the first bytes)."""
import sys
from pathlib import Path

out = Path(sys.argv[1])


def put(target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# url_list: first byte bit 0 = the file is named .csv.
put("url_list", "text", b"\x00# comment\nhttps://a.test/1\n\n  https://b.test/2  \nnot a url\n")
put("url_list", "csv-bom", b"\x01\xef\xbb\xbfseller,URL,note\nx,https://a.test/1,\"a, b\"\ny,,empty\nz,https://b.test/2,\n")
put("url_list", "csv-by-header", b"\x00url,title\nhttps://a.test/1,\"multi\nline\"\n")
put("url_list", "no-url-column", b"\x01seller,link\nx,https://a.test\n")
put("url_list", "binary", b"\x00\xff\xfe\x00garbage")
put("url_list", "only-comments", b"\x00\n# only comments\n")
put("url_list", "ragged", b"\x01url\n\"unterminated\nhttps://a.test,extra,cols\n\r\n")
put("url_list", "crlf", b"\x00https://a.test/1\r\nhttps://b.test/2\r\n")

# snap_request: the line `exhibit snap` sends, and what a stranger might.
put("snap_request", "plain", b"snap\n")
put("snap_request", "tsa", b'snap {"urls":["http://127.0.0.1:1/tsr"],"roots":["/tmp/ca.pem"]}\n')
put("snap_request", "no-urls", b'snap {"urls":[],"roots":[]}\n')
put("snap_request", "extra-field", b'snap {"urls":["x"],"roots":[],"evil":1}\n')
put("snap_request", "escapes", b'snap {"urls":["\\u0000\\ud800x"],"roots":["\\n"]}\r\n')
put("snap_request", "nothing", b"")

# complaint: the hostile cases of the venue tests, on the smallest valid file.
base = """venue = "dmca"
narrative = "These listings copy our photographs."

[rights_holder]
name = "Jane Doe"
organization = "Acme Inc."
email = "jane@acme.test"
address = "1 Main St, Springfield"

[[right]]
id = "c1"
kind = "copyright"
registration = "VA 1-234-567"
description = "Product photographs"

[[listing]]
capture = 1
rights = ["c1"]
"""
put("complaint", "minimal.toml", base)
put("complaint", "script.toml", 'narrative = "<img src=x onerror=alert(1)>"\n' + base.replace('narrative = "These listings copy our photographs."\n', ""))
put("complaint", "wrong-type.toml", "narrative = 0\n" + base)
put("complaint", "control.toml", base.replace("These listings", "fine\\u0000 text \\u202Egnp.exe"))
put("complaint", "numbers.toml", base.replace("capture = 1", "capture = -9223372036854775808"))
put("complaint", "unknown-key.toml", base + "\n[evil]\nx = 1\n")
put("complaint", "dates.toml", base + '\n[signature]\nname = "Jane Doe"\ndate = 2026-02-30\n')
put("complaint", "syntax.toml", 'venue = "dmca\n[[listing]\ncapture = "1"\n')

# extract: the test server's pages, behind two bytes (URL index, status/Content-Type).
ok = ('<!doctype html>\n<html><head><meta charset="utf-8"><title>Test Listing</title></head>\n<body>'
      '<h1>Test Listing</h1>\n<p class="price">Price: <span itemprop="price" content="12.50">$12.50</span> '
      '<span itemprop="priceCurrency" content="USD">USD</span></p>\n<p class="seller">Seller: Test Seller</p>\n'
      '</body></html>\n').encode()
latin1 = (b'<!doctype html>\n<html><head><title>Caf\xe9 Cr\xe8me \x96 12,50 \x80</title></head>\n<body><h1>'
          b'Caf\xe9 Cr\xe8me</h1><p class="price">Prix : 12,50 \x80 \xb7 d\xe9j\xe0 vu \xab ici \xbb</p></body></html>\n')
script = ('<!doctype html>\n<html><head><meta charset="utf-8"><title>&lt;script&gt;alert(1)&lt;/script&gt; Evil'
          '</title></head>\n<body><h1>&lt;script&gt;alert(1)&lt;/script&gt; Evil</h1>\n<script>document.title = '
          "'pwned'; alert(2);</script>\n<p>Price: $1.00</p>\n</body></html>\n").encode()
jsonld = ('<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
          '"name":"Walnut chair","sku":"B000000001","offers":{"@type":"Offer","price":"1,299.00",'
          '"priceCurrency":"EUR","seller":{"name":"Seller Co."}}}</script><meta property="og:type" content="product">'
          '<link rel="canonical" href="https://www.amazon.de/dp/B000000001"></head><body></body></html>').encode()
captcha = (b'<html><head><title>Robot Check</title></head><body><form action="/errors/validateCaptcha">'
           b'<p>Type the characters you see in this image</p></form></body></html>')
put("extract", "ok-local.bin", bytes([0, 1]) + ok)
put("extract", "ok-403.bin", bytes([1, 4]) + ok)
put("extract", "ok-404.bin", bytes([2, 2]) + ok)
put("extract", "latin1.bin", bytes([0, 1 | 3 << 3]) + latin1)
put("extract", "script-title.bin", bytes([3, 1]) + script)
put("extract", "jsonld-local.bin", bytes([0, 0]) + jsonld)
put("extract", "captcha.bin", bytes([1, 1]) + captcha)
put("extract", "utf16-bom.bin", bytes([0, 1]) + b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00")
put("extract", "png.bin", bytes([1, 6 << 3]) + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
put("extract", "json.bin", bytes([4, 4 << 3 | 1]) + b'{"price": "12.50", "title": "x"}')
put("extract", "nested.bin", bytes([0, 1]) + b"<div>" * 3000 + b"<span itemprop=price>1</span>")
put("extract", "cut.bin", bytes([0, 1]) + b"<html><bod")
