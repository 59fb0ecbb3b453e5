#!/usr/bin/env bash
# Builds the web client (the PWA) into OUT_DIR (default: dist/ in the repository), the folder
# the backend serves. Usage: scripts/build-web.sh [OUT_DIR]
#
# Installs what it needs when missing (so it also works on a fresh Debian 12 machine), and skips
# what is already there, so running it again is cheap:
#   - the Rust target wasm32-unknown-unknown (rustup);
#   - wasm-bindgen-cli, pinned to the wasm-bindgen version in Cargo.lock (cargo install);
#   - wasm-opt from the npm package binaryen (npm, into PORTAL_TOOLS_DIR, default
#     ~/.cache/portal-tools; Debian's own binaryen is too old for today's Rust output).
#
# Builds portal-app twice from the same crate: the citizens' bundle without the back office's
# pages (index.html, pkg/portal_app-*) and the office's bundle with every page (office.html,
# pkg/portal_office-*, feature `office`). The backend serves office.html for /sprava and
# /sprava/..., index.html everywhere else, so citizens never download the office's code.
#
# Output:
#   index.html office.html boot.js boot.css sw.js manifest.webmanifest
#   pkg/portal_app-<hash>.js  pkg/portal_app_bg-<hash>.wasm  pkg/snippets-<hash>/...
#   pkg/portal_office-<hash>.js  pkg/portal_office_bg-<hash>.wasm
#   assets/icons/ assets/demo/ assets/styles/ assets/logos/
# plus .gz (and .br when the brotli command exists) beside every text file and the wasm,
# which the backend serves to browsers that accept them. <hash> is the first 8 hex digits of the
# file's SHA-256, so the backend can let browsers cache /pkg/ for a year.
set -euo pipefail

readonly WASM_BINDGEN_VERSION=0.2.130 # must equal the wasm-bindgen crate in Cargo.lock
readonly BINARYEN_VERSION=132         # npm package; version 132.0.0 prints "version 132"
readonly TARGET=wasm32-unknown-unknown
readonly PROFILE=wasm-release # defined in the root Cargo.toml: opt-level z, LTO, strip = false

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
TOOLS_DIR=${PORTAL_TOOLS_DIR:-$HOME/.cache/portal-tools}
readonly TOOLS_DIR

say() { printf '==> %s\n' "$*"; }
die() {
    printf 'build-web.sh: %s\n' "$*" >&2
    exit 1
}

case ${1:-} in
-h | --help)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
esac
[[ $# -le 1 ]] || die "too many arguments (usage: scripts/build-web.sh [OUT_DIR])"

# A relative OUT_DIR is taken from the current folder, like any other command's argument.
OUT_DIR=${1:-$ROOT/dist}
[[ $OUT_DIR == /* ]] || OUT_DIR=$PWD/$OUT_DIR
OUT_DIR=${OUT_DIR%/}
[[ -n $OUT_DIR && $OUT_DIR != "$ROOT" && $OUT_DIR != "$HOME" ]] || die "refusing OUT_DIR '$OUT_DIR'"
readonly OUT_DIR
# The old output is replaced wholesale; only ever delete a folder that this script wrote.
readonly MARKER=.portal-web-build
if [[ -e $OUT_DIR && ! -e $OUT_DIR/$MARKER ]]; then
    if [[ ! -d $OUT_DIR || -n $(ls -A "$OUT_DIR") ]]; then
        die "$OUT_DIR exists and was not made by this script; remove it or choose another OUT_DIR"
    fi
fi

cd "$ROOT"
# cargo install puts wasm-bindgen here; a fresh shell may not have it on PATH yet.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# --- tools --------------------------------------------------------------------------------------

as_root_apt_install() {
    if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
        die "$* missing; install it (Debian: apt-get install -y $*) and run again"
    fi
    say "installing $* with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

if ! command -v cargo >/dev/null || ! command -v rustup >/dev/null; then
    die "cargo and rustup are needed: install Rust with rustup first"
fi
if ! command -v sha256sum >/dev/null || ! command -v gzip >/dev/null; then
    as_root_apt_install coreutils gzip
fi

if ! rustup target list --installed | grep -qx "$TARGET"; then
    say "adding the Rust target $TARGET"
    rustup target add "$TARGET"
fi

if [[ $(wasm-bindgen --version 2>/dev/null || true) != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 6 minutes on 2 cores)"
    # Without --locked on purpose: a dependency version pinned in its lock file is missing from
    # the registry mirror these machines use, and the CLI builds fine with today's versions.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

WASM_OPT=$TOOLS_DIR/node_modules/.bin/wasm-opt
if ! "$WASM_OPT" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"; then
    command -v npm >/dev/null || as_root_apt_install nodejs npm
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error \
        "binaryen@$BINARYEN_VERSION"
    "$WASM_OPT" --version >/dev/null || die "wasm-opt does not run after installing binaryen"
fi
readonly WASM_OPT

[[ -f assets/styles/portal.css ]] || die "assets/styles/portal.css is missing (index.html links it)"

# --- build ---------------------------------------------------------------------------------------

# Honours CARGO_TARGET_DIR and any target-dir in .cargo/config.toml.
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[[ -n $TARGET_DIR ]] || die "cannot find cargo's target directory"
readonly WASM_IN=$TARGET_DIR/$TARGET/$PROFILE/portal-app.wasm

# Build everything in a staging folder beside OUT_DIR, then swap it in with two renames: the
# server never sees a half-written folder, and a failed build leaves the old one alone.
mkdir -p "$(dirname "$OUT_DIR")"
STAGE=$(mktemp -d "$(dirname "$OUT_DIR")/.build-web.XXXXXX")
readonly STAGE
trap 'rm -rf "$STAGE"' EXIT
BINDGEN_DIR=$STAGE/.bindgen
mkdir -p "$STAGE/pkg" "$STAGE/assets"
cp assets/web/* "$STAGE/"
mv "$STAGE/index.html" "$BINDGEN_DIR.html" # the template of both pages

short_hash() { sha256sum "$@" | cut -c1-8; }

# build_bundle NAME FEATURES PAGE: builds the client with FEATURES into pkg/NAME-<hash>.js and
# pkg/NAME_bg-<hash>.wasm, writes PAGE (index.html or office.html) naming them, and leaves their
# paths inside STAGE in BUNDLE_FILES (glue, wasm, snippets) for the precache list and the report.
build_bundle() {
    local name=$1 features=$2 page=$3 seconds=$SECONDS
    say "building portal-app ($name: features $features) for $TARGET (profile $PROFILE)"
    cargo build -p portal-app --profile "$PROFILE" --target "$TARGET" \
        --no-default-features --features "$features"
    [[ -f $WASM_IN ]] || die "cargo did not produce $WASM_IN"
    # Straight away: the next cargo build writes the same file.
    rm -rf "$BINDGEN_DIR"
    mkdir -p "$BINDGEN_DIR"
    say "wasm-bindgen ($name)"
    wasm-bindgen --target web --no-typescript --out-name "$name" --out-dir "$BINDGEN_DIR" "$WASM_IN"

    say "wasm-opt -Oz ($name)"
    # The features are those rustc enables by default for wasm32 since Rust 1.82/1.87; naming
    # them keeps wasm-opt from rejecting e.g. bulk-memory when the target-features section is
    # missing. wasm-opt also drops the names and debug sections (the profile keeps strip = false).
    "$WASM_OPT" -Oz \
        --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        --strip-debug --strip-producers --strip-target-features \
        -o "$BINDGEN_DIR/${name}_bg.opt.wasm" "$BINDGEN_DIR/${name}_bg.wasm"
    say "wasm-opt: $(($(stat -c %s "$BINDGEN_DIR/${name}_bg.wasm") / 1024)) KB -> $(($(stat -c %s \
        "$BINDGEN_DIR/${name}_bg.opt.wasm") / 1024)) KB"

    local glue=$BINDGEN_DIR/$name.js snippets_hash=
    BUNDLE_FILES=()
    # Snippets (JS that crates ship with wasm-bindgen) are imported by the glue as ./snippets/...;
    # their folder gets a content hash too, because the server marks everything under /pkg/
    # immutable. Both bundles usually ship the same snippets, then under one name.
    if [[ -d $BINDGEN_DIR/snippets ]]; then
        snippets_hash=$(cd "$BINDGEN_DIR" && find snippets -type f -print0 | sort -z |
            xargs -0 sha256sum | short_hash)
        if [[ ! -d $STAGE/pkg/snippets-$snippets_hash ]]; then
            mv "$BINDGEN_DIR/snippets" "$STAGE/pkg/snippets-$snippets_hash"
        fi
        sed -i "s#\([\"']\)\./snippets/#\1./snippets-$snippets_hash/#g" "$glue"
        ! grep -q '\./snippets/' "$glue" || die "could not rewrite the snippet imports in the glue"
        mapfile -t BUNDLE_FILES < <(cd "$STAGE" &&
            find "pkg/snippets-$snippets_hash" -type f | sort)
    fi

    local wasm_name js_name
    wasm_name=${name}_bg-$(short_hash "$BINDGEN_DIR/${name}_bg.opt.wasm").wasm
    js_name=$name-$(short_hash "$glue").js
    mv "$BINDGEN_DIR/${name}_bg.opt.wasm" "$STAGE/pkg/$wasm_name"
    mv "$glue" "$STAGE/pkg/$js_name"
    rm -rf "$BINDGEN_DIR"
    BUNDLE_FILES=("pkg/$js_name" "pkg/$wasm_name" "${BUNDLE_FILES[@]}")

    # The page learns the hashed names through the attributes that boot.js reads.
    sed -e "s#__APP_JS__#/pkg/$js_name#g" -e "s#__APP_WASM__#/pkg/$wasm_name#g" \
        "$BINDGEN_DIR.html" >"$STAGE/$page"
    say "$name built in $((SECONDS - seconds)) s"
}

# Citizens first: their bundle is the one the service worker precaches.
build_bundle portal_app web index.html
CITIZEN_FILES=("${BUNDLE_FILES[@]}")
build_bundle portal_office web,office office.html
OFFICE_FILES=("${BUNDLE_FILES[@]}")
rm -f "$BINDGEN_DIR.html"

say "copying the static files"
mkdir -p "$STAGE/assets/icons"
# The PNGs are committed; the script that renders them is not for serving.
find assets/icons -maxdepth 1 -type f \( -name '*.png' -o -name '*.svg' -o -name '*.ico' \) \
    -exec cp {} "$STAGE/assets/icons/" \;
cp -R assets/demo assets/styles assets/logos "$STAGE/assets/"

# The service worker precaches the citizens' shell of exactly this build, and office.html (small)
# but not the office's pkg files, which citizens would download for nothing.
PRECACHE=(/index.html /office.html /boot.js /boot.css /manifest.webmanifest)
for file in "${CITIZEN_FILES[@]}"; do
    PRECACHE+=("/$file")
done
while IFS= read -r -d '' file; do
    PRECACHE+=("/${file#"$STAGE"/}")
done < <(find "$STAGE/assets/styles" "$STAGE/assets/icons" "$STAGE/assets/logos" -type f -print0 | sort -z)
json='['
for url in "${PRECACHE[@]}"; do
    # Plain names only, so they need no escaping in JSON or JavaScript.
    [[ $url =~ ^[A-Za-z0-9._/-]+$ ]] || die "unexpected file name in the app shell: $url"
    json+="\"$url\","
done
json=${json%,}']'
# Over the shell and the worker's own template, so that a change to either renames the cache.
BUILD_HASH=$(cd "$STAGE" && { for url in "${PRECACHE[@]}"; do sha256sum ".$url"; done &&
    sha256sum sw.js; } | sha256sum | cut -c1-12)
sw=$(<"$STAGE/sw.js")
sw=${sw//__BUILD_HASH__/"$BUILD_HASH"}
sw=${sw//__PRECACHE__/"$json"}
printf '%s\n' "$sw" >"$STAGE/sw.js"

if grep -rlE '__(APP_JS|APP_WASM|BUILD_HASH|PRECACHE)__' "$STAGE" --include='*.html' --include='*.js'; then
    die "placeholders left in the files above"
fi

say "compressing"
have_brotli=false
command -v brotli >/dev/null && have_brotli=true
while IFS= read -r -d '' file; do
    gzip -9 -n -k -f "$file" # -n: no name or time stamp inside, so rebuilds are identical
    if $have_brotli; then
        brotli -f -q 11 -o "$file.br" -- "$file"
    fi
done < <(find "$STAGE" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' \
    -o -name '*.html' -o -name '*.svg' -o -name '*.webmanifest' -o -name '*.json' \) -print0)
$have_brotli || say "brotli not installed: only .gz files written (apt-get install brotli)"

printf '%s\n' "$BUILD_HASH" >"$STAGE/$MARKER"
chmod -R a+rX "$STAGE"

# Swap the new build in.
if [[ -e $OUT_DIR ]]; then
    mv "$OUT_DIR" "$STAGE.old"
fi
mv "$STAGE" "$OUT_DIR"
rm -rf "$STAGE.old"
trap - EXIT

# --- report --------------------------------------------------------------------------------------

bytes() { # total size in bytes of the files given (0 for none)
    local total=0 size file
    for file in "$@"; do
        size=$(stat -c %s "$file")
        total=$((total + size))
    done
    printf '%s' "$total"
}
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

# What a page loads: the glue, the wasm, boot.js, the snippets and the style sheets it links
# (sw.js loads later, in the background; assets/styles/kiosk.css is the kiosk's).
gz() { local f out=(); for f in "$@"; do out+=("$f.gz"); done; bytes "${out[@]}"; }

say "built $OUT_DIR (build $BUILD_HASH)"
printf '  %-46s %10s %10s\n' "" "raw KB" "gzip -9 KB"
report() { # PAGE WHERE FILE...: the page, where it is served and its bundle's files
    local page=$1 where=$2 wasm_file=$OUT_DIR/$4 js_files=("$OUT_DIR/$3" "$OUT_DIR/boot.js")
    local file css_files=()
    shift 4
    for file in "$@"; do
        [[ $file == *.js ]] && js_files+=("$OUT_DIR/$file")
    done
    while IFS= read -r file; do
        css_files+=("$OUT_DIR$file")
    done < <(sed -n 's#.*<link rel="stylesheet" href="\(/[^"]*\.css\)".*#\1#p' "$OUT_DIR/$page")
    [[ ${#css_files[@]} -gt 0 ]] || die "no style sheets found in $page"
    local wasm_gz js_gz css_gz
    wasm_gz=$(gz "$wasm_file")
    js_gz=$(gz "${js_files[@]}")
    css_gz=$(gz "${css_files[@]}")
    printf '  %s\n' "$page ($where)"
    printf '  %-46s %10s %10s\n' "  wasm  ${wasm_file#"$OUT_DIR"/}" "$(kb "$(bytes "$wasm_file")")" \
        "$(kb "$wasm_gz")"
    printf '  %-46s %10s %10s\n' "  js    ${#js_files[@]} files (glue, boot, snippets)" \
        "$(kb "$(bytes "${js_files[@]}")")" "$(kb "$js_gz")"
    printf '  %-46s %10s %10s\n' "  css   ${#css_files[@]} files" "$(kb "$(bytes "${css_files[@]}")")" \
        "$(kb "$css_gz")"
    printf '  %-46s %10s %10s\n' "  first load: wasm + js + css" "" \
        "$(kb $((wasm_gz + js_gz + css_gz)))"
}
report index.html "citizens: every page but /sprava" "${CITIZEN_FILES[@]}"
report office.html "office: /sprava pages" "${OFFICE_FILES[@]}"
