#!/usr/bin/env bash
# Installs everything Exhibit needs to build, run and test on a fresh Debian 12 machine.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "exhibit: $*" >&2
  exit 2
}

# Root runs apt-get itself (CI, containers); anyone else goes through sudo, if there is one.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "installing system packages needs root: run this as root, or install sudo, then run it again."
  fi
}

# The UI's tooling decides the Node.js it needs: Vite 7 and @sveltejs/vite-plugin-svelte 6
# want 20.19 or later (22.12 on 22), jsdom 29 and Vitest 4 want 22.13 on 22 and an even
# major, so 20.19+, 22.13+ or 24+ (see "engines" in ui/node_modules/*/package.json; the
# UI's own engines field in ui/package.json says the same). Checked before anything is
# installed, so an old Node.js costs nothing but this one sentence.
node_help="install it from NodeSource (https://github.com/nodesource/distributions) or with nvm (nvm install 22), then run this again"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  die "the desktop app's UI needs Node.js 20.19 or later with npm; $node_help."
node_version=$(node --version)
IFS=. read -r node_major node_minor _ <<<"${node_version#v}"
case "$node_major.$node_minor" in
  20.* ) [ "$node_minor" -ge 19 ] ;;
  22.* ) [ "$node_minor" -ge 13 ] ;;
  *) [ "$node_major" -ge 24 ] ;;
esac 2>/dev/null ||
  die "the UI's tooling needs Node.js 20.19 or later (22.13 or later on 22, or 24 and later) but this machine has $node_version; $node_help."

# System packages. A C toolchain and perl build SQLCipher with its vendored OpenSSL;
# binutils gives the tests `strings`; python3 runs the SQLCipher 4 peer check.
# chromium renders pages in browser mode (never downloaded at run time), a batch no one
# watches on chromium-headless-shell of the same version (less memory; optional), with
# fonts-noto-cjk for Chinese, Japanese and Korean listings and libnss3-tools for the
# per-case certificate store; poppler-utils and qpdf check PDFs in the tests; xvfb and
# xauth give the tests of the visible browser (`exhibit browse`) a private display.
# The desktop app (Tauri 2) needs WebKitGTK and its friends; webkit2gtk-driver is the
# WebDriver server its end-to-end test drives the real window through. zstd is the
# reference tool the tests read a compressed artifact out of a case with, as someone
# without Exhibit would; libjpeg-turbo-progs gives `djpeg`, the reference decoder the
# picture hash's DC-only JPEG reader is checked against.
apt_packages=(build-essential pkg-config perl make binutils python3 python3-pip ca-certificates curl openssl
  chromium chromium-headless-shell fonts-noto-cjk libnss3-tools poppler-utils qpdf xvfb xauth unzip zstd
  libjpeg-turbo-progs
  libwebkit2gtk-4.1-dev libssl-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver)
missing=()
for p in "${apt_packages[@]}"; do
  # dpkg-query fails for a package it has never heard of: that is "missing", not an error.
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if ((${#missing[@]})); then
  as_root apt-get update -qq || die "apt-get update failed (see above); check the network and /etc/apt/sources.list, then run this again."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    die "apt-get could not install ${missing[*]} (see above)."
fi

# Rust: the toolchain comes from rustup; fmt and clippy are part of the checks.
# rust-toolchain.toml names the channel and these components; rustup adds them only
# when `cargo fmt` or `cargo clippy` cannot run, so a second run asks nothing of the network.
command -v cargo >/dev/null 2>&1 || die "install Rust first (https://rustup.rs), then run this again."
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  command -v rustup >/dev/null 2>&1 ||
    die "cargo fmt and cargo clippy are missing and there is no rustup to add them; install Rust with rustup (https://rustup.rs), then run this again."
  rustup component add rustfmt clippy || die "rustup could not add rustfmt and clippy (see above)."
fi

# pip installs Python packages into target/pydeps. A pip that still refuses with
# "externally-managed-environment" (PEP 668) although --target never touches the system
# Python is asked once more with --break-system-packages; any other failure stops here.
pip_into_pydeps() {
  local err
  mkdir -p target
  err=$(python3 -m pip install --quiet --disable-pip-version-check --target target/pydeps "$@" 2>&1) && return 0
  if grep -q "externally-managed-environment" <<<"$err"; then
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages --target target/pydeps "$@" ||
      die "pip could not install $* into target/pydeps (see above)."
  else
    echo "$err" >&2
    die "pip could not install $* into target/pydeps (see above); python3 -m pip must work (Debian: apt-get install python3-pip)."
  fi
}

# Python's sqlcipher3-binary is the SQLCipher 4 peer the tests open case files with.
# It goes into target/pydeps, never into the system Python.
if ! PYTHONPATH=target/pydeps python3 -c "import sqlcipher3" >/dev/null 2>&1; then
  pip_into_pydeps "sqlcipher3-binary==0.6.0"
fi

# py-wacz and warcio are the reference tools of web archiving: the WACZ tests validate
# exports with `wacz validate` and `warcio check`, and build imports with warcio's
# WARCWriter and `wacz create`. Also into target/pydeps.
if ! PYTHONPATH=target/pydeps python3 -c "import wacz.main, warcio.cli" >/dev/null 2>&1; then
  pip_into_pydeps "wacz==0.6.0" "warcio==1.8.1"
fi

# tauri-driver bridges WebDriver to WebKitWebDriver for the app's end-to-end test. It is
# built once into target/tools, never into the user's ~/.cargo.
TAURI_DRIVER_VERSION=2.1.0
if [ ! -x target/tools/bin/tauri-driver ]; then
  CARGO_TARGET_DIR=target/tools-build cargo install --quiet --debug --locked tauri-driver --version "$TAURI_DRIVER_VERSION" --root target/tools ||
    die "cargo could not build tauri-driver $TAURI_DRIVER_VERSION (see above)."
  rm -rf target/tools-build
fi

# The app's web UI: Node.js (checked at the top) and npm come with the machine; packages
# from the npm registry, exactly as package-lock.json pins them. Built into ui/dist, which
# the app embeds when it is compiled.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  npm ci --prefix ui --no-audit --no-fund --loglevel=error || die "npm could not install the UI's packages (see above)."
fi
npm run --prefix ui --silent build >/dev/null || die "the UI did not build (npm run build --prefix ui shows why)."
