#!/usr/bin/env bash
# Renders the PNG icons from the SVG sources. The PNGs are committed, so builds need no
# ImageMagick; run this only after changing icon.svg or icon-maskable.svg
# (needs Debian's imagemagick: apt-get install -y imagemagick).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
# /usr/bin first: some machines put a non-ImageMagick `convert` stand-in earlier on PATH.
CONVERT=${CONVERT:-/usr/bin/convert}

# Rendering at 4x the SVG's 72 dpi and scaling down gives clean anti-aliased edges.
render() { # render SRC SIZE OUT BACKGROUND
    local src=$1 size=$2 out=$3 background=$4
    if [[ $background == none ]]; then
        "$CONVERT" -background none -density 288 "$src" -resize "${size}x${size}" -strip "PNG32:$out"
    else
        # Opaque: maskable and Apple icons must not have transparent corners.
        "$CONVERT" -background "$background" -density 288 "$src" -resize "${size}x${size}" \
            -alpha remove -strip "PNG24:$out"
    fi
}

render icon.svg 512 icon-512.png none
render icon.svg 192 icon-192.png none
render icon.svg 32 icon-32.png none
render icon-maskable.svg 512 icon-maskable-512.png '#2362a2'
render icon-maskable.svg 192 icon-maskable-192.png '#2362a2'
# iOS rounds the corners itself and shows transparency as black.
render icon-maskable.svg 180 apple-touch-icon.png '#2362a2'
