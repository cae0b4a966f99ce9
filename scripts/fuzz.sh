#!/usr/bin/env bash
# Builds the cargo-fuzz targets in fuzz/ and runs each for FUZZ_SECONDS seconds (default
# 45) from a scratch copy of its seed corpus, so runs never write into fuzz/corpus/.
# Exits non-zero if any target crashes, panics, hangs (10 s on one input) or runs out of
# memory; the input that did it is kept in fuzz/artifacts/<target>/.
#
#   FUZZ_SECONDS=600 scripts/fuzz.sh                  # longer runs
#   FUZZ_TARGETS="uri_template" scripts/fuzz.sh       # some targets only
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a uri_template artifacts/uri_template/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-45}"
read -r -a targets <<< "${FUZZ_TARGETS:-jsonrpc_raw jsonrpc_structured uri_template tool_arguments http_requests}"

# cargo-fuzz passes nightly-only flags to rustc; this lets the stable toolchain take them.
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if ! cargo fuzz --version > /dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

cd fuzz
# No sanitizer: the crates under test forbid `unsafe`, and without ASan both the build and
# the runs are several times faster. Debug assertions on: arithmetic overflow is a crash.
flags=(--sanitizer none --debug-assertions)
cargo fuzz build "${flags[@]}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in "${targets[@]}"; do
  mkdir -p "$scratch/$target"
  cp corpus/"$target"/* "$scratch/$target/"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
  case "$target" in
    jsonrpc_raw) options+=(-dict=jsonrpc.dict -max_len=4096) ;;
    uri_template) options+=(-max_len=1024) ;;
    http_requests) options+=(-max_len=8192) ;;
  esac
  log="$scratch/$target.log"
  if cargo fuzz run "${flags[@]}" "$target" "$scratch/$target" -- "${options[@]}" > "$log" 2>&1; then
    summary="$(grep -E '^Done [0-9]+ runs' "$log" || true)"
    echo "fuzz $target: ok (${summary:-no summary}, $(find "$scratch/$target" -type f | wc -l) inputs in the corpus)"
  else
    echo "fuzz $target: FAILED; the end of its log:" >&2
    tail -n 60 "$log" >&2
    failed+=("$target")
  fi
done

if ((${#failed[@]})); then
  echo "fuzz targets that failed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
