#!/usr/bin/env bash
# Kiosk card rig: a private pcscd with the vsmartcard-vpcd virtual reader, a SoftHSM2 token holding
# a card authentication key, a test CA and the card's certificate. Test data only.
#
#   eval "$(tests/kiosk-rig/start.sh [RIG_DIR])"   # prints KEY=VALUE lines (shell-quoted)
#   target/debug/virtual-eobcanka --cert "$CARD_CERT_DER" --vpcd-port "$VPCD_PORT" --control 0
#   ... tests ...
#   tests/kiosk-rig/stop.sh "$RIG_DIR"
#
# Needs: apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools softhsm2 opensc openssl
# Env in: VPCD_PORT (default 35963), KIOSK_RIG_IOK (the card's IOK = the token's user PIN,
#   default 1234; never printed).
# Env out: RIG_DIR PCSCD_PID VPCD_PORT READER SOFTHSM2_CONF PKCS11_MODULE TOKEN_LABEL
#   TOKEN_EC_LABEL CARD_CERT_DER (RSA 2048) CARD_EC_CERT_DER (P-384) CARD_P256_CERT_DER CA_PEM
#   CA_DER CARD_NUMBER. Each card certificate has its own token ("eObcanka RSA", "eObcanka EC",
#   "eObcanka P256"), key and certificate under CKA_ID 01, user PIN = the IOK.
#
# EXCLUSIVE: Debian 12's pcscd (1.9.9) ignores PCSCLITE_CSOCK_NAME and always serves
# /run/pcscd/pcscd.comm, so one rig (one pcscd) runs per machine; the script refuses to start
# when another pcscd is alive. The vpcd port is private (`pcscd -c DIR` reads this rig's own
# reader.conf.d), but vpcd listens on all interfaces: never run the rig on a real kiosk.
# Root is needed (pcscd writes /run/pcscd).
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RIG_DIR=${1:-$(mktemp -d /tmp/kiosk-rig.XXXXXX)}
VPCD_PORT=${VPCD_PORT:-35963}
IOK=${KIOSK_RIG_IOK:-1234}
SO_PIN=87654321
CARD_NUMBER=${CARD_NUMBER:-000123456}
VPCD_DRIVER=/usr/lib/pcsc/drivers/serial/libifdvpcd.so

die() { echo "kiosk-rig: $*" >&2; exit 1; }
for tool in pcscd softhsm2-util pkcs11-tool openssl; do
  command -v "$tool" >/dev/null || die "$tool missing (see the apt-get line at the top)"
done
[ -e "$VPCD_DRIVER" ] || die "vsmartcard-vpcd missing ($VPCD_DRIVER)"
PKCS11_MODULE=""
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
  [ -e "$m" ] && { PKCS11_MODULE=$m; break; }
done
[ -n "$PKCS11_MODULE" ] || die "libsofthsm2.so not found"
if [ -s /run/pcscd/pcscd.pid ] && kill -0 "$(cat /run/pcscd/pcscd.pid)" 2>/dev/null; then
  die "a pcscd is already running (pid $(cat /run/pcscd/pcscd.pid)); the rig is exclusive"
fi

mkdir -p "$RIG_DIR/reader.conf.d" "$RIG_DIR/tokens" "$RIG_DIR/pki"
touch "$RIG_DIR/.kiosk-rig"
# A failure half-way stops what was started and removes the directory.
trap 'echo "kiosk-rig: start failed; stopping" >&2; "$SCRIPT_DIR/stop.sh" "$RIG_DIR"' ERR

# --- pcscd with vpcd on our port ------------------------------------------------------------
printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x%X\nLIBPATH      %s\nCHANNELID    0x%X\n' \
  "$VPCD_PORT" "$VPCD_DRIVER" "$VPCD_PORT" > "$RIG_DIR/reader.conf.d/vpcd"
pcscd -f -c "$RIG_DIR/reader.conf.d" >"$RIG_DIR/pcscd.log" 2>&1 &
echo $! >"$RIG_DIR/pcscd.pid"
for _ in $(seq 50); do
  [ -S /run/pcscd/pcscd.comm ] && (exec 3<>"/dev/tcp/127.0.0.1/$VPCD_PORT") 2>/dev/null && break
  sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$VPCD_PORT") 2>/dev/null; then
  echo "kiosk-rig: vpcd did not listen on $VPCD_PORT; pcscd said:" >&2
  cat "$RIG_DIR/pcscd.log" >&2
  trap - ERR
  "$SCRIPT_DIR/stop.sh" "$RIG_DIR"
  exit 1
fi
# That probe connection looked like a card to vpcd for a moment; it is gone again.

# --- test CA and card certificates ----------------------------------------------------------
cd "$RIG_DIR/pki"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -sha256 \
  -subj "/C=CZ/O=Kiosk rig test CA/CN=Kiosk rig test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl x509 -in ca.pem -outform DER -out ca.der
cat > card.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
EOF
make_card() { # name keyalg-args
  local name=$1; shift
  openssl genpkey "$@" -out "$name.key" 2>/dev/null
  openssl req -new -key "$name.key" -out "$name.csr" \
    -utf8 -subj "/C=CZ/GN=Jana/SN=Testová/CN=Jana Testová/serialNumber=$CARD_NUMBER" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 730 -sha256 \
    -extfile card.ext -out "$name.pem" 2>/dev/null
  openssl x509 -in "$name.pem" -outform DER -out "$name.der"
  openssl pkcs8 -topk8 -nocrypt -in "$name.key" -out "$name.p8"
}
make_card card-rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
make_card card-ec -algorithm EC -pkeyopt ec_paramgen_curve:P-384
make_card card-p256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256

# --- SoftHSM2 tokens: one per card, the IOK as user PIN -------------------------------------
export SOFTHSM2_CONF="$RIG_DIR/softhsm2.conf"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
  "$RIG_DIR/tokens" >"$SOFTHSM2_CONF"
load_token() { # label name
  softhsm2-util --init-token --free --label "$1" --pin "$IOK" --so-pin "$SO_PIN" >/dev/null
  softhsm2-util --import "$2.p8" --token "$1" --label Authentication --id 01 --pin "$IOK" >/dev/null
  pkcs11-tool --module "$PKCS11_MODULE" --token-label "$1" --login --pin "$IOK" \
    --write-object "$2.der" --type cert --id 01 --label Authentication >/dev/null 2>&1
}
load_token "eObcanka RSA" card-rsa
load_token "eObcanka EC" card-ec
load_token "eObcanka P256" card-p256
rm -f ./*.key ./*.p8 ./*.csr
trap - ERR

q() { printf '%s=%q\n' "$1" "$2"; }
q RIG_DIR "$RIG_DIR"
q PCSCD_PID "$(cat "$RIG_DIR/pcscd.pid")"
q VPCD_PORT "$VPCD_PORT"
q READER "Virtual PCD 00 00"
q SOFTHSM2_CONF "$SOFTHSM2_CONF"
q PKCS11_MODULE "$PKCS11_MODULE"
q TOKEN_LABEL "eObcanka RSA"
q TOKEN_EC_LABEL "eObcanka EC"
q CARD_CERT_DER "$RIG_DIR/pki/card-rsa.der"
q CARD_EC_CERT_DER "$RIG_DIR/pki/card-ec.der"
q CARD_P256_CERT_DER "$RIG_DIR/pki/card-p256.der"
q CA_PEM "$RIG_DIR/pki/ca.pem"
q CA_DER "$RIG_DIR/pki/ca.der"
q CARD_NUMBER "$CARD_NUMBER"
