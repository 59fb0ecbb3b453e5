#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine (run as root), skipping what
# is already there: Chromium for the browser tests, Xvfb + WebKitGTK for the kiosk build,
# ImageMagick to check screenshots, OpenSSL headers for the JOSE crate (NIA's encrypted ID
# tokens) and the kiosk's certificate checks, PC/SC + vpcd + SoftHSM2 for the card tests, the
# wasm target. npm packages come from tests/browser's lock.
set -euo pipefail

packages=(chromium xvfb xauth libwebkit2gtk-4.1-dev libxdo-dev pkg-config libssl-dev imagemagick zbar-tools nodejs npm
    # The kiosk's card layer and its rig: PC/SC, the virtual reader, a PKCS#11 token, OCR and
    # typing for the end-to-end kiosk test.
    pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools softhsm2 opensc xdotool x11-utils
    tesseract-ocr tesseract-ocr-ces)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node may come from elsewhere than Debian (it does on these machines): then skip Debian's.
if command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for package in "${missing[@]}"; do
        [[ $package == nodejs || $package == npm ]] || filtered+=("$package")
    done
    missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
    if [[ $EUID -ne 0 ]]; then
        echo "install-test-deps.sh: missing ${missing[*]}; run as root or install them" >&2
        exit 1
    fi
    echo "==> installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
