#!/usr/bin/env bash
# Load test of the backend against a bare axum hello-world, in one run on one machine.
#
#   scripts/bench.sh                      # 3 rounds of 10 s per server, 32 connections
#   ROUNDS=5 DURATION=20s scripts/bench.sh
#
# What it does:
#   1. builds release: portal-backend, examples hello_world and cold_start;
#   2. starts both servers on free loopback ports (backend: --demo, fresh temp data dir);
#   3. logs in as the demo persona "jana" and checks GET /api/dashboard answers 200;
#   4. ROUNDS times: wrk on hello-world `/`, then wrk on `/api/dashboard` with the session cookie
#      (alternating, so both see the same background load); prints RPS, p50, p99 and the ratio;
#   5. memory of both servers after the load (VmRSS, VmHWM);
#   6. cold start to the first `/health` answer, fresh and existing data dir.
#
# wrk shares the CPU with the servers, and so may other work on the machine: compare the ratio
# (both measured in the same round), not absolute numbers across machines. The load average is
# printed before and after so a busy machine shows.
#
# Tunables (environment): ROUNDS=3 DURATION=10s CONNECTIONS=32 THREADS=2 WARMUP=2s COLD_RUNS=10
# BACKEND_BIN=/path/to/portal-backend benchmarks another build (e.g. an older commit's) instead.
# Targets (issue): dashboard ≥ 50 % of hello-world RPS; dashboard p99 ≤ 5 ms at 32 connections.
# Exit status: 0 when both targets are met, 1 when one is missed, 2 on errors.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
COLD_RUNS=${COLD_RUNS:-10}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BACKEND=${BACKEND_BIN:-$TARGET_DIR/release/portal-backend}
HELLO=$TARGET_DIR/release/examples/hello_world
COLD=$TARGET_DIR/release/examples/cold_start

die() {
    echo "bench: $*" >&2
    exit 2
}
for tool in wrk curl awk; do
    command -v "$tool" >/dev/null || die "needs $tool"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portal-bench.XXXXXX")
PIDS=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

echo "== build (release)"
(cd "$ROOT" && cargo build --release -q -p portal-backend --bin portal-backend \
    --example hello_world --example cold_start)
echo "backend: $BACKEND"

# start NAME LOG COMMAND...: runs COMMAND in the background, waits for its http://127.0.0.1:PORT/
# line, sets PORT and LAST_PID.
start() {
    local name=$1 log=$2
    shift 2
    : >"$log"
    "$@" >>"$log" 2>"$log.err" &
    LAST_PID=$!
    PIDS+=("$LAST_PID")
    local deadline=$((SECONDS + 30))
    PORT=
    while [[ -z $PORT ]]; do
        kill -0 "$LAST_PID" 2>/dev/null || { cat "$log.err" >&2; die "$name exited"; }
        ((SECONDS < deadline)) || die "$name did not start in 30 s"
        PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -n1)
        [[ -n $PORT ]] || sleep 0.05
    done
}

start hello-world "$WORK/hello.log" "$HELLO" 127.0.0.1:0
HELLO_PID=$LAST_PID
HELLO_URL="http://127.0.0.1:$PORT/"

start portal-backend "$WORK/backend.log" env PORTAL_LISTEN=127.0.0.1:0 \
    PORTAL_DATA_DIR="$WORK/data" PORTAL_WEB_DIR="$WORK/no-web-client" "$BACKEND" --demo
BACKEND_PID=$LAST_PID
BASE="http://127.0.0.1:$PORT"
DASH_URL="$BASE/api/dashboard"

[[ $(curl -s "$HELLO_URL") == "Hello, World!" ]] || die "hello-world does not answer"

COOKIE=$(curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/json' \
    -d '{"persona":"jana"}' "$BASE/api/auth/demo/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(portal_session=[0-9a-f]*\).*/\1/p' | tr -d '\r')
[[ -n $COOKIE ]] || die "demo login gave no portal_session cookie"
status=$(curl -s -o "$WORK/dashboard.json" -w '%{http_code}' -H "Cookie: $COOKIE" "$DASH_URL")
[[ $status == 200 ]] || die "GET /api/dashboard answered $status"
echo "dashboard answer: $(head -c 300 "$WORK/dashboard.json")"

TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk_run PID URL [HEADER]: loads URL (served by PID); prints "rps p50_ms p99_ms cpu_us" where
# cpu_us is the server's CPU time (user + system) per request. Dies on errors or non-2xx answers.
wrk_run() {
    local pid=$1 url=$2 header=${3:-} out before after
    local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 2s)
    [[ -n $header ]] && args+=(-H "$header")
    before=$(cpu_ticks "$pid")
    out=$(timeout 600 wrk "${args[@]}" "$url") || die "wrk failed on $url"
    after=$(cpu_ticks "$pid")
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        echo "$out" >&2
        die "errors under load on $url"
    fi
    awk -v ticks=$((after - before)) -v hz="$TICK" '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /s$/) return v * 1000
            return v
        }
        /requests in/ { n = $1 }
        /Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        END { printf "%.0f %.3f %.3f %.1f\n", rps, p50, p99, n ? ticks / hz * 1e6 / n : 0 }
    ' <<<"$out"
}

echo "== machine: $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== warm-up ($WARMUP each)"
DURATION=$WARMUP wrk_run "$HELLO_PID" "$HELLO_URL" >/dev/null
DURATION=$WARMUP wrk_run "$BACKEND_PID" "$DASH_URL" "Cookie: $COOKIE" >/dev/null

echo "== load: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds"
echo "   (cpu_us: the server's CPU time per request, less sensitive to other load than RPS)"
FORMAT='%-6s %10s %8s %8s %7s  %10s %8s %8s %7s  %6s\n'
# shellcheck disable=SC2059
printf "$FORMAT" round hello_rps p50_ms p99_ms cpu_us dash_rps p50_ms p99_ms cpu_us ratio
RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
    hello=$(wrk_run "$HELLO_PID" "$HELLO_URL")
    dash=$(wrk_run "$BACKEND_PID" "$DASH_URL" "Cookie: $COOKIE")
    read -r h_rps h_p50 h_p99 h_cpu <<<"$hello"
    read -r d_rps d_p50 d_p99 d_cpu <<<"$dash"
    ratio=$(awk -v d="$d_rps" -v h="$h_rps" 'BEGIN { printf "%.1f%%", 100 * d / h }')
    # shellcheck disable=SC2059
    printf "$FORMAT" "$round" "$h_rps" "$h_p50" "$h_p99" "$h_cpu" \
        "$d_rps" "$d_p50" "$d_p99" "$d_cpu" "$ratio"
    RESULTS+=("$h_rps $h_p50 $h_p99 $h_cpu $d_rps $d_p50 $d_p99 $d_cpu ${ratio%\%}")
done
# Median of each column over the rounds (each column sorted on its own).
read -r M_H_RPS M_H_P50 M_H_P99 M_H_CPU M_D_RPS M_D_P50 M_D_P99 M_D_CPU M_RATIO < <(
    printf '%s\n' "${RESULTS[@]}" | awk '
        { for (i = 1; i <= NF; i++) v[i, NR] = $i; n = NR; f = NF }
        END {
            for (i = 1; i <= f; i++) {
                for (j = 1; j <= n; j++) a[j] = v[i, j]
                for (j = 2; j <= n; j++) for (k = j; k > 1 && a[k-1] + 0 > a[k] + 0; k--) {
                    t = a[k]; a[k] = a[k-1]; a[k-1] = t
                }
                printf "%s ", (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
            }
            print ""
        }')
# shellcheck disable=SC2059
printf "$FORMAT" median "$M_H_RPS" "$M_H_P50" "$M_H_P99" "$M_H_CPU" \
    "$M_D_RPS" "$M_D_P50" "$M_D_P99" "$M_D_CPU" "$M_RATIO%"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

memory() {
    awk '/^VmRSS|^VmHWM/ { printf "%s %.1f MiB  ", $1, $2 / 1024 }' "/proc/$1/status"
}
echo "== memory after load"
echo "portal-backend: $(memory "$BACKEND_PID")"
echo "hello_world:    $(memory "$HELLO_PID")"

echo "== cold start to first /health 200 ($COLD_RUNS runs each, release, --demo)"
fresh=$("$COLD" "$BACKEND" "$WORK/cold" "$COLD_RUNS" fresh | tail -n1)
existing=$("$COLD" "$BACKEND" "$WORK/cold" "$COLD_RUNS" existing | tail -n1)
echo "fresh data dir:    $fresh"
echo "existing data dir: $existing"

echo "== verdict"
verdict=0
if awk -v r="$M_RATIO" 'BEGIN { exit !(r >= 50) }'; then
    echo "ratio $M_RATIO % >= 50 %: met"
else
    echo "ratio $M_RATIO % < 50 %: MISSED"
    verdict=1
fi
if awk -v p="$M_D_P99" 'BEGIN { exit !(p <= 5) }'; then
    echo "dashboard p99 $M_D_P99 ms <= 5 ms: met"
else
    echo "dashboard p99 $M_D_P99 ms > 5 ms: MISSED"
    verdict=1
fi
exit "$verdict"
