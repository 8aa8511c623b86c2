#!/usr/bin/env bash
# Builds and runs Exhibit, installing what it needs first.
#   bash scripts/run.sh                  opens the desktop app
#   bash scripts/run.sh cli ARGS…        runs the `exhibit` command-line tool, e.g.
#   bash scripts/run.sh cli init my.exhibit --title "Copies of my shoe"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh"
if [ "${1:-}" = "cli" ]; then
  shift
  cargo build --quiet --release --locked --manifest-path "$root/Cargo.toml" --bin exhibit
  exec "$root/target/release/exhibit" "$@"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "exhibit: the app needs a desktop session (no DISPLAY is set). Run it from your desktop, or use 'bash scripts/run.sh cli --help' for the command-line tool." >&2
  exit 2
fi
cargo build --quiet --release --locked --manifest-path "$root/Cargo.toml" --bin exhibit-app
exec "$root/target/release/exhibit-app" "$@"
