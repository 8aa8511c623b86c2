"""Seeds of the `extract` target from the real pages: `pages.py REAL_PAGES OUT`.

Each page becomes one input: two bytes that pick the URL it was served from (its
marketplace's host, as the fuzz target lists them) and the HTTP status and Content-Type
(200, and none or the GBK one for GBK pages), then the page, trimmed: styles, SVG,
comments and the large scripts that are not JSON-LD removed, whitespace runs collapsed.
The structure the extractor reads stays; the megabytes of bundled script go. A second
input per marketplace serves one page from a local server, so the page has to name its
marketplace itself.
"""
import json
import re
import sys
from pathlib import Path

# Index in fuzz_targets/extract.rs URLS.
HOSTS = ["local", "amazon", "ebay", "etsy", "taobao", "tmall", "aliexpress", "alibaba",
         "1688", "jd", "temu", "shopee", "walmart", "mercadolibre", "rakuten"]
STATUS_200 = 1
CT_GBK = 2


def trim(b: bytes) -> bytes:
    b = re.sub(rb"(?is)<style\b.*?</style>", b"", b)
    b = re.sub(rb"(?is)<svg\b.*?</svg>", b"<svg></svg>", b)
    b = re.sub(rb"(?s)<!--.*?-->", b"", b)

    def script(m):
        whole = m.group(0)
        if b"ld+json" in m.group(1).lower() or len(whole) < 2048:
            return whole
        return b"<script" + m.group(1) + b"></script>"

    b = re.sub(rb"(?is)<script\b([^>]*)>.*?</script>", script, b)
    b = re.sub(rb"[ \t\r\n]+", b" ", b)
    return b[:96 * 1024]


def main():
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    expected = json.loads((src / "expected.json").read_text())
    local_done = set()
    for e in expected:
        page = (src / e["file"]).read_bytes()
        market = e["marketplace"]
        gbk = e["file"].endswith("-gbk.html")
        head = STATUS_200 | ((CT_GBK if gbk else 0) << 3)
        body = trim(page)
        name = Path(e["file"]).stem
        (out / f"{name}.bin").write_bytes(bytes([HOSTS.index(market), head]) + body)
        if market not in local_done:
            local_done.add(market)
            (out / f"{name}.local.bin").write_bytes(bytes([0, head]) + body)


main()
