#!/usr/bin/env bash
# Makes a test PKI and time-stamp responses signed under it, with the openssl command
# only: `make-pki.sh OUT [CA]` writes the responses into OUT and, when CA is given, the
# root certificate to CA (the keys are thrown away).
#
# The fuzz target `tsa` trusts fuzz/tsa/ca.pem, which was made this way once, and the
# committed corpus holds the responses made with it. `scripts/fuzz.sh seed` runs this
# again without CA: tokens under a fresh root are untrusted ones, worth having too.
#
# The responses cover the digest the target checks (SHA-256 of "exhibit fuzz"): a good
# token with and without a nonce, a token for another digest, one over SHA-1, one signed
# by a certificate without the timeStamping usage (when openssl allows it), and refusals.
set -euo pipefail
out="$(mkdir -p "$1" && cd "$1" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 7300 \
  -subj "/O=Exhibit Fuzz/CN=Exhibit Fuzz Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
leaf() { # name cn ext
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/O=Exhibit Fuzz/CN=$2" 2>/dev/null
  printf '%b' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$RANDOM" -days 7000 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
leaf tsa "Exhibit Fuzz TSA" \
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
leaf noeku "Exhibit Fuzz No-EKU TSA" \
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"

cat > ts.cnf <<CNF
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = $work
serial = $work/serial
crypto_device = builtin
signer_cert = $work/tsa.pem
certs = $work/ca.pem
signer_key = $work/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha1, sha256
accuracy = secs:1, millisecs:500
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
echo 01 > serial

digest="$(printf 'exhibit fuzz' | openssl dgst -sha256 -r | cut -d' ' -f1)"
other="$(printf 'something else' | openssl dgst -sha256 -r | cut -d' ' -f1)"
openssl ts -query -digest "$digest" -sha256 -cert -out nonce.tsq 2>/dev/null
openssl ts -query -digest "$digest" -sha256 -cert -no_nonce -out plain.tsq 2>/dev/null
openssl ts -query -digest "$digest" -sha256 -no_nonce -out nocert.tsq 2>/dev/null
openssl ts -query -digest "$other" -sha256 -cert -out other.tsq 2>/dev/null
openssl ts -query -digest "$(printf 'exhibit fuzz' | openssl dgst -sha1 -r | cut -d' ' -f1)" -sha1 -cert -out sha1.tsq 2>/dev/null
reply() { openssl ts -reply -config ts.cnf -queryfile "$1" -out "$out/$2" "${@:3}" 2>/dev/null; }
reply nonce.tsq good-nonce.tsr
reply plain.tsq good-plain.tsr
reply nocert.tsq good-nocert.tsr
reply other.tsq other-digest.tsr
reply sha1.tsq sha1.tsr
# openssl ts refuses to sign with a certificate that lacks the usage, so this token is
# signed by the good key but names the no-EKU certificate as its chain's signer.
reply plain.tsq noeku.tsr -signer noeku.pem -inkey noeku.key || true
# Refusals: status rejection (2) with a text and a failure bit, and waiting (3).
printf '\x30\x1d\x30\x1b\x02\x01\x02\x30\x10\x0c\x0ebad request!!!\x03\x04\x00\x00\x00\x80' > "$out/rejection.tsr"
printf '\x30\x05\x30\x03\x02\x01\x03' > "$out/waiting.tsr"
if [ -n "${2:-}" ]; then cp ca.pem "$2"; fi
