#!/usr/bin/env bash
# Tests the .deb that scripts/package.sh built, on this machine, as a user would meet it:
#   1. installs it with apt-get (which pulls in what it depends on),
#   2. runs the installed `exhibit`: --version, init, a capture in browser mode (the
#      Chromium the package depends on) of a page from `python3 -m http.server`, an
#      export with a DMCA complaint from examples/, verify and verify-bundle,
#   3. starts the installed app under Xvfb through tauri-driver's W3C WebDriver
#      endpoints (curl) and reads its first screen,
#   4. removes it with apt-get and checks its files are gone.
#
#   bash scripts/test-package.sh [PATH.deb]      (needs root for apt-get)
#
# It replaces any installed `exhibit` package, so run it on a build or CI machine. It is
# not part of scripts/test.sh: it needs the release build of scripts/package.sh, which
# takes 20 to 40 minutes on two cores (README, "Installing").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
deb=${1:-target/packages/exhibit_${version}_amd64.deb}
[ -f "$deb" ] || { echo "test-package: no $deb; run bash scripts/package.sh first" >&2; exit 2; }
if [ "$(id -u)" -eq 0 ]; then
  SUDO=
elif command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  echo "test-package: installing the package needs root: run this as root, or install sudo" >&2
  exit 2
fi
driver=target/tools/bin/tauri-driver
[ -x "$driver" ] || bash scripts/setup.sh # builds tauri-driver into target/tools

work=$(mktemp -d)
pids=()
# Cleanup on every exit, failed ones included: each step is best effort (a process
# already gone, a package never installed), so one cannot stop the rest or mask the
# status the script is exiting with.
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if dpkg-query -W -f='${Status}' exhibit 2>/dev/null | grep -q "install ok installed"; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq exhibit >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "test-package: $*"; }
fail() { echo "test-package: FAILED: $*" >&2; exit 1; }

# ---- 1. install -------------------------------------------------------------------
step "installing $deb ($(du -h "$deb" | cut -f1))"
start=$(date +%s)
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$(realpath "$deb")" >"$work/apt-install.log" 2>&1 ||
  { cat "$work/apt-install.log"; fail "apt-get install"; }
step "installed in $(($(date +%s) - start)) s"
for f in /usr/bin/exhibit /usr/bin/exhibit-app /usr/share/applications/Exhibit.desktop \
  /usr/share/icons/hicolor/128x128/apps/exhibit-app.png; do
  [ -e "$f" ] || fail "the package did not install $f"
done
grep -q '^Exec=exhibit-app' /usr/share/applications/Exhibit.desktop || fail "desktop entry's Exec"
grep -q '^Icon=exhibit-app' /usr/share/applications/Exhibit.desktop || fail "desktop entry's Icon"
depends=$(dpkg-query -W -f='${Depends}' exhibit)
for d in libwebkit2gtk-4.1-0 "chromium | google-chrome-stable" fonts-noto-cjk; do
  [[ $depends == *"$d"* ]] || fail "the package does not depend on $d ($depends)"
done
# A batch no one watches runs on the headless build of the same Chromium when it is
# there (a quarter less memory); apt installs what a package recommends by default.
recommends=$(dpkg-query -W -f='${Recommends}' exhibit)
[[ $recommends == *chromium-headless-shell* ]] ||
  fail "the package does not recommend chromium-headless-shell ($recommends)"

# ---- 2. the installed CLI ----------------------------------------------------------
cd "$work"
export PATH=/usr/bin:/bin:/usr/sbin:/sbin # the installed tools, not target/'s
export EXHIBIT_DATA_DIR=$work/data EXHIBIT_PASSPHRASE='lantern harbor quietly 7 copper maple'
commit=$(git -C "$root" rev-parse --short HEAD)
got=$(exhibit --version)
step "exhibit --version: $got"
[[ $got == "exhibit $version ("*")" ]] || fail "exhibit --version says '$got'"
[[ $got == *"($commit)" ]] || echo "test-package: note: built from another commit than HEAD ($commit)"

mkdir site
cat >site/listing.html <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACME Model 7 lantern — copy</title></head>
<body><h1>ACME Model 7 lantern 仿品 露营灯</h1><p>Price: $19.99</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="lantern"></body></html>
HTML
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory site "$port" >"$work/http.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/listing.html" >/dev/null && break; sleep 0.1; done

exhibit init case.exhibit --title "Package test" --collector "Ana Silva" --organization "Acme Lantern Co."
exhibit capture case.exhibit --mode browser "http://127.0.0.1:$port/listing.html" | tee capture.txt
grep -q "captured #1 ok" capture.txt || fail "the browser capture"
exhibit export case.exhibit --complaint "$root/examples/dmca.toml" --out filing | tee export.txt
packet=$(ls filing/*-packet.pdf) bundle=$(ls filing/*-bundle.zip)
pdffonts "$packet" | grep -q "Noto" || fail "the packet is not set in Noto Sans CJK"
exhibit verify case.exhibit
exhibit verify-bundle "$bundle"
step "CLI: init, capture (browser), export and verify passed"

# ---- 3. the installed app, through WebDriver ---------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wport=$(free_port) nport=$(free_port)
xvfb-run -a -s "-screen 0 1280x900x24" "$root/$driver" --port "$wport" --native-port "$nport" \
  >"$work/driver.log" 2>&1 &
pids+=($!)
wd="http://127.0.0.1:$wport"
for _ in $(seq 100); do curl -sf "$wd/status" >/dev/null && break; sleep 0.2; done
caps='{"capabilities":{"alwaysMatch":{"tauri:options":{"application":"/usr/bin/exhibit-app"}}}}'
session=$(curl -sf -X POST -H 'Content-Type: application/json' -d "$caps" "$wd/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["value"]["sessionId"])') ||
  { cat "$work/driver.log"; fail "no WebDriver session with the installed app"; }
find_text() { # CSS selector -> the element's text, once it exists
  local body id
  body=$(python3 -c 'import json,sys; print(json.dumps({"using":"css selector","value":sys.argv[1]}))' "$1")
  for _ in $(seq 100); do
    id=$(curl -s -X POST -H 'Content-Type: application/json' -d "$body" "$wd/session/$session/element" |
      python3 -c 'import json,sys; v=json.load(sys.stdin)["value"]; print(next(iter(v.values())) if "error" not in v else "")')
    if [ -n "$id" ]; then
      curl -sf "$wd/session/$session/element/$id/text" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"])'
      return 0
    fi
    sleep 0.2
  done
  return 1
}
title=$(curl -sf "$wd/session/$session/title" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"])')
heading=$(find_text 'main h1') || fail "the app's first screen did not appear"
about=$(find_text '[data-testid=nav-about]') || fail "the app's steps did not appear"
step "app window '$title': first screen '$heading', with '$about'"
[ "$title" = "Exhibit" ] && [ "$heading" = "Case" ] && [ "$about" = "About Exhibit" ] || fail "unexpected first screen"
# Ending the WebDriver session is courtesy: cleanup stops tauri-driver either way.
curl -sf -X DELETE "$wd/session/$session" >/dev/null || true

# ---- 4. remove --------------------------------------------------------------------
DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq exhibit >"$work/apt-remove.log" 2>&1 ||
  { cat "$work/apt-remove.log"; fail "apt-get remove"; }
for f in /usr/bin/exhibit /usr/bin/exhibit-app /usr/share/applications/Exhibit.desktop \
  /usr/share/icons/hicolor/128x128/apps/exhibit-app.png; do
  [ ! -e "$f" ] || fail "$f is still there after apt-get remove"
done
# dpkg-query fails for a package it no longer knows, which is the state wanted here.
status=$(dpkg-query -W -f='${db:Status-Abbrev}' exhibit 2>/dev/null || true)
[[ $status != ii* ]] || fail "dpkg still lists exhibit as installed"
step "removed cleanly; every check passed"
