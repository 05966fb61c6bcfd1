#!/bin/sh
# Scale benchmark (BENCHMARKS.md "Scale"): serves N simulated sites on loopback with
# `govscore sim --sites N`, runs `govscore run` over them twice (a first run on an empty
# database, then a rerun with nothing changed), and prints wall time, CPU time, peak RSS and
# requests of each run beside the minimum of requests the simulator computes. Then two
# plain fetchers fetch exactly the requests govscore's first run sent (logged with
# `RUST_LOG=govscore::request=trace`: every hop, retry and robots.txt; POST bodies too),
# and their wall times are printed beside govscore's with the ratios:
# - wget, one request at a time: the issue's baseline ("wget fetching exactly the same
#   URLs"), the URLs grouped by host so that its connections are kept; the few POST
#   requests (Hanweb dataproxy.jsp), which wget cannot take from a list, are sent after the
#   GETs by curl, one at a time, and the two times added;
# - one curl with `--parallel` at govscore's global concurrency: a stricter comparison (as
#   many requests in flight as govscore, and no per-host limit).
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
    command -v wget >/dev/null || { echo "error: wget is needed for the plain-fetcher comparison" >&2; exit 2; }
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
    # (A list page past the last one answering 404 ends the list: not a failure here.)
    echo "fetch failures recorded by the first run (reason: count):"
    sqlite3 "$work/govscore.db" \
        "SELECT '  ' || reason || ': ' || COUNT(*) FROM fetch_failures WHERE run_id = 1 GROUP BY reason
         UNION ALL SELECT '  (none)' WHERE NOT EXISTS (SELECT 1 FROM fetch_failures WHERE run_id = 1)
         ORDER BY 1"
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

# The plain fetchers. curl's config: options after `next` start afresh, so each request
# carries its own.
concurrency=$(sed -n 's/^  global_concurrency: *\([0-9]*\).*/\1/p' "$work/config.yaml")
concurrency=${concurrency:-16}
curl_conf() {
    awk -v only="$1" '$1 == only || only == "" {
        url = $2; body = $3;
        gsub(/["\\]/, "\\\\&", url); gsub(/["\\]/, "\\\\&", body);
        if (n++) print "next";
        printf "url = \"%s\"\noutput = \"/dev/null\"\nsilent\nwrite-out = \"%%{http_code} %%{url_effective}\\n\"\n", url;
        if ($1 == "POST") printf "data = \"%s\"\n", body;
    }' "$work/requests.txt"
}
curl_conf "" >"$work/curl.conf"
# wget takes the GET requests from a list, grouped by host (in the order govscore sent them
# within a host), so that it keeps its connection from one request to the next (it closes
# it when the next URL is on another host: in govscore's order it took about 20 % longer);
# the POST requests (Hanweb dataproxy.jsp) go to curl, one at a time.
awk '$1 == "GET" {u = $2; h = u; sub(/^[a-z]+:\/\//, "", h); sub(/\/.*$/, "", h); print h " " u}' \
    "$work/requests.txt" | sort -s -k1,1 | cut -d' ' -f2 >"$work/wget.txt"
curl_conf POST >"$work/post.conf"
posts=$(grep -c '^data' "$work/post.conf" || true)

# wget, one request at a time, then the POST requests; sets wwall (the two wall times added).
plain_wget() {
    /usr/bin/time -f "%e" -o "$work/wget.time" \
        wget -nv --max-redirect=0 -O /dev/null -i "$work/wget.txt" 2>"$work/wget.log" || true
    pwall=0
    if [ "$posts" -gt 0 ]; then
        /usr/bin/time -f "%e" -o "$work/post.time" \
            curl --config "$work/post.conf" >"$work/post.codes" 2>/dev/null || true
        pwall=$(tail -1 "$work/post.time")
    fi
    wwall=$(echo "$(tail -1 "$work/wget.time") + $pwall" | bc)
}
# One curl with govscore's global concurrency; sets cwall, cuser, csys.
plain_curl() {
    /usr/bin/time -f "%e %U %S" -o "$work/curl.time" \
        curl --parallel --parallel-max "$concurrency" --config "$work/curl.conf" >"$work/curl.codes" 2>>"$work/curl.err" || true
    read -r cwall cuser csys <<EOF
$(tail -1 "$work/curl.time")
EOF
}

echo "load before the plain fetchers: $(cut -d' ' -f1-3 /proc/loadavg)"
plain_wget
echo "wget (one request at a time, the issue's baseline: $(wc -l <"$work/wget.txt") GET requests; then curl, one at a time, for the $posts POST requests): wall ${wwall} s; wget's error lines: $(grep -c 'ERROR' "$work/wget.log" || true)"
plain_curl
echo "curl (--parallel-max $concurrency, the first run's $(wc -l <"$work/requests.txt") requests): wall ${cwall} s, cpu $(echo "$cuser + $csys" | bc) s; statuses: $(awk '{print $1}' "$work/curl.codes" | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
echo "requests not answered 2xx (URL, status):"
grep -v '^2' "$work/curl.codes" | awk '{print "  " $2 " " $1}' | sort
echo "govscore first run / wget: $(echo "scale=2; $first_wall / $wwall" | bc)× the wall time (rate $(echo "scale=2; $wwall / $first_wall" | bc)× wget's); / curl: $(echo "scale=2; $first_wall / $cwall" | bc)× (rate $(echo "scale=2; $cwall / $first_wall" | bc)× curl's)"
echo "rerun / first run: $(echo "scale=1; 100 * $rerun_wall / $first_wall" | bc) % of the wall, $(echo "scale=1; 100 * $rerun_requests / $first_requests" | bc) % of the requests"

# PAIRS=k (k > 1): k − 1 more rounds of (a first run on a new database, a rerun on it, wget
# and curl on the first run's requests), one after the other, so that the rates are
# compared under the same machine load (a shared machine's speed drifts within minutes);
# each round's figures and the medians of all rounds' ratios and rerun shares (the first
# round's included) are printed.
pairs=${PAIRS:-1}
[ "$pairs" -gt 1 ] || exit 0
echo "100 * $rerun_wall / $first_wall" | bc -l >"$work/rerun-shares"
echo "$first_wall / $wwall" | bc -l >"$work/ratios-wget"
echo "$first_wall / $cwall" | bc -l >"$work/ratios-curl"
p=2
while [ $p -le "$pairs" ]; do
    rm -f "$work/pair.db" "$work/pair.db-wal" "$work/pair.db-shm"
    RUST_LOG=warn /usr/bin/time -f "%e %U %S %M" -o "$work/pair.time" \
        "$bin" run --config "$work/config.yaml" --as-of "$as_of" --db "$work/pair.db" \
        --out "$work/reports-pair" >/dev/null 2>"$work/pair.err" || true
    read -r gwall guser gsys grss <<EOF2
$(tail -1 "$work/pair.time")
EOF2
    RUST_LOG=warn /usr/bin/time -f "%e" -o "$work/pair-rerun.time" \
        "$bin" run --config "$work/config.yaml" --as-of "$as_of" --db "$work/pair.db" \
        --out "$work/reports-pair" >/dev/null 2>"$work/pair-rerun.err" || true
    rwall=$(tail -1 "$work/pair-rerun.time")
    echo "100 * $rwall / $gwall" | bc -l >>"$work/rerun-shares"
    plain_wget
    plain_curl
    echo "$gwall / $wwall" | bc -l >>"$work/ratios-wget"
    echo "$gwall / $cwall" | bc -l >>"$work/ratios-curl"
    echo "pair $p: govscore first run ${gwall} s (cpu $(echo "$guser + $gsys" | bc) s, peak RSS $((grss / 1024)) MB), rerun ${rwall} s ($(echo "scale=1; 100 * $rwall / $gwall" | bc) %); wget ${wwall} s: $(echo "scale=2; $gwall / $wwall" | bc)×; curl ${cwall} s: $(echo "scale=2; $gwall / $cwall" | bc)×"
    p=$((p + 1))
done
median() {
    sort -n "$1" | awk '{r[NR] = $1} END {m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2; printf "%.2f", m}'
}
mw=$(median "$work/ratios-wget")
mc=$(median "$work/ratios-curl")
mr=$(median "$work/rerun-shares")
echo "median of $pairs pairs: govscore first run / wget ${mw}× the wall time (rate $(echo "scale=2; 1 / $mw" | bc)× wget's); / curl ${mc}× (rate $(echo "scale=2; 1 / $mc" | bc)× curl's)"
echo "median of $pairs pairs: rerun / first run ${mr} % of the wall"
