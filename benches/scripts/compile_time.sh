#!/usr/bin/env bash
# Compile time of 200 tools written with mcp-runtime's `#[mcp_tool]` versus the same tools
# written with rmcp's macros (rmcp 3.x from crates.io).
#
#   benches/scripts/compile_time.sh [OUT_DIR]        (default: <repo>/target/compile-bench)
#
# Environment: RUNS (default 3) runs per measurement, the median is reported;
# TOOLS (default 200) tools per crate; NO_HYPERFINE=1 times with `date` even when hyperfine
# is installed.
#
# What it does:
#   1. gen_tools.py writes OUT_DIR/ours (bench-ours) and OUT_DIR/theirs (bench-rmcp), each
#      a workspace of its own, built into one target dir, OUT_DIR/target (CARGO_TARGET_DIR),
#      so dependencies are built once and /work/main/target is not locked.
#   2. Builds both once (this builds the dependencies; not measured).
#   3. For each crate, in the dev profile (what developers iterate with, incremental on):
#      clean  - `cargo clean -p <crate>` then `cargo build`: the crate alone, deps prebuilt;
#      incr   - change the body of one tool (tool_100: a constant in it) then `cargo build`
#               (after one unmeasured warm-up edit and rebuild).
#      Each RUNS times; hyperfine when installed (apt-get install -y hyperfine), else timed
#      with `date +%s.%N`.
#   4. Prints a markdown table of the medians and the ratio ours/rmcp.
#
# Needs the network once (crates.io) for rmcp's dependencies. About 5-10 minutes on 2
# cores from cold; most of it is building the dependencies in step 2.
set -euo pipefail

# `compile_time.sh --bump FILE`: give tool_100's `edit_me` constant a new value
# (used as hyperfine's --prepare command; a new value every time, so the body changes).
if [[ "${1:-}" == "--bump" ]]; then
    sed -i -E "s/let edit_me: i64 = -?[0-9]+;/let edit_me: i64 = $(date +%s%N);/" "$2"
    exit 0
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="$(mkdir -p "${1:-$REPO/target/compile-bench}" && cd "${1:-$REPO/target/compile-bench}" && pwd)"
RUNS="${RUNS:-3}"
TOOLS="${TOOLS:-200}"
export CARGO_TARGET_DIR="$OUT/target"
LOGS="$OUT/logs"
mkdir -p "$LOGS"

python3 "$HERE/gen_tools.py" --out "$OUT" --tools "$TOOLS"

declare -A DIR=([ours]="$OUT/ours" [theirs]="$OUT/theirs")
declare -A PKG=([ours]=bench-ours [theirs]=bench-rmcp)

# Make sure the incremental edit point exists before anything is measured.
for c in ours theirs; do
    grep -q 'let edit_me: i64 = ' "${DIR[$c]}/src/main.rs" || { echo "no edit point in ${DIR[$c]}" >&2; exit 1; }
done

elapsed() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.2f", a - b }'; }

echo "== building dependencies (not measured; logs in $LOGS) =="
for c in ours theirs; do
    start=$(date +%s.%N)
    if ! cargo build --manifest-path "${DIR[$c]}/Cargo.toml" >"$LOGS/prebuild-$c.log" 2>&1; then
        tail -40 "$LOGS/prebuild-$c.log" >&2
        echo "building ${PKG[$c]} failed" >&2
        exit 1
    fi
    printf '%s: %s s (with dependencies)\n' "${PKG[$c]}" "$(elapsed "$start")"
done

HYPERFINE=""
if [[ -z "${NO_HYPERFINE:-}" ]] && command -v hyperfine >/dev/null 2>&1; then HYPERFINE=hyperfine; fi

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# measure NAME WARMUP PREPARE BUILD -> prints "wall_median cpu" (cpu: mean user+sys, or "-")
measure() {
    local name="$1" warmup="$2" prepare="$3" build="$4"
    if [[ -n "$HYPERFINE" ]]; then
        hyperfine --runs "$RUNS" --warmup "$warmup" --style basic --prepare "$prepare" \
            --export-json "$LOGS/$name.json" --command-name "$name" "$build" >&2
        python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f %.2f" % (r["median"], r["user"] + r["system"]))' "$LOGS/$name.json"
    else
        local times=() i start
        for ((i = 0; i < warmup; i++)); do
            bash -c "$prepare"
            bash -c "$build" >>"$LOGS/$name.log" 2>&1
        done
        for ((i = 0; i < RUNS; i++)); do
            bash -c "$prepare"
            start=$(date +%s.%N)
            bash -c "$build" >>"$LOGS/$name.log" 2>&1
            times+=("$(elapsed "$start")")
            echo "$name run $((i + 1)): ${times[-1]} s" >&2
        done
        printf '%.2f -\n' "$(printf '%s\n' "${times[@]}" | median)"
    fi
}

declare -A CLEAN CLEAN_CPU INCR INCR_CPU
for c in ours theirs; do
    manifest="${DIR[$c]}/Cargo.toml"
    build="cargo build --quiet --manifest-path '$manifest'"
    echo "== ${PKG[$c]}: clean build of the crate (dependencies prebuilt) ==" >&2
    result=$(measure "${PKG[$c]}-clean" 0 \
        "cargo clean --quiet --manifest-path '$manifest' -p ${PKG[$c]}" "$build")
    read -r "CLEAN[$c]" "CLEAN_CPU[$c]" <<<"$result"
    cargo build --quiet --manifest-path "$manifest" # built, for the incremental runs
    echo "== ${PKG[$c]}: incremental rebuild after one tool's body changed ==" >&2
    # One unmeasured warm-up edit: the first rebuild after a from-scratch build is often
    # much slower than the next ones (cold incremental cache); developers iterate warm.
    result=$(measure "${PKG[$c]}-incremental" 1 \
        "bash '$HERE/compile_time.sh' --bump '${DIR[$c]}/src/main.rs'" "$build")
    read -r "INCR[$c]" "INCR_CPU[$c]" <<<"$result"
done

ratio() { python3 -c 'import sys; a, b = sys.argv[1:]; print("-" if "-" in (a, b) else f"{float(a) / float(b):.2f}")' "$1" "$2"; }
RMCP_VERSION=$(awk '/^name = "rmcp"$/ {getline; gsub(/"/, "", $3); print $3; exit}' "${DIR[theirs]}/Cargo.lock")

echo
echo "$TOOLS tools, dev profile (\`cargo build\`, incremental on), median of $RUNS runs; $(rustc --version), rmcp $RMCP_VERSION, $(nproc) cores"
echo
echo "| crate | clean build s | incremental s | ratio ours/rmcp |"
echo "|---|--:|--:|---|"
echo "| bench-ours (\`#[mcp_tool]\`) | ${CLEAN[ours]} | ${INCR[ours]} | clean $(ratio "${CLEAN[ours]}" "${CLEAN[theirs]}"), incremental $(ratio "${INCR[ours]}" "${INCR[theirs]}") |"
echo "| bench-rmcp (\`#[tool_router]\` + \`#[tool]\`) | ${CLEAN[theirs]} | ${INCR[theirs]} | 1 (baseline) |"
if [[ -n "$HYPERFINE" ]]; then
    echo
    echo "CPU time (user+sys, mean of $RUNS runs; less sensitive to other load on the machine):"
    echo
    echo "| crate | clean build CPU s | incremental CPU s |"
    echo "|---|--:|--:|"
    echo "| bench-ours | ${CLEAN_CPU[ours]} | ${INCR_CPU[ours]} |"
    echo "| bench-rmcp | ${CLEAN_CPU[theirs]} | ${INCR_CPU[theirs]} |"
    echo "| ratio ours/rmcp | $(ratio "${CLEAN_CPU[ours]}" "${CLEAN_CPU[theirs]}") | $(ratio "${INCR_CPU[ours]}" "${INCR_CPU[theirs]}") |"
fi
