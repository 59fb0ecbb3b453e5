#!/usr/bin/env bash
# Stops a kiosk rig started by start.sh and removes its directory:  tests/kiosk-rig/stop.sh RIG_DIR
set -euo pipefail
RIG_DIR=${1:?usage: stop.sh RIG_DIR}
[ -e "$RIG_DIR/.kiosk-rig" ] || { echo "stop.sh: $RIG_DIR is not a kiosk rig" >&2; exit 1; }
if [ -s "$RIG_DIR/pcscd.pid" ]; then
  pid=$(cat "$RIG_DIR/pcscd.pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
fi
rm -rf "$RIG_DIR"
