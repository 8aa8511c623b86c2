#!/usr/bin/env bash
# Builds the release app and CLI and writes the Linux packages:
#   target/packages/exhibit_<version>_amd64.deb      (Debian, Ubuntu: apt-get install ./…)
#   target/packages/exhibit-<version>-1.x86_64.rpm   (Fedora, openSUSE: dnf install ./…)
# through Tauri's bundler. Each installs the app (/usr/bin/exhibit-app, its desktop entry
# and icons), the `exhibit` CLI as /usr/bin/exhibit, and declares what they need
# (WebKitGTK, Chromium or Chrome, the Noto CJK fonts, NSS's certutil), so the package
# manager installs those too. No AppImage: Tauri's AppImage bundler downloads its tools
# (linuxdeploy, AppRun) from GitHub while it builds, which this offline build refuses.
#
# The version is the workspace's (Cargo.toml [workspace.package]); the commit comes from
# git (crates/exhibit-cli/build_commit.rs). A release build of both binaries takes
# 20 to 40 minutes on two cores the first time, seconds after that.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh # system packages, the UI built into ui/dist

# The Tauri CLI, for its bundler: prebuilt from npm, pinned, into target/tools (as
# setup.sh keeps tauri-driver there), never into the user's own folders.
TAURI_CLI_VERSION=2.12.6
tauri=target/tools/tauri-cli/node_modules/.bin/tauri
if ! "$tauri" --version 2>/dev/null | grep -qx "tauri-cli $TAURI_CLI_VERSION"; then
  mkdir -p target/tools/tauri-cli
  npm install --prefix target/tools/tauri-cli --no-save --no-audit --no-fund --loglevel=error \
    "@tauri-apps/cli@$TAURI_CLI_VERSION"
fi

version=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="exhibit-cli"))')

start=$(date +%s)
cargo build --release --locked -p exhibit-app -p exhibit-cli --bins
echo "package: release build took $(($(date +%s) - start)) s"

# The release profile keeps line tables for backtraces (hundreds of MB across the
# dependencies); the packaged binaries carry symbols but no debug info.
strip --strip-debug target/release/exhibit target/release/exhibit-app

actual=$(target/release/exhibit --version)
case $actual in
  "exhibit $version ("*")") echo "package: $actual" ;;
  *) echo "package: the CLI says '$actual', expected version $version" >&2; exit 1 ;;
esac
# In a shared checkout HEAD can move while the build runs; the binaries then name the
# commit the build started from.
head=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ $actual == *"($head)" ]] || echo "package: note: HEAD is now $head; rerun to build it"

start=$(date +%s)
# tauri.conf.json lives at the root; the CLI finds it through src-tauri/ (DEPENDENCIES.md).
TAURI_APP_PATH=src-tauri "$tauri" bundle --bundles deb,rpm
echo "package: bundling took $(($(date +%s) - start)) s"

mkdir -p target/packages
deb=target/packages/exhibit_${version}_amd64.deb
rpm=target/packages/exhibit-${version}-1.x86_64.rpm
cp "target/release/bundle/deb/Exhibit_${version}_amd64.deb" "$deb"
cp "target/release/bundle/rpm/Exhibit-${version}-1.x86_64.rpm" "$rpm"
ls -l "$deb" "$rpm"
