#!/bin/sh
# Scale benchmark, interleaved (BENCHMARKS.md "Stages that waited on SQLite"): first runs of
# 500 and 2,000 simulated sites alternating, each on a new database, with both simulators
# up, so that both sizes are measured under the same machine load (the speed of a shared
# machine drifts within minutes, and `scripts/bench-scale.sh` measures one size at a time).
# Prints wall time, CPU time (user + sys) and peak RSS of each run and the 2,000 / 500 ratio
# of each round. Politeness is off (the simulator's config); no plain fetcher here.
#
# Usage: scripts/bench-interleave.sh ROUNDS [GOVSCORE_BINARY]
#   ROUNDS           rounds of (500, 2,000)
#   GOVSCORE_BINARY  default target/release/govscore (build it with `cargo build --release`)
# Environment: AS_OF (default 2023-03-15), WORK (default a new temporary folder; configs,
# databases, reports and logs are kept there). Listens on 127.0.0.1:18480 and :18490.
set -eu
rounds=${1:?usage: scripts/bench-interleave.sh ROUNDS [GOVSCORE_BINARY]}
bin=${2:-target/release/govscore}
as_of=${AS_OF:-2023-03-15}
work=${WORK:-$(mktemp -d)}
[ -x "$bin" ] || { echo "error: $bin is not an executable (cargo build --release?)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) is needed" >&2; exit 2; }
"$bin" sim --sites 500 --listen 127.0.0.1:18480 --as-of "$as_of" >"$work/c500.yaml" 2>"$work/s500.log" &
s1=$!
"$bin" sim --sites 2000 --listen 127.0.0.1:18490 --as-of "$as_of" >"$work/c2000.yaml" 2>"$work/s2000.log" &
s2=$!
trap 'kill -INT $s1 $s2 2>/dev/null || true' EXIT
i=0
until grep -q 'contact:' "$work/c500.yaml" 2>/dev/null && grep -q 'contact:' "$work/c2000.yaml" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 1200 ] || ! kill -0 $s1 2>/dev/null || ! kill -0 $s2 2>/dev/null; then
        echo "error: a simulator did not start; see $work/s500.log and $work/s2000.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "work: $work   as of: $as_of"
round=1
while [ $round -le "$rounds" ]; do
    for n in 500 2000; do
        rm -f "$work/db$n" "$work/db$n-wal" "$work/db$n-shm"
        RUST_LOG=warn /usr/bin/time -f "%e %U %S %M" -o "$work/time$n" \
            "$bin" run --config "$work/c$n.yaml" --as-of "$as_of" --db "$work/db$n" \
            --out "$work/reports$n" >"$work/out$n" 2>"$work/err$n" || true
        grep -q '^抓取统计' "$work/out$n" || { echo "error: the $n-site run printed no statistics; see $work/err$n" >&2; tail -5 "$work/err$n" >&2; exit 1; }
        read -r wall user sys rss <"$work/time$n"
        eval "wall$n=$wall"
        echo "round $round, $n sites: wall $wall s, cpu $(echo "$user + $sys" | bc) s, peak RSS $((rss / 1024)) MB, load $(cut -d' ' -f1 /proc/loadavg)"
    done
    echo "round $round: 2,000 / 500 sites = $(echo "scale=2; $wall2000 / $wall500" | bc)× the wall time"
    round=$((round + 1))
done
