#!/usr/bin/env bash
# Runs every check and test. Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# One build, run once: cargo's incremental caches would only fill the disk (several GB for
# this workspace's test binaries; a CI run once stopped with "No space left on device").
# Set CARGO_INCREMENTAL=1 to keep them while editing.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export PYTHONPATH="$PWD/target/pydeps${PYTHONPATH:+:$PYTHONPATH}"
# Chromium (and its headless shell) with every outside name failing at once (see the
# scripts there): the real pages' third-party requests then end as on a machine without
# network, not after a varying wait.
export PATH="$PWD/scripts/offline-browsers:$PATH"
# The UI: type and accessibility checks, then its unit tests (setup.sh built it).
npm run --prefix ui --silent check
npm test --prefix ui --silent
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked "$@"
# A short fuzzing smoke: every fuzz target for a few seconds over its committed corpus
# (scripts/fuzz.sh; the long campaign's figures are in docs/BENCHMARKS.md).
bash scripts/fuzz.sh "${EXHIBIT_FUZZ_SECONDS:-5}"
