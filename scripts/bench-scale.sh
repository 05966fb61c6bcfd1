#!/bin/sh
# Scale benchmark (BENCHMARKS.md "Scale"): serves N simulated sites on loopback with
# `govscore sim --sites N`, runs `govscore run` over them twice (a first run on an empty
# database, then a rerun with nothing changed), and prints wall time, CPU time, peak RSS and
# requests of each run beside the minimum of requests the simulator computes. Then a plain
# fetcher (curl, one process, `--parallel` with govscore's global concurrency) fetches
# exactly the requests govscore's first run sent (logged with
# `RUST_LOG=govscore::request=trace`: every hop, retry and robots.txt; POST bodies too),
# and its wall time is printed beside govscore's with the ratio.
#
# Usage: scripts/bench-scale.sh N [GOVSCORE_BINARY]   (PAIRS=k: see the end of this script)
#   N               number of sites (45 per simulated district)
#   GOVSCORE_BINARY default target/release/govscore (build it with `cargo build --release`)
# Environment: AS_OF (default 2023-03-15), LISTEN (default 127.0.0.1:18480), WORK (default
# a new temporary folder; the database, config, request list and reports are kept there),
# POLITE=1 (run with govscore's default politeness instead of politeness off — the crawl
# settings of the simulator's config are removed, so delay_ms 500, per_host_concurrency 2,
# global_concurrency 16 apply — and print a projection to SITES (default 14000) sites
# assuming LATENCY seconds (default 0.3) per request on real hosts; the plain fetcher is
# then skipped: it has no delay to compare with).
set -eu
n=${1:?usage: scripts/bench-scale.sh N [GOVSCORE_BINARY]}
bin=${2:-target/release/govscore}
as_of=${AS_OF:-2023-03-15}
listen=${LISTEN:-127.0.0.1:18480}
work=${WORK:-$(mktemp -d)}
polite=${POLITE:-0}
[ -x "$bin" ] || { echo "error: $bin is not an executable (cargo build --release?)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) is needed" >&2; exit 2; }
if [ "$polite" != 1 ]; then
    command -v curl >/dev/null || { echo "error: curl is needed for the plain-fetcher comparison" >&2; exit 2; }
fi

"$bin" sim --sites "$n" --listen "$listen" --as-of "$as_of" >"$work/config.yaml" 2>"$work/sim.log" &
sim=$!
trap 'kill -INT $sim 2>/dev/null || true' EXIT
# The config is printed once every district listens.
i=0
until grep -q '^crawl:' "$work/config.yaml" 2>/dev/null && grep -q 'contact:' "$work/config.yaml"; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 $sim 2>/dev/null; then
        echo "error: the simulator did not start; see $work/sim.log" >&2
        cat "$work/sim.log" >&2
        exit 1
    fi
    sleep 0.1
done
if [ "$polite" = 1 ]; then
    # The defaults of `crawl` (src/config/types.rs) apply once the simulator's are removed.
    sed -i '/^  \(delay_ms\|per_host_concurrency\|global_concurrency\):/d' "$work/config.yaml"
fi
echo "sites: $n   as of: $as_of   work: $work"
echo "crawl settings: $(sed -n '/^crawl:/,$p' "$work/config.yaml" | sed 1d | tr -s ' \n' ' ')(unset ones: delay_ms 500, per_host_concurrency 2, global_concurrency 16)"
sed -n 's/^\(最少请求数.*\)$/minimum: \1/p' "$work/sim.log"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in first rerun; do
    # The first run logs each request it sends, for the plain fetcher below.
    log=warn
    [ "$run" = first ] && log=warn,govscore::request=trace
    RUST_LOG=$log /usr/bin/time -f "%e %U %S %M" -o "$work/$run.time" \
        "$bin" run --config "$work/config.yaml" --as-of "$as_of" --db "$work/govscore.db" \
        --out "$work/reports-$run" >"$work/$run.out" 2>"$work/$run.err" || true
    read -r wall user sys rss <<EOF
$(tail -1 "$work/$run.time")
EOF
    eval "${run}_wall=$wall"
    requests=$(sed -n 's/^抓取统计：请求 \([0-9]*\) 次.*/\1/p' "$work/$run.out")
    eval "${run}_requests=${requests:-0}"
    echo "$run: wall ${wall} s, cpu $(echo "$user + $sys" | bc) s (user $user, sys $sys), peak RSS $((rss / 1024)) MB, requests ${requests:-?}"
    grep '^抓取统计' "$work/$run.out" || { echo "error: the $run run printed no statistics; see $work/$run.err" >&2; tail -5 "$work/$run.err" >&2; }
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# What failed in the first run, by reason (the store records every fetch failure).
if command -v sqlite3 >/dev/null; then
    echo "fetch failures recorded by the first run (reason: count):"
    sqlite3 "$work/govscore.db" \
        "SELECT '  ' || reason || ': ' || COUNT(*) FROM fetch_failures WHERE run_id = 1 GROUP BY reason ORDER BY 1"
fi

sed -n 's/^.*govscore::request: //p' "$work/first.err" >"$work/requests.txt"
if [ "$polite" = 1 ]; then
    sites=${SITES:-14000}
    latency=${LATENCY:-0.3}
    # Global bound: requests × latency / 16 in flight. Host bound: a host's requests × 0.5 s
    # (one start per 0.5 s per host); the busiest host of the simulated district is the
    # shared one, whose share of the requests is measured from the request log.
    busiest=$(awk '{print $2}' "$work/requests.txt" | sed 's|^\(https\?://[^/]*\).*|\1|' | sort | uniq -c | sort -rn | head -1 | awk '{print $1}')
    total=$(wc -l <"$work/requests.txt")
    echo "polite run: ${first_requests} requests, $(echo "scale=1; $first_requests / $n" | bc) per site; rerun ${rerun_requests}, $(echo "scale=1; $rerun_requests / $n" | bc) per site; busiest host ${busiest} of ${total} requests"
    # Screening and link checks (on by default) add to the crawl's requests on a first run.
    echo "$sites sites, first, all requests (crawl, screening, link checks: $total for this district): $(echo "scale=0; $sites * $total / $n" | bc) requests; global bound (16 in flight, ${latency} s each) $(echo "scale=0; $sites * $total / $n * $latency / 16 / 60" | bc) min; host bound $(echo "scale=1; $busiest * 0.5 / 60" | bc) min"
    for run in first rerun; do
        eval "req=\$${run}_requests"
        echo "$sites sites, $run: $(echo "scale=0; $sites * $req / $n" | bc) requests; global bound (16 in flight, ${latency} s each) $(echo "scale=0; $sites * $req / $n * $latency / 16 / 60" | bc) min; host bound (0.5 s between starts, districts as simulated: ${busiest}/${total} of a district's requests on its busiest host, districts in parallel) $(echo "scale=1; $req * $busiest / $total * 0.5 / 60" | bc) min"
    done
    exit 0
fi

# The plain fetcher: one curl, the same requests, the same global concurrency.
concurrency=$(sed -n 's/^  global_concurrency: *\([0-9]*\).*/\1/p' "$work/config.yaml")
concurrency=${concurrency:-16}
# Options after `next` start afresh, so each request carries its own.
awk '{
    url = $2; body = $3;
    gsub(/["\\]/, "\\\\&", url); gsub(/["\\]/, "\\\\&", body);
    if (NR > 1) print "next";
    printf "url = \"%s\"\noutput = \"/dev/null\"\nsilent\nwrite-out = \"%%{http_code} %%{url_effective}\\n\"\n", url;
    if ($1 == "POST") printf "data = \"%s\"\n", body;
}' "$work/requests.txt" >"$work/curl.conf"
echo "load before curl: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e %U %S" -o "$work/curl.time" \
    curl --parallel --parallel-max "$concurrency" --config "$work/curl.conf" >"$work/curl.codes" 2>"$work/curl.err" || true
read -r cwall cuser csys <<EOF
$(tail -1 "$work/curl.time")
EOF
echo "curl (--parallel-max $concurrency, the first run's $(wc -l <"$work/requests.txt") requests): wall ${cwall} s, cpu $(echo "$cuser + $csys" | bc) s; statuses: $(awk '{print $1}' "$work/curl.codes" | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
echo "requests not answered 2xx (URL, status):"
grep -v '^2' "$work/curl.codes" | awk '{print "  " $2 " " $1}' | sort
echo "govscore first run / curl: $(echo "scale=1; $first_wall / $cwall" | bc)× the wall time; rerun / first run: $(echo "scale=1; 100 * $rerun_wall / $first_wall" | bc) % of the wall, $(echo "scale=1; 100 * $rerun_requests / $first_requests" | bc) % of the requests"

# PAIRS=k (k > 1): k − 1 more pairs of (a first run on a new database, curl on the same
# requests), one after the other, so that the rate is compared under the same machine load
# (a shared machine's speed drifts within minutes); each pair's ratio and the median of all
# pairs' ratios (the pair above included) are printed.
pairs=${PAIRS:-1}
[ "$pairs" -gt 1 ] || exit 0
echo "$first_wall / $cwall" | bc -l >"$work/ratios"
p=2
while [ $p -le "$pairs" ]; do
    rm -f "$work/pair.db" "$work/pair.db-wal" "$work/pair.db-shm"
    RUST_LOG=warn /usr/bin/time -f "%e %U %S %M" -o "$work/pair.time" \
        "$bin" run --config "$work/config.yaml" --as-of "$as_of" --db "$work/pair.db" \
        --out "$work/reports-pair" >/dev/null 2>"$work/pair.err" || true
    read -r gwall guser gsys grss <<EOF2
$(tail -1 "$work/pair.time")
EOF2
    /usr/bin/time -f "%e %U %S" -o "$work/curl.time" \
        curl --parallel --parallel-max "$concurrency" --config "$work/curl.conf" >/dev/null 2>>"$work/curl.err" || true
    read -r cwall cuser csys <<EOF2
$(tail -1 "$work/curl.time")
EOF2
    echo "$gwall / $cwall" | bc -l >>"$work/ratios"
    echo "pair $p: govscore first run ${gwall} s (cpu $(echo "$guser + $gsys" | bc) s, peak RSS $((grss / 1024)) MB), curl ${cwall} s: $(echo "scale=2; $gwall / $cwall" | bc)×"
    p=$((p + 1))
done
median=$(sort -n "$work/ratios" | awk '{r[NR] = $1} END {m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2; printf "%.2f", m}')
echo "median of $pairs pairs: govscore first run / curl ${median}× the wall time (rate $(echo "scale=2; 1 / $median" | bc)× curl's)"
