#!/usr/bin/env bash
# The kiosk end to end with a card: the desktop build under Xvfb at 1080x1920, the demo backend
# trusting the rig's test CA, pcscd with the vsmartcard-vpcd virtual reader, a virtual eObčanka
# (virtual-card) and its key in a SoftHSM2 token (tests/kiosk-rig). An admin registers the kiosk
# over the API; then a visitor inserts the card, types a wrong IOK (tries left shown), the right
# IOK, sees the dashboard, and removes the card: the kiosk is back on the welcome screen and the
# session is gone on the server. A profile change in the back office reaches the running kiosk.
# Screenshots of welcome, PIN entry and dashboard are checked (OCR), not only saved.
#
# Usage: tests/desktop/card.sh   (Debian 12, root: installs packages; the rig is exclusive)
# Output: one line per check, timings, then "desktop-card: N passed, N failed"; exit 1 on failure.
# Env: KIOSK_SOAK=N adds N more visits (KIOSK_SOAK_MINUTES=M: for M minutes) and reports the
# kiosk's memory every 10 visits.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHOTS="$ROOT/tests/desktop/screenshots"
WIDTH=1080
HEIGHT=1920
IOK=4682
ORIGIN=https://portal.dolni-lhota.example
PACKAGES=(libwebkit2gtk-4.1-dev libxdo-dev pkg-config xvfb xauth x11-utils imagemagick
    tesseract-ocr tesseract-ocr-ces curl xdotool pcscd libpcsclite-dev vsmartcard-vpcd
    pcsc-tools softhsm2 opensc openssl python3)

NAME=desktop-card
backend_pid=""
xvfb_pid=""
kiosk_pid=""
card_pid=""
rig_dir=""
# shellcheck source=tests/desktop/lib.sh
source "$ROOT/tests/desktop/lib.sh"

cleanup() {
    local status=$?
    if [[ -z $summarised ]]; then
        fail "the script stopped unexpectedly (status $status)"
        show_logs
        summary
    fi
    exec 5>&- 2>/dev/null || true
    stop "$kiosk_pid" group
    stop "$card_pid"
    stop "$xvfb_pid"
    stop "$backend_pid"
    if [[ -n $rig_dir ]]; then "$ROOT/tests/kiosk-rig/stop.sh" "$rig_dir" >/dev/null 2>&1 || true; fi
    if [[ -n $tmp ]]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'echo "desktop-card: error at line $LINENO" >&2' ERR

ensure_packages "${PACKAGES[@]}"

# ---- Build ---------------------------------------------------------------------------------

cd "$ROOT"
cargo build --quiet -p portal-backend -p kiosk-config -p virtual-card || fatal "cargo build"
cargo build --quiet -p portal-app --features desktop || fatal "cargo build -p portal-app --features desktop"
target_dir=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin="$target_dir/debug"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/desktop-card.XXXXXX")
mkdir -p "$tmp/data" "$tmp/web/assets" "$tmp/xdg/config" "$tmp/xdg/cache" "$tmp/xdg/data" \
    "$tmp/xdg/runtime" "$SHOTS"
chmod 700 "$tmp/xdg/runtime"
cp -R "$ROOT/assets/demo" "$tmp/web/assets/"

# ---- Card rig: pcscd + vpcd, SoftHSM2 token, test CA ---------------------------------------

rig_env=$(KIOSK_RIG_IOK=$IOK "$ROOT/tests/kiosk-rig/start.sh" "$tmp/rig" 2>"$tmp/rig.err") ||
    fatal "tests/kiosk-rig/start.sh: $(tail -n 3 "$tmp/rig.err")"
eval "$rig_env"
rig_dir=$RIG_DIR
pass "card rig up: reader \"$READER\" on vpcd port $VPCD_PORT, SoftHSM2 token, test CA"

# ---- Backend trusting the rig's CA ---------------------------------------------------------

# A background job's redirections happen in the child: create the files the loops below read
# now, or a loop may look before the child has (a missing file failed the script once).
touch "$tmp/backend.out" "$tmp/card.out"
PORTAL_LISTEN=127.0.0.1:0 PORTAL_DATA_DIR="$tmp/data" PORTAL_WEB_DIR="$tmp/web" \
    PORTAL_DEMO_KIOSK_TRUST_ANCHORS="$CA_PEM" PORTAL_DEMO_KIOSK_ORIGIN="$ORIGIN" \
    "$bin/portal-backend" --demo >"$tmp/backend.out" 2>"$tmp/backend.err" </dev/null &
backend_pid=$!
backend_url=""
for ((i = 0; i < 300; i++)); do
    backend_url=$(sed -n 's|^Portál občana is running at \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' \
        "$tmp/backend.out")
    [[ -z $backend_url ]] || break
    kill -0 "$backend_pid" 2>/dev/null || fatal "the backend exited before it was ready"
    sleep 0.1
done
[[ -n $backend_url ]] || fatal "the backend did not start"

# ---- An admin registers the kiosk ----------------------------------------------------------

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
profile="$tmp/lobby.toml"
sed -e "s|^backend_url = .*|backend_url = \"$backend_url\"|" \
    -e "s|^idle_timeout_seconds = .*|idle_timeout_seconds = 300|" \
    "$ROOT/kiosk-config/examples/lobby.toml" >"$profile"
"$bin/kiosk-config" validate "$profile" >/dev/null || fatal "the kiosk profile does not validate"
jar="$tmp/admin.cookies"
csrf=$(curl -fsS -c "$jar" -b "$jar" -H 'Content-Type: application/json' \
    -d '{"persona":"tomas"}' "$backend_url/api/auth/demo/login" | json_field csrf_token)
admin() { # METHOD PATH [JSON-FILE]
    curl -sS -o "$tmp/admin.out" -w '%{http_code}' -b "$jar" -X "$1" -H "X-CSRF-Token: $csrf" \
        -H 'Content-Type: application/json' ${3:+--data "@$3"} "$backend_url$2"
}
python3 -c 'import json,sys; print(json.dumps({"id":"lobby-1","name":"Lobby","profile":open(sys.argv[1]).read()}))' \
    "$profile" >"$tmp/register.json"
[[ $(admin POST /api/admin/kiosks "$tmp/register.json") == 201 ]] ||
    fatal "registering the kiosk: $(cat "$tmp/admin.out")"
json_field credential <"$tmp/admin.out" >"$tmp/credential"
chmod 600 "$tmp/credential"
pass "admin registered kiosk lobby-1 and got its device credential"

# ---- The virtual card, the display, the kiosk ----------------------------------------------

VIRTUAL_EOBCANKA_IOK=$IOK "$bin/virtual-eobcanka" --cert "$CARD_CERT_DER" \
    --card-number "$CARD_NUMBER" --vpcd-port "$VPCD_PORT" --control 0 \
    >"$tmp/card.out" 2>"$tmp/card.err" </dev/null &
card_pid=$!
control_port=""
for ((i = 0; i < 100; i++)); do
    control_port=$(sed -n 's/^CONTROL_PORT=//p' "$tmp/card.out")
    [[ -z $control_port ]] || break
    sleep 0.1
done
[[ -n $control_port ]] || fatal "virtual card did not start"
exec 5<>"/dev/tcp/127.0.0.1/$control_port"
card() { # one control line; answers "ok …" or fails
    local answer
    printf '%s\n' "$1" >&5
    IFS= read -r -t 10 answer <&5 || fatal "virtual card: no answer to $1"
    [[ $answer == ok* ]] || fatal "virtual card: $1 -> $answer"
}

start_xvfb
env -u WAYLAND_DISPLAY GDK_BACKEND=x11 PORTAL_KIOSK_PROFILE="$profile" \
    PORTAL_KIOSK_CREDENTIAL_FILE="$tmp/credential" PORTAL_KIOSK_PKCS11_MODULE="$PKCS11_MODULE" \
    PORTAL_KIOSK_PROFILE_POLL_SECONDS=1 SOFTHSM2_CONF="$SOFTHSM2_CONF" \
    XDG_CONFIG_HOME="$tmp/xdg/config" XDG_CACHE_HOME="$tmp/xdg/cache" \
    XDG_DATA_HOME="$tmp/xdg/data" XDG_RUNTIME_DIR="$tmp/xdg/runtime" \
    setsid "$bin/portal-app" >"$tmp/kiosk.out" 2>"$tmp/kiosk.err" </dev/null &
kiosk_pid=$!

now_ms() { echo $(($(date +%s%N) / 1000000)); }
type_pin() {
    xdotool mousemove $((WIDTH / 2)) 40
    xdotool type --delay 40 "$1"
    xdotool key Return
}
kiosk_sessions() {
    python3 - "$tmp/data/portal.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM sessions WHERE kiosk_id IS NOT NULL").fetchone()[0])
PY
}

# ---- Welcome -------------------------------------------------------------------------------

if wait_for_text 'Vlo[žz]te ob[čc]ansk' 90 "$SHOTS/kiosk-welcome.png"; then
    pass "welcome screen asks for the ID card (screenshot kiosk-welcome.png)"
else
    fatal "no welcome screen; OCR read: ${last_ocr:0:300}"
fi
grep -Eq '[ÚU][řr]edn[íi] hodiny' <<<"$last_ocr" && grep -Eq 'Po, St' <<<"$last_ocr" &&
    pass "welcome screen shows the opening hours" ||
    fail "welcome screen without opening hours: ${last_ocr:0:300}"
sleep 1
import -display "$DISPLAY" -window root "$tmp/welcome-ref.png"

# ---- Card in (on the "log in another way" page), wrong IOK, right IOK ----------------------

click_text '^jinak$' "$tmp/welcome-other.png" || fail "no \"Přihlásit se jinak\" button on the welcome screen"
if wait_for_text 'Vyberte, jak se chcete' 30 "$tmp/other.png"; then
    pass "\"log in another way\" shows the login methods"
else
    fail "no login methods after \"Přihlásit se jinak\": ${last_ocr:0:300}"
fi
card insert
if wait_for_text 'Zadejte identifika' 30 "$SHOTS/kiosk-pin.png"; then
    pass "card inserted (on the login methods page): PIN entry (screenshot kiosk-pin.png)"
else
    fatal "no PIN entry after inserting the card; OCR read: ${last_ocr:0:300}"
fi
grep -Eq 'pokusy: 3' <<<"$last_ocr" && pass "PIN entry shows 3 tries left" ||
    fail "PIN entry does not show 3 tries left: ${last_ocr:0:300}"

type_pin 0000
if wait_for_text 'Nespr[áa]vn[ýy] IOK' 20 "$tmp/wrong.png" && grep -Eq 'pokusy: 2' <<<"$last_ocr"; then
    pass "a wrong IOK is refused and 2 tries are left"
else
    fail "wrong IOK not reported with 2 tries left: ${last_ocr:0:300}"
fi

type_pin "$IOK"
if wait_for_text 'Odhl[áa]s[íi]te se vyjmut[íi]m karty' 30 "$SHOTS/kiosk-dashboard.png"; then
    pass "right IOK: logged in, dashboard shown (screenshot kiosk-dashboard.png)"
else
    fatal "no dashboard after the right IOK; OCR read: ${last_ocr:0:300}"
fi
grep -Eq 'P[řr]ehled' <<<"$last_ocr" && grep -Eq 'Jana Testov[áa]' <<<"$last_ocr" &&
    pass "dashboard greets the card holder by the certificate's name" ||
    fail "dashboard text not found: ${last_ocr:0:300}"
[[ $(kiosk_sessions) == 1 ]] && pass "the server holds one session bound to the kiosk" ||
    fail "kiosk sessions on the server: $(kiosk_sessions)"

# ---- Card out: welcome within a second, session gone ---------------------------------------

removed_at=$(now_ms)
card remove
back=""
for ((i = 0; i < 100; i++)); do
    import -display "$DISPLAY" -window root "$tmp/after.png" 2>/dev/null || continue
    diff=$(compare -metric AE -fuzz 5% "$tmp/welcome-ref.png" "$tmp/after.png" null: 2>&1 || true)
    if [[ ${diff%% *} =~ ^[0-9]+$ ]] && ((${diff%% *} < 20000)); then
        back=$(($(now_ms) - removed_at))
        break
    fi
done
erased_at=$(sed -n 's/^kiosk: card removed, visit erased in [0-9]* ms (at \([0-9]*\))/\1/p' \
    "$tmp/kiosk.err" | tail -1)
erased=$(( ${erased_at:-0} - removed_at ))
if [[ -n $back ]]; then
    pass "card removed: welcome screen again (kiosk erased the visit $erased ms after the card left; seen on screen after $back ms, screenshot polling included)"
else
    fail "the welcome screen did not come back after removing the card"
fi
for ((i = 0; i < 50; i++)); do [[ $(kiosk_sessions) == 0 ]] && break; sleep 0.1; done
[[ $(kiosk_sessions) == 0 ]] && pass "the kiosk session ended on the server" ||
    fail "a kiosk session outlived the card"

# ---- Card problems, each named on screen ---------------------------------------------------

problem() { # control-line-before, OCR pattern, what, control-line-after
    card "$1"
    card insert
    if wait_for_text "$2" 20 "$tmp/problem.png"; then
        pass "$3: told on screen"
    else
        fail "$3: not told on screen; OCR read: ${last_ocr:0:300}"
    fi
    card remove
    card "$4"
    # vpcd may not power a card inserted right after one with another ATR (seen in the rig).
    sleep 3
}
problem "tries 0" 'je zablokovan[ýy] po t[řr]ech' "a blocked IOK" "tries 3"
problem "atr 3B8F8001804F0CA000000306030001000000006A" 'nen[íi] ob[čc]ansk[ýy] pr[ůu]kaz' \
    "a card of another type" "atr default"
problem "mute" 'Karta neodpov[íi]d[áa]' "a card that does not answer" "unmute"

# ---- The back office changes the profile; the running kiosk follows ------------------------

sed -e 's/^default_language = .*/default_language = "en"/' \
    -e 's/^idle_timeout_seconds = .*/idle_timeout_seconds = 30/' "$profile" >"$tmp/profile-en.toml"
python3 -c 'import json,sys; print(json.dumps({"profile":open(sys.argv[1]).read()}))' \
    "$tmp/profile-en.toml" >"$tmp/update.json"
[[ $(admin PUT /api/admin/kiosks/lobby-1/profile "$tmp/update.json") == 200 ]] ||
    fail "profile update: $(cat "$tmp/admin.out")"
if wait_for_text 'Insert your ID card' 20 "$tmp/english.png"; then
    pass "a profile changed in the back office reached the running kiosk (now English)"
else
    fail "the kiosk did not apply the new profile: ${last_ocr:0:300}"
fi
admin GET /api/admin/kiosks >/dev/null
grep -q '"last_contact":"' "$tmp/admin.out" && pass "the back office sees the kiosk's last contact" ||
    fail "no last contact in $(cat "$tmp/admin.out")"

# ---- A visitor walks away with the card in: countdown, then the visit ends -----------------

card insert
wait_for_text 'Type your identification PIN' 30 "$tmp/idle.png" || fail "no PIN entry in English"
type_pin "$IOK"
if wait_for_text 'Take your card out to log out' 30 "$tmp/idle.png"; then
    pass "logged in again, now in English"
else
    fail "no English dashboard: ${last_ocr:0:300}"
fi
if wait_for_text 'In [0-9]+ s we log you out' 40 "$SHOTS/kiosk-countdown.png"; then
    pass "idle: a countdown warns before the visit ends (screenshot kiosk-countdown.png)"
else
    fail "no idle countdown: ${last_ocr:0:300}"
fi
if wait_for_text 'Please take your card out' 30 "$tmp/idle.png"; then
    pass "idle timeout ended the visit; the kiosk asks for the card back"
else
    fail "idle timeout did not end the visit: ${last_ocr:0:300}"
fi
for ((i = 0; i < 50; i++)); do [[ $(kiosk_sessions) == 0 ]] && break; sleep 0.1; done
[[ $(kiosk_sessions) == 0 ]] && pass "idle timeout ended the session on the server" ||
    fail "a kiosk session outlived the idle timeout"
card remove

# ---- Timings and memory --------------------------------------------------------------------

read_ms=$(sed -n 's/^kiosk: card read in \([0-9]*\) ms/\1/p' "$tmp/kiosk.err" | head -1)
login_ms=$(sed -n 's/^kiosk: PIN confirmed, logged in in \([0-9]*\) ms/\1/p' "$tmp/kiosk.err" | tail -1)
echo "$NAME: card read ${read_ms:-?} ms + PIN confirmed to logged in ${login_ms:-?} ms (PIN typing excluded); removal to erased visit ${erased:-?} ms, welcome seen after ${back:-?} ms"

if [[ -n ${KIOSK_SOAK:-}${KIOSK_SOAK_MINUTES:-} ]]; then
    # Simulated visitors: insert, IOK, dashboard, the payments page, remove. Memory of the kiosk
    # alone and with WebKit's helper processes (its process group), every 10 visits.
    rss_all() { ps -o rss= -g "$kiosk_pid" | awk '{ s += $1 } END { print s }'; }
    rss_kiosk() { ps -o rss= -p "$kiosk_pid" | tr -d ' '; }
    soak_start=$SECONDS
    visits=${KIOSK_SOAK:-1000000}
    minutes=${KIOSK_SOAK_MINUTES:-100000}
    first=""
    for ((v = 1; v <= visits && SECONDS - soak_start < minutes * 60; v++)); do
        card insert
        wait_for_text 'IOK' 30 "$tmp/soak.png" || { fail "soak visit $v: no PIN entry"; break; }
        type_pin "$IOK"
        wait_for_text 'card out|vyjmut' 30 "$tmp/soak.png" || { fail "soak visit $v: no dashboard"; break; }
        if click_text '^(Payments|Platby)$' "$tmp/soak.png"; then
            wait_for_text 'You owe nothing|Total to pay|Nic nedlu|Celkem' 30 "$tmp/soak.png" ||
                fail "soak visit $v: the payments page did not open"
        fi
        card remove
        sleep 1
        [[ -n $first ]] || first=$(rss_all)
        if ((v % 10 == 0)); then
            echo "$NAME: soak visit $v, minute $(((SECONDS - soak_start) / 60)): kiosk $(rss_kiosk) kB, with WebKit $(rss_all) kB"
        fi
    done
    echo "$NAME: kiosk RSS (with WebKit's processes) after visit 1: ${first} kB, after visit $((v - 1)) ($(((SECONDS - soak_start) / 60)) min): $(rss_all) kB"
fi

if grep -Eqi 'panicked' "$tmp/kiosk.err"; then
    fail "kiosk panicked: $(grep -Ei -m1 'panicked' "$tmp/kiosk.err")"
fi
if grep -Eq "$IOK" "$tmp/kiosk.err" "$tmp/kiosk.out" "$tmp/backend.err" "$tmp/card.err" 2>/dev/null; then
    fail "the IOK shows up in a log"
else
    pass "the IOK appears in no log"
fi

if ((failed > 0)); then show_logs; fi
summary
((failed == 0))
