#!/bin/sh
# Scale benchmark (BENCHMARKS.md "Scale"): serves N simulated sites on loopback with
# `govscore sim --sites N`, runs `govscore run` over them twice (a first run on an empty
# database, then a rerun with nothing changed), and prints wall time, CPU time, peak RSS and
# requests of each run beside the minimum of requests the simulator computes.
#
# Usage: scripts/bench-scale.sh N [GOVSCORE_BINARY]
#   N               number of sites (45 per simulated district)
#   GOVSCORE_BINARY default target/release/govscore (build it with `cargo build --release`)
# Environment: AS_OF (default 2023-03-15), LISTEN (default 127.0.0.1:18480), WORK (default
# a new temporary folder; the database, config and reports are kept there).
set -eu
n=${1:?usage: scripts/bench-scale.sh N [GOVSCORE_BINARY]}
bin=${2:-target/release/govscore}
as_of=${AS_OF:-2023-03-15}
listen=${LISTEN:-127.0.0.1:18480}
work=${WORK:-$(mktemp -d)}
[ -x "$bin" ] || { echo "error: $bin is not an executable (cargo build --release?)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) is needed" >&2; exit 2; }

"$bin" sim --sites "$n" --listen "$listen" --as-of "$as_of" >"$work/config.yaml" 2>"$work/sim.log" &
sim=$!
trap 'kill -INT $sim 2>/dev/null || true' EXIT
# The config is printed once every district listens.
i=0
until grep -q '^crawl:' "$work/config.yaml" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 $sim 2>/dev/null; then
        echo "error: the simulator did not start; see $work/sim.log" >&2
        cat "$work/sim.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "sites: $n   as of: $as_of   work: $work"
sed -n 's/^\(最少请求数.*\)$/minimum: \1/p' "$work/sim.log"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in first rerun; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/$run.time" \
        "$bin" run --config "$work/config.yaml" --as-of "$as_of" --db "$work/govscore.db" \
        --out "$work/reports-$run" >"$work/$run.out" 2>"$work/$run.err" || true
    read -r wall user sys rss <"$work/$run.time"
    requests=$(sed -n 's/^抓取统计：请求 \([0-9]*\) 次.*/\1/p' "$work/$run.out")
    echo "$run: wall ${wall} s, cpu $(echo "$user + $sys" | bc) s (user $user, sys $sys), peak RSS $((rss / 1024)) MB, requests ${requests:-?}"
    grep '^抓取统计' "$work/$run.out" || { echo "error: the $run run printed no statistics; see $work/$run.err" >&2; tail -5 "$work/$run.err" >&2; }
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
