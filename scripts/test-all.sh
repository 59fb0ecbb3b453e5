#!/usr/bin/env bash
# Runs every test of the portal, as CI does: formatting and lints, the Rust tests (domain parsers,
# backend API, client components, kiosk profiles, end-to-end processes), the web client in
# headless Chromium with axe-core, and the kiosk desktop build under Xvfb (alone, then with a
# virtual eObčanka in a virtual reader).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
scripts/install-test-deps.sh

step "format and lints"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked -p portal-app --target wasm32-unknown-unknown --features web -- -D warnings
# The citizens' web bundle: without the back office's pages (feature `office`, on by default).
cargo clippy --locked -p portal-app --target wasm32-unknown-unknown --no-default-features \
    --features web -- -D warnings
cargo clippy --locked -p portal-app --features desktop -- -D warnings

step "Rust tests"
cargo build --locked -p portal-backend --bin portal-backend -p gateway-sim --bin gateway-sim
cargo test --locked --workspace

step "web client build"
WEB_DIR=$CARGO_TARGET_DIR/web-test
scripts/build-web.sh "$WEB_DIR"

step "browser tests (headless Chromium, axe-core)"
(
    cd tests/browser
    npm ci --no-audit --no-fund
    PORTAL_BACKEND_BIN=$CARGO_TARGET_DIR/debug/portal-backend PORTAL_WEB_DIR=$WEB_DIR \
        GATEWAY_SIM_BIN=$CARGO_TARGET_DIR/debug/gateway-sim node --test
)

step "kiosk desktop build under Xvfb"
tests/desktop/smoke.sh

step "kiosk with a card: virtual eObčanka, pcscd + vpcd, SoftHSM2, Xvfb"
tests/desktop/card.sh

step "kiosk without a card: identity-provider login in the kiosk's browser (test OIDC provider)"
tests/desktop/provider.sh

step "all tests passed"
