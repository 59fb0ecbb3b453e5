# Shared by the desktop kiosk checks (smoke.sh, card.sh, provider.sh): reporting, processes, packages,
# a private Xvfb display and screenshot helpers. Source it after setting NAME (the prefix of
# every message), WIDTH and HEIGHT; it uses $tmp for logs once the caller creates it.

passed=0
failed=0
summarised=""
tmp=""

pass() {
    passed=$((passed + 1))
    printf 'ok    %s\n' "$*"
}

fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$*"
}

summary() {
    summarised=yes
    printf '%s: %d passed, %d failed\n' "$NAME" "$passed" "$failed"
}

# The last lines of every log in $tmp that has something in it.
show_logs() {
    local f
    [[ -n $tmp ]] || return 0
    for f in "$tmp"/*.err; do
        if [[ -s $f ]]; then
            printf -- '--- last lines of %s ---\n' "$(basename "$f")"
            tail -n 25 "$f"
        fi
    done
}

# A failure after which the remaining checks cannot run.
fatal() {
    fail "$*"
    show_logs
    summary
    exit 1
}

# Stops one process we started (its whole process group when it leads one): TERM, up to 5 s, KILL.
stop() {
    local pid=$1 group=${2:-}
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    if [[ -n $group ]]; then kill -TERM -- "-$pid" 2>/dev/null || true; fi
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        if [[ -n $group ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    # WebKit's helper processes share the kiosk's group: make sure none outlives it.
    if [[ -n $group ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
}

installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    [[ $status == "install ok installed" ]]
}

# Installs the Debian packages given that are missing (as root), or stops with their names.
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        installed "$p" || missing+=("$p")
    done
    ((${#missing[@]} > 0)) || return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "$NAME: installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        fatal "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)"
    fi
}

# Starts Xvfb on a free display (Unix socket only, with a cookie) and exports DISPLAY and
# XAUTHORITY; sets xvfb_pid.
start_xvfb() {
    export XAUTHORITY="$tmp/Xauthority"
    local n i display=""
    for ((n = 90; n < 110; n++)); do
        [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] && continue
        : >"$XAUTHORITY"
        xauth -q -f "$XAUTHORITY" add ":$n" . "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
        : >"$tmp/displayfd"
        Xvfb ":$n" -auth "$XAUTHORITY" -nolisten tcp -screen 0 "${WIDTH}x${HEIGHT}x24" \
            -displayfd 3 3>"$tmp/displayfd" >"$tmp/xvfb.out" 2>"$tmp/xvfb.err" </dev/null &
        xvfb_pid=$!
        for ((i = 0; i < 100; i++)); do
            [[ ! -s $tmp/displayfd ]] || break
            kill -0 "$xvfb_pid" 2>/dev/null || break
            sleep 0.1
        done
        if [[ -s $tmp/displayfd ]] && kill -0 "$xvfb_pid" 2>/dev/null; then
            display=":$n"
            break
        fi
        stop "$xvfb_pid" # Another server took the number meanwhile: try the next one.
        xvfb_pid=""
    done
    [[ -n $display ]] || fatal "could not start Xvfb on any display :90-:109"
    export DISPLAY="$display"
}

# Pixels of (nearly) the given colour in an image, optionally in a crop geometry.
count_colour() {
    local image=$1 colour=$2 crop=${3:-}
    local args=("$image" -alpha off)
    [[ -z $crop ]] || args+=(-crop "$crop" +repage)
    convert "${args[@]}" -fuzz 10% -fill black +opaque "$colour" -fill white -opaque "$colour" \
        -format '%[fx:round(mean*w*h)]' info: 2>/dev/null || echo 0
}

# The text on screen (OCR, Czech and English), on one line.
screen_text() {
    local image=$1
    tesseract "$image" "$tmp/ocr" -l ces+eng >/dev/null 2>&1 || true
    tr -s '[:space:]' ' ' <"$tmp/ocr.txt" 2>/dev/null || true
}

# Waits (up to $2 seconds) until OCR of a fresh screenshot matches the extended regex $1;
# leaves the last screenshot in $3. Returns 1 on timeout (the last OCR text in $last_ocr).
last_ocr=""
wait_for_text() {
    local pattern=$1 timeout=$2 shot=$3 start=$SECONDS
    while ((SECONDS - start < timeout)); do
        if import -display "$DISPLAY" -window root "$shot" 2>/dev/null; then
            last_ocr=$(screen_text "$shot")
            grep -Eq "$pattern" <<<"$last_ocr" && return 0
        fi
        sleep 0.5
    done
    return 1
}

# Clicks the middle of the first word on screen (OCR of the screenshot $2) matching the extended
# regex $1; returns 1 when no word matches.
click_text() {
    local pattern=$1 shot=$2 box
    import -display "$DISPLAY" -window root "$shot" 2>/dev/null || return 1
    tesseract "$shot" "$tmp/words" -l ces+eng tsv >/dev/null 2>&1 || return 1
    box=$(awk -F'\t' -v p="$pattern" 'NR > 1 && $12 ~ p { print $7, $8, $9, $10; exit }' \
        "$tmp/words.tsv")
    [[ -n $box ]] || return 1
    read -r left top width height <<<"$box"
    xdotool mousemove $((left + width / 2)) $((top + height / 2)) click 1
}
