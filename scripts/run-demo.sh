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

scripts/build-web.sh "$ROOT/dist"
echo "==> building the server (release)"
cargo build --release --locked -p portal-backend --bin portal-backend

export PORTAL_WEB_DIR=${PORTAL_WEB_DIR:-$ROOT/dist}
export PORTAL_DATA_DIR=${PORTAL_DATA_DIR:-$ROOT/data/demo}
echo "==> demo login: open the URL below and pick one of the fictitious people (DEMO data only)"
exec "$CARGO_TARGET_DIR/release/portal-backend" --demo
