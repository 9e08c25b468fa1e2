#!/usr/bin/env bash
# CLI contract test for `formica keygen | sign | verify | hash` (../shared/CLI.md): outputs,
# exit codes 0/1/2, one-line errors, no prompting without a terminal.
# Usage: crypto_cli_test.sh /path/to/formica
set -uo pipefail
F=${1:?usage: crypto_cli_test.sh FORMICA_BINARY}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
failures=0

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND with stdin from /dev/null unless redirected.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >out 2>err
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, want $want"; sed 's/^/  stderr: /' err; failures=$((failures + 1))
  fi
  if [[ $want -ne 0 ]] && ! grep -qE '^formica: [a-z-]+: .+' err; then
    echo "FAIL: $what: error is not 'formica: <what>: <why>'"; failures=$((failures + 1))
  fi
  if [[ $want -ne 0 && $(wc -l <err) -ne 1 ]]; then
    echo "FAIL: $what: error is not one line"; failures=$((failures + 1))
  fi
}
check() {  # check DESCRIPTION CONDITION...
  local what=$1; shift
  if ! "$@"; then echo "FAIL: $what"; failures=$((failures + 1)); fi
}

printf 'correct horse\n' >pw
printf 'wrong horse\n' >badpw
printf 'pay 10 to org1' >msg
printf 'pay 11 to org1' >msg2

for scheme in ed25519 sm2 secp256k1; do
  expect 0 "keygen $scheme" -- "$F" keygen --scheme "$scheme" --out "$scheme.key" --password-file pw --json </dev/null
  json=$(cat out)
  check "keygen $scheme: one JSON object" grep -qE '^\{"scheme":"'"$scheme"'","public_key":"[0-9a-f]+","address":"fm[0-9][0-9a-f]{48}"\}$' out
  pub=$(sed -E 's/.*"public_key":"([0-9a-f]+)".*/\1/' <<<"$json")
  case $scheme in ed25519) len=64 ;; *) len=130 ;; esac
  check "keygen $scheme: public key length" test ${#pub} -eq $len
  check "keygen $scheme: key file is private" test "$(stat -c %a "$scheme.key")" = 600
  expect 0 "sign $scheme" -- "$F" sign --key "$scheme.key" --password-file pw --in msg
  sig=$(cat out)
  check "sign $scheme: lowercase hex line" grep -qE '^[0-9a-f]+$' out
  [[ $scheme == secp256k1 ]] && check "secp256k1 signature is 64 bytes" test ${#sig} -eq 128
  [[ $scheme == ed25519 ]] && check "ed25519 signature is 64 bytes" test ${#sig} -eq 128
  [[ $scheme == sm2 ]] && check "sm2 signature is DER" grep -q '^30' out
  expect 0 "verify $scheme valid" -- "$F" verify --scheme "$scheme" --pub "$pub" --sig "$sig" --in msg
  expect 0 "verify $scheme from stdin" -- "$F" verify --scheme "$scheme" --pub "$pub" --sig "$sig" <msg
  expect 1 "verify $scheme other message" -- "$F" verify --scheme "$scheme" --pub "$pub" --sig "$sig" --in msg2
  expect 2 "verify $scheme bad hex" -- "$F" verify --scheme "$scheme" --pub "$pub" --sig "${sig}zz" --in msg
  expect 2 "verify $scheme short key" -- "$F" verify --scheme "$scheme" --pub "${pub:2}" --sig "$sig" --in msg
  expect 2 "verify $scheme truncated sig" -- "$F" verify --scheme "$scheme" --pub "$pub" --sig "${sig:2}" --in msg
done

expect 2 "unknown scheme" -- "$F" verify --scheme rsa --pub 00 --sig 00 --in msg
expect 2 "unknown option" -- "$F" verify --scheme ed25519 --pub 00 --sig 00 --frobnicate

# RFC 8032 §7.1 TEST 1 (empty message) through the command line.
: >empty
expect 0 "rfc8032 test 1" -- "$F" verify --scheme ed25519 \
  --pub d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a \
  --sig e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b \
  --in empty

# Key files: wrong password 1, truncated 2, corrupted ciphertext 1, missing password 2.
expect 1 "sign wrong password" -- "$F" sign --key ed25519.key --password-file badpw --in msg
head -c 200 ed25519.key >trunc.key
expect 2 "sign truncated key file" -- "$F" sign --key trunc.key --password-file pw --in msg
# Flip the first hex digit of the ciphertext (0 -> 1, anything else -> 0).
sed -E '/"ciphertext"/{s/"ciphertext": "0/"ciphertext": "X/; t flip; s/"ciphertext": "./"ciphertext": "0/; :flip; s/"ciphertext": "X/"ciphertext": "1/}' \
  ed25519.key >corrupt.key
if cmp -s ed25519.key corrupt.key; then echo "FAIL: corrupted copy is identical"; failures=$((failures + 1)); fi
expect 1 "sign corrupted key file" -- "$F" sign --key corrupt.key --password-file pw --in msg
expect 2 "sign without password, stdin not a terminal" -- "$F" sign --key ed25519.key --in msg </dev/null
expect 2 "sign missing key file" -- "$F" sign --key nope.key --password-file pw --in msg
expect 2 "sign key file is not JSON" -- "$F" sign --key msg --password-file pw --in msg
expect 2 "keygen without password, stdin not a terminal" -- "$F" keygen --scheme sm2 --out new.key </dev/null
check "no key file written without a password" test ! -e new.key
expect 2 "keygen refuses to overwrite" -- "$F" keygen --scheme sm2 --out ed25519.key --password-file pw
expect 2 "keygen unknown scheme" -- "$F" keygen --scheme rsa --out x.key --password-file pw

# Hashes: known answers for "abc".
printf 'abc' >abc
declare -A want=(
  [sha256]=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
  [sm3]=66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0
  [keccak256]=4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45
  [blake2b-256]=bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319
)
for alg in sha256 sm3 keccak256 blake2b-256; do
  expect 0 "hash $alg" -- "$F" hash --alg "$alg" --in abc
  check "hash $alg value" test "$(cat out)" = "${want[$alg]}"
  expect 0 "hash $alg stdin" -- "$F" hash --alg "$alg" <abc
  check "hash $alg stdin value" test "$(cat out)" = "${want[$alg]}"
done
expect 2 "hash unknown alg" -- "$F" hash --alg md5 --in abc
expect 2 "hash missing file" -- "$F" hash --alg sha256 --in does-not-exist

if [[ $failures -ne 0 ]]; then echo "crypto_cli_test: $failures failure(s)"; exit 1; fi
echo "crypto_cli_test: ok"
