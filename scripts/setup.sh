#!/usr/bin/env bash
# Installs everything Exhibit needs to build, run and test on a fresh Debian 12 machine.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages. A C toolchain and perl build SQLCipher with its vendored OpenSSL;
# binutils gives the tests `strings`; python3 runs the SQLCipher 4 peer check.
# chromium renders pages in browser mode (never downloaded at run time), with
# fonts-noto-cjk for Chinese, Japanese and Korean listings and libnss3-tools for the
# per-case certificate store; poppler-utils and qpdf check PDFs in the tests; xvfb and
# xauth give the tests of the visible browser (`exhibit browse`) a private display.
# The desktop app (Tauri 2) needs WebKitGTK and its friends; webkit2gtk-driver is the
# WebDriver server its end-to-end test drives the real window through.
apt_packages=(build-essential pkg-config perl make binutils python3 python3-pip ca-certificates curl openssl
  chromium fonts-noto-cjk libnss3-tools poppler-utils qpdf xvfb xauth unzip
  libwebkit2gtk-4.1-dev libssl-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Rust: the toolchain comes from rustup; fmt and clippy are part of the checks.
if ! command -v cargo >/dev/null 2>&1; then
  echo "exhibit: install Rust first (https://rustup.rs), then run this again." >&2
  exit 2
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

# Python's sqlcipher3-binary is the SQLCipher 4 peer the tests open case files with.
# It goes into target/pydeps, never into the system Python.
if ! PYTHONPATH=target/pydeps python3 -c "import sqlcipher3" >/dev/null 2>&1; then
  mkdir -p target
  python3 -m pip install --quiet --disable-pip-version-check --target target/pydeps "sqlcipher3-binary==0.6.0" \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages --target target/pydeps "sqlcipher3-binary==0.6.0"
fi

# py-wacz and warcio are the reference tools of web archiving: the WACZ tests validate
# exports with `wacz validate` and `warcio check`, and build imports with warcio's
# WARCWriter and `wacz create`. Also into target/pydeps.
if ! PYTHONPATH=target/pydeps python3 -c "import wacz.main, warcio.cli" >/dev/null 2>&1; then
  mkdir -p target
  python3 -m pip install --quiet --disable-pip-version-check --target target/pydeps "wacz==0.6.0" "warcio==1.8.1" \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages --target target/pydeps "wacz==0.6.0" "warcio==1.8.1"
fi

# tauri-driver bridges WebDriver to WebKitWebDriver for the app's end-to-end test. It is
# built once into target/tools, never into the user's ~/.cargo.
TAURI_DRIVER_VERSION=2.1.0
if [ ! -x target/tools/bin/tauri-driver ]; then
  CARGO_TARGET_DIR=target/tools-build cargo install --quiet --debug --locked tauri-driver --version "$TAURI_DRIVER_VERSION" --root target/tools
  rm -rf target/tools-build
fi

# The app's web UI: Node.js 20 and npm come with the machine; packages from the npm
# registry, exactly as package-lock.json pins them. Built into ui/dist, which the app
# embeds when it is compiled.
if ! command -v npm >/dev/null 2>&1; then
  echo "exhibit: the desktop app's UI needs Node.js 20 and npm; install them, then run this again." >&2
  exit 2
fi
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  npm ci --prefix ui --no-audit --no-fund --loglevel=error
fi
npm run --prefix ui --silent build >/dev/null
