#!/usr/bin/env bash
# Runs every check and test. Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PYTHONPATH="$PWD/target/pydeps${PYTHONPATH:+:$PYTHONPATH}"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo build --workspace --locked --bin exhibit
cargo test --workspace --locked "$@"
