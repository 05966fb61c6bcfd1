#!/bin/sh
# How much of the plain fetcher's time is the simulator's (BENCHMARKS.md "Scale"). The
# issue's baseline was wget against a static server; scripts/bench-scale.sh runs wget
# against `govscore sim`, which renders each page as it is asked for. This script serves N
# simulated sites, runs govscore's first run over them (logging its requests, as
# bench-scale.sh does), times wget on the GET requests against the simulator, mirrors the
# answers to files, stops the simulator, serves the files with nginx on the same addresses
# and ports, and times the same wget again.
#
# Usage: scripts/bench-static.sh N [GOVSCORE_BINARY]   (needs nginx, wget and GNU time;
#   not run by tests or CI). WORK (default a new temporary folder) keeps the files.
# A URL with a query string (the simulator's downfile.jsp attachments, about 3 % of the
# requests) has no file nginx can find by its path: nginx answers 404 for it, which is
# no slower than a file.
set -eu
n=${1:?usage: scripts/bench-static.sh N [GOVSCORE_BINARY]}
bin=${2:-target/release/govscore}
as_of=${AS_OF:-2023-03-15}
listen=${LISTEN:-127.0.0.1:18480}
work=${WORK:-$(mktemp -d)}
for tool in nginx wget; do
    command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "error: $tool is needed" >&2; exit 2; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$bin" ] || { echo "error: $bin is not an executable (cargo build --release?)" >&2; exit 2; }
work=$(cd "$work" && pwd)
mkdir -p "$work/mirror"

"$bin" sim --sites "$n" --listen "$listen" --as-of "$as_of" >"$work/config.yaml" 2>"$work/sim.log" &
sim=$!
trap 'kill -INT $sim 2>/dev/null || true' EXIT
until grep -q 'contact:' "$work/config.yaml" 2>/dev/null; do
    kill -0 $sim 2>/dev/null || { echo "error: the simulator did not start; see $work/sim.log" >&2; exit 1; }
    sleep 0.1
done
RUST_LOG=warn,govscore::request=trace /usr/bin/time -f "%e" -o "$work/govscore.time" \
    "$bin" run --config "$work/config.yaml" --as-of "$as_of" --db "$work/govscore.db" \
    --out "$work/reports" >/dev/null 2>"$work/first.err" || true
sed -n 's/^.*govscore::request: //p' "$work/first.err" >"$work/requests.txt"
# The GET requests grouped by host, as bench-scale.sh gives them to wget.
awk '$1 == "GET" {u = $2; h = u; sub(/^[a-z]+:\/\//, "", h); sub(/\/.*$/, "", h); print h " " u}' \
    "$work/requests.txt" | sort -s -k1,1 | cut -d' ' -f2 >"$work/wget.txt"
timed_wget() {
    /usr/bin/time -f "%e" -o "$work/wget.time" \
        wget -q --max-redirect=0 -O /dev/null -i "$work/wget.txt" || true
    tail -1 "$work/wget.time"
}
echo "sites: $n; govscore first run: $(tail -1 "$work/govscore.time") s; $(wc -l <"$work/wget.txt") GET requests"
echo "wget against the simulator: $(timed_wget) s"
# The mirror: one folder per host:port; a URL ending in / is saved as index.html.
(cd "$work/mirror" && wget -q -x --max-redirect=0 -i "$work/wget.txt" || true)
kill -INT $sim
wait $sim 2>/dev/null || true
trap - EXIT
{
    echo "worker_processes 1; daemon off; error_log $work/nginx.err; pid $work/nginx.pid;"
    echo "events { worker_connections 1024; }"
    echo "http { access_log off; default_type text/html; keepalive_requests 1000000;"
    for hp in $(ls "$work/mirror"); do
        echo "  server { listen $hp; root $work/mirror/$hp; index index.html; }"
    done
    echo "}"
} >"$work/nginx.conf"
"$nginx" -c "$work/nginx.conf" &
ng=$!
trap 'kill $ng 2>/dev/null || true' EXIT
sleep 1
echo "wget against nginx: $(timed_wget) s; again: $(timed_wget) s"
