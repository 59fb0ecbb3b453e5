#!/usr/bin/env bash
# Runs the portal with the fictitious demo town "Dolní Lhota" and its demo login.
# Installs what it needs, builds the web client and the server (release), then starts the server.
#
#   PORTAL_LISTEN    address:port to serve on (default 127.0.0.1:8080)
#   PORTAL_DATA_DIR  folder for the SQLite file (default data/demo in the repository)
#   DEMO_GATEWAY_LISTEN  where the card gateway simulator listens (default 127.0.0.1:8091);
#                    card payments go there (a simulator: no real money, no real cards)
#
# Demo mode refuses a database that holds real towns, so it cannot take over a production one.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# The server links OpenSSL (JOSE for NIA's encrypted ID tokens): Debian's headers are needed.
if ! pkg-config --exists openssl 2>/dev/null; then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libssl-dev pkg-config
    else
        echo "run-demo.sh: OpenSSL headers missing; install libssl-dev and pkg-config" >&2
        exit 1
    fi
fi

scripts/build-web.sh "$ROOT/dist"
echo "==> building the server and the card gateway simulator (release)"
cargo build --release --locked -p portal-backend --bin portal-backend -p gateway-sim --bin gateway-sim

export PORTAL_WEB_DIR=${PORTAL_WEB_DIR:-$ROOT/dist}
export PORTAL_DATA_DIR=${PORTAL_DATA_DIR:-$ROOT/data/demo}
# The card gateway simulator, with a fresh merchant secret each run; stopped with the portal.
SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
GATEWAY_LOG=$(mktemp)
"$CARGO_TARGET_DIR/release/gateway-sim" --listen "${DEMO_GATEWAY_LISTEN:-127.0.0.1:8091}" \
    --merchant "dolni-lhota:$SECRET" >"$GATEWAY_LOG" 2>/dev/null &
GATEWAY_PID=$!
trap 'kill "$GATEWAY_PID" 2>/dev/null; rm -f "$GATEWAY_LOG"' EXIT
for _ in $(seq 1 100); do
    grep -q listening "$GATEWAY_LOG" && break
    kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "run-demo.sh: the gateway simulator did not start" >&2; exit 1; }
    sleep 0.1
done
GATEWAY_URL=$(sed -n 's/.*"listening":"\([^"]*\)".*/\1/p' "$GATEWAY_LOG" | head -n1)
[[ -n $GATEWAY_URL ]] || { echo "run-demo.sh: the gateway simulator did not say where it listens" >&2; exit 1; }
export PORTAL_DEMO_GATEWAY_URL=$GATEWAY_URL PORTAL_DEMO_GATEWAY_MERCHANT=dolni-lhota
export PORTAL_DEMO_GATEWAY_SECRET=$SECRET
echo "==> card payments go to the gateway simulator at $GATEWAY_URL (no real money)"

echo "==> demo login: open the URL below and pick one of the fictitious people (DEMO data only)"
"$CARGO_TARGET_DIR/release/portal-backend" --demo
