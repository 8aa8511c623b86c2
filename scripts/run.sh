#!/usr/bin/env bash
# Builds and runs the exhibit CLI, installing what it needs first. Pass its arguments:
#   bash scripts/run.sh init my.exhibit --title "Copies of my shoe"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh"
cargo build --quiet --release --locked --manifest-path "$root/Cargo.toml" --bin exhibit
exec "$root/target/release/exhibit" "$@"
