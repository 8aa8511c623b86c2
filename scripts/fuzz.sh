#!/usr/bin/env bash
# Fuzzes every parser that takes bytes from outside (see fuzz/README.md).
#
#   bash scripts/fuzz.sh SECONDS [TARGET...]  run each target (default: all) for SECONDS,
#                                             one after another (all at once, at the
#                                             lowest priority, with
#                                             EXHIBIT_FUZZ_PARALLEL=1); exit 1 on any
#                                             crash, naming the crashing input
#   bash scripts/fuzz.sh seed                 rebuild the seeds from the fixtures and the
#                                             tests' hostile cases, merge them into the
#                                             committed corpora and minimise those
#   bash scripts/fuzz.sh cmin [TARGET...]     minimise the committed corpora again
#
# cargo-fuzz is installed into target/tools on first use, pinned. libFuzzer's -Z flags
# need a nightly compiler; this machine has stable only, so RUSTC_BOOTSTRAP=1 lets the
# stable compiler take them (for the fuzz crate only, which lives outside the workspace
# in fuzz/). Targets run under AddressSanitizer with debug assertions, a 10 s limit on
# one input and a 2 GiB limit on memory. New inputs a run finds go to
# fuzz/target/corpus/TARGET, never into the committed fuzz/corpus/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

TARGETS=(extract bundle wacz complaint tsa url_list snap_request)
CARGO_FUZZ_VERSION=0.13.2

export RUSTC_BOOTSTRAP=1
# The TSA target links OpenSSL: use the system's (libssl-dev, from scripts/setup.sh)
# rather than compiling the vendored copy again for the fuzz build.
export OPENSSL_NO_VENDOR=1

cargo_fuzz="$root/target/tools/bin/cargo-fuzz"
if [ ! -x "$cargo_fuzz" ]; then
  echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION into target/tools" >&2
  CARGO_TARGET_DIR="$root/target/tools-build" cargo install --quiet --locked cargo-fuzz \
    --version "$CARGO_FUZZ_VERSION" --root "$root/target/tools"
  rm -rf "$root/target/tools-build"
fi

dict_for() {
  case "$1" in
    extract) echo "fuzz/dict/html.dict" ;;
    bundle) echo "fuzz/dict/zip.dict" ;;
    wacz) echo "fuzz/dict/wacz.dict" ;;
    complaint) echo "fuzz/dict/toml.dict" ;;
    tsa) echo "fuzz/dict/der.dict" ;;
    url_list) echo "fuzz/dict/csv.dict" ;;
    snap_request) echo "fuzz/dict/snap.dict" ;;
  esac
}

build() {
  echo "fuzz: building the targets (fuzz/target)" >&2
  "$cargo_fuzz" build --debug-assertions
}

# The targets are run as the binaries cargo-fuzz built (what `cargo fuzz run` does after
# checking the build again, which costs seconds a target), with the options it passes.
bin="fuzz/target/x86_64-unknown-linux-gnu/release"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}"
# The bundle and WACZ targets write each input to a file here (in memory where /dev/shm is).
EXHIBIT_FUZZ_SCRATCH="$(mktemp -d -p "$([ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")" exhibit-fuzz.XXXXXX)"
export EXHIBIT_FUZZ_SCRATCH
trap 'rm -rf "$EXHIBIT_FUZZ_SCRATCH"' EXIT

# The longest input: real pages are large, and a page's first 32 KiB hold most of what
# the extractor reads (head, canonical, JSON-LD, title). The committed corpus keeps the
# first 16 KiB of each page (5 % fewer edges than 32 KiB, a third of the size).
max_len() {
  case "$1" in
    extract) echo "-max_len=32768" ;;
  esac
}
cmin_max_len() {
  case "$1" in
    extract) echo "-max_len=16384" ;;
  esac
}

# libFuzzer's options for every run: limits, and the target's dictionary.
options() {
  echo "-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -dict=$(dict_for "$1") $(max_len "$1")"
}

run() {
  local seconds=$1
  shift
  local targets=("$@")
  ((${#targets[@]})) || targets=("${TARGETS[@]}")
  build
  local failed=0 summary="fuzz/target/summary.tsv"
  mkdir -p fuzz/target
  printf 'target\tseconds\truns\texec_per_s\tcov\tft\tcorpus\tpeak_rss_mb\tresult\n' >"$summary"
  # EXHIBIT_FUZZ_PARALLEL=1 runs every target at once, at the lowest priority, so a
  # long campaign soaks up only the cores nothing else wants; each target still gets
  # its SECONDS of wall time (its CPU time is in its log's stats).
  if [ "${EXHIBIT_FUZZ_PARALLEL:-0}" = 1 ]; then
    local pids=()
    for t in "${targets[@]}"; do
      mkdir -p "fuzz/target/corpus/$t" "fuzz/corpus/$t" "fuzz/artifacts/$t"
      echo "fuzz: $t for ${seconds}s, in parallel" >&2
      # shellcheck disable=SC2046
      ( start=$SECONDS status=0
        nice -n 19 "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" $(options "$t") \
          -max_total_time="$seconds" "fuzz/target/corpus/$t" "fuzz/corpus/$t" \
          >"fuzz/target/$t.log" 2>&1 || status=$?
        echo "$status $((SECONDS - start))" >"fuzz/target/$t.status" ) &
      pids+=("$!")
    done
    # Each job records its own exit status in fuzz/target/<target>.status, read below;
    # wait's own status (the last job's) would say less.
    wait "${pids[@]}" || true
  fi
  for t in "${targets[@]}"; do
    local work="fuzz/target/corpus/$t" log="fuzz/target/$t.log"
    mkdir -p "$work" "fuzz/corpus/$t" "fuzz/artifacts/$t"
    local start=$SECONDS status=0 took
    if [ "${EXHIBIT_FUZZ_PARALLEL:-0}" = 1 ]; then
      read -r status took <"fuzz/target/$t.status"
    else
      echo "fuzz: $t for ${seconds}s" >&2
      # shellcheck disable=SC2046
      "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" $(options "$t") -max_total_time="$seconds" \
        "$work" "fuzz/corpus/$t" >"$log" 2>&1 || status=$?
      took=$((SECONDS - start))
    fi
    local last runs eps cov ft corp rss result=ok
    # A target that crashed before its first progress line has none: cov and the rest stay empty.
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
    if [ "$status" -ne 0 ]; then
      failed=1
      result=crash
      local unit
      unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
      # The log's first error lines; a log may have none (a timeout or out-of-memory exit).
      grep -E 'panicked at|ERROR: (AddressSanitizer|libFuzzer)|==ERROR|SUMMARY' "$log" | head -5 >&2 || true
      echo "fuzz: $t FAILED (exit $status); crashing input: ${unit:-none written, see $log}" >&2
      echo "fuzz: reproduce with: $bin/$t ${unit:-}" >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$took" "${runs:-?}" "${eps:-?}" \
      "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$result" >>"$summary"
  done
  column -t -s $'\t' "$summary" >&2 || cat "$summary" >&2
  return "$failed"
}

# Minimises the committed corpus of each target: what the corpus and any new inputs in
# fuzz/target/corpus/TARGET or fuzz/target/seeds/TARGET cover, in the fewest inputs.
cmin() {
  local targets=("$@")
  ((${#targets[@]})) || targets=("${TARGETS[@]}")
  build
  for t in "${targets[@]}"; do
    local merged="fuzz/target/merged/$t"
    rm -rf "$merged"
    mkdir -p "$merged" "fuzz/corpus/$t" "fuzz/target/corpus/$t" "fuzz/target/seeds/$t"
    echo "fuzz: minimising the corpus of $t" >&2
    # Edges only (no hit counts), greedy set cover: the fewest inputs that reach every
    # edge the corpus and the new inputs reach.
    # shellcheck disable=SC2046
    "$bin/$t" -set_cover_merge=1 -use_counters=0 -rss_limit_mb=2048 -timeout=10 \
      $(cmin_max_len "$t") "$merged" \
      "fuzz/corpus/$t" "fuzz/target/seeds/$t" "fuzz/target/corpus/$t" \
      >"fuzz/target/$t.cmin.log" 2>&1 || {
      tail -20 "fuzz/target/$t.cmin.log" >&2
      return 1
    }
    rm -rf "fuzz/corpus/$t"
    mkdir -p "fuzz/corpus/$t"
    # Content-named files, so a rerun gives the same names.
    for f in "$merged"/*; do
      [ -e "$f" ] || continue
      cp "$f" "fuzz/corpus/$t/$(sha1sum "$f" | cut -c1-40)"
    done
    echo "fuzz: $t: $(ls "fuzz/corpus/$t" | wc -l) inputs, $(du -sh "fuzz/corpus/$t" | cut -f1)" >&2
  done
}

# Writes fuzz/target/seeds/TARGET from the real fixtures, the examples, and the hostile
# cases the tests build, then minimises each corpus with them.
seed() {
  local fixtures="${EXHIBIT_FIXTURES:-$root/tests/fixtures}"
  local out="fuzz/target/seeds"
  rm -rf "$out"
  mkdir -p "$out"/{extract,bundle,wacz,complaint,tsa,url_list,snap_request}
  [ -d "$fixtures/real-pages" ] || {
    echo "fuzz: no fixtures at $fixtures (set EXHIBIT_FIXTURES)" >&2
    exit 2
  }
  echo "fuzz: seeding from $fixtures, examples/ and the tests' hostile cases" >&2
  python3 fuzz/seed/pages.py "$fixtures/real-pages" "$out/extract"
  cp "$fixtures"/wacz/*.wacz "$out/wacz/"
  cp examples/*.toml "$out/complaint/"
  # The committed root (fuzz/tsa/ca.pem) signed the trusted tokens of the committed
  # corpus; a fresh PKI's tokens are untrusted ones, worth having too.
  bash fuzz/tsa/make-pki.sh "$out/tsa"
  CARGO_TARGET_DIR="$root/fuzz/target/seed" cargo run --quiet --locked \
    --manifest-path fuzz/seed/Cargo.toml -- "$out"
  python3 fuzz/seed/small.py "$out"
  cmin
}

case "${1:-}" in
  seed) seed ;;
  cmin) shift; cmin "$@" ;;
  '' | -h | --help)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
  *)
    [[ "$1" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a number" >&2; exit 2; }
    run "$@"
    ;;
esac
