#!/usr/bin/env bash
# Runs the portal with the fictitious demo town "Dolní Lhota" and its demo login.
# Installs what it needs, builds the web client and the server (release), then starts the server.
#
#   PORTAL_LISTEN    address:port to serve on (default 127.0.0.1:8080)
#   PORTAL_DATA_DIR  folder for the SQLite file (default data/demo in the repository)
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
echo "==> building the server (release)"
cargo build --release --locked -p portal-backend --bin portal-backend

export PORTAL_WEB_DIR=${PORTAL_WEB_DIR:-$ROOT/dist}
export PORTAL_DATA_DIR=${PORTAL_DATA_DIR:-$ROOT/data/demo}
echo "==> demo login: open the URL below and pick one of the fictitious people (DEMO data only)"
exec "$CARGO_TARGET_DIR/release/portal-backend" --demo
