#!/usr/bin/env bash
# `formica remit iso-check` exit codes and output shapes (../shared/CLI.md, Remittance).
# usage: iso20022_cli_test.sh FORMICA_BINARY VECTORS_DIR
set -uo pipefail
F=$1
V=$2/iso20022
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect CODE FILE [ARGS...]: runs iso-check (bounded by a timeout) and checks the exit code.
expect() {
  local want=$1
  shift
  timeout 20 "$F" remit iso-check "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [[ $got != "$want" ]]; then
    echo "FAIL: iso-check $* exited $got, expected $want"
    sed 's/^/  | /' "$work/out" "$work/err" | head -5
    failures=$((failures + 1))
  fi
}

# Exit 0: valid messages print one line and nothing on stderr.
for f in "$V"/cbpr-plus-examples/*.xml "$V"/cbpr-plus-fixtures/*_valid.xml \
  "$V"/cbpr-plus-samples/2025_pacs008_credit_transfer_sample.xml "$V"/cbpr-plus-samples/2026_pacs002_status_report_sample.xml; do
  expect 0 "$f"
  [[ -s $work/err ]] && { echo "FAIL: stderr not empty for valid $f"; failures=$((failures + 1)); }
done

# Exit 1: one line per finding, `<rule>: <text>`.
for f in "$V"/cbpr-plus-fixtures/*_invalid.xml "$V"/cbpr-plus-samples/*violator*.xml \
  "$V"/cbpr-plus-samples/*dodgy*.xml "$V"/cbpr-plus-samples/*xsd_issue.xml; do
  expect 1 "$f"
  if grep -qvE '^[A-Z0-9]+(-[A-Z0-9]+)+: .+' "$work/out" || [[ ! -s $work/out ]]; then
    echo "FAIL: finding lines of $f are not '<rule>: <text>'"
    failures=$((failures + 1))
  fi
done
expect 1 "$V/cbpr-plus-samples/2026_violator_pacs002_status_report_sample__violates_pacs.002-R7_msgdefidr_mismatch.xml"
grep -q '^HDR-MSGDEFIDR: ' "$work/out" || { echo "FAIL: violator does not name HDR-MSGDEFIDR"; failures=$((failures + 1)); }
expect 1 "$V/cbpr-plus-fixtures/pacs008_invalid.xml" --json
grep -q '"valid":false' "$work/out" && grep -q '"rule":"CCY-COMMODITY"' "$work/out" ||
  { echo "FAIL: --json of an invalid message"; failures=$((failures + 1)); }
[[ $(wc -l <"$work/out") == 1 ]] || { echo "FAIL: --json printed more than one line"; failures=$((failures + 1)); }
expect 0 "$V/cbpr-plus-fixtures/pacs008_valid.xml" --json
grep -q '"valid":true' "$work/out" && grep -q '"message":"pacs.008.001.08"' "$work/out" ||
  { echo "FAIL: --json of a valid message"; failures=$((failures + 1)); }
expect 0 - <"$V/cbpr-plus-fixtures/pacs_002_2026_valid.xml"

# Exit 2: not XML, unsupported messages, usage errors; one stderr line `formica: ...`.
expect 2 "$V/moov_valid_pacs_v11.json"
grep -qE '^formica: remit iso-check: ' "$work/err" && [[ $(wc -l <"$work/err") == 1 ]] ||
  { echo "FAIL: error line shape"; failures=$((failures + 1)); }
expect 2 "$V/moov_valid_pacs_v11.xml"
expect 2 "$work/does-not-exist.xml"
expect 2 "$V/cbpr-plus-fixtures/pacs008_valid.xml" --bogus
expect 2
timeout 5 "$F" remit nonsense >/dev/null 2>&1
[[ $? == 2 ]] || { echo "FAIL: unknown verb"; failures=$((failures + 1)); }

# Hostile XML: refused (1 or 2) quickly, never a crash or a hang.
hostile() {
  timeout 20 "$F" remit iso-check "$1" >/dev/null 2>&1
  local got=$?
  if [[ $got != 1 && $got != 2 ]]; then
    echo "FAIL: hostile $(basename "$1") exited $got"
    failures=$((failures + 1))
  fi
}
ns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'
{
  echo '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
  for i in 1 2 3 4 5 6 7 8 9; do echo "<!ENTITY a$i \"&a$((i - 1));&a$((i - 1));&a$((i - 1));&a$((i - 1));&a$((i - 1));&a$((i - 1));&a$((i - 1));&a$((i - 1));&a$((i - 1));&a$((i - 1));\">"; done | sed 's/&a0;/\&a;/g'
  echo "]><Document xmlns=\"$ns\">&a9;</Document>"
} >"$work/laughs.xml"
hostile "$work/laughs.xml"
echo "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document xmlns=\"$ns\">&x;</Document>" >"$work/xxe.xml"
hostile "$work/xxe.xml"
{ for _ in $(seq 100000); do printf '<a>'; done; for _ in $(seq 100000); do printf '</a>'; done; } >"$work/deep.xml"
hostile "$work/deep.xml"
{
  printf '<Document xmlns="%s"><FIToFICstmrCdtTrf><GrpHdr><MsgId>' "$ns"
  head -c 104857600 /dev/zero | tr '\0' A
  printf '</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>'
} >"$work/huge.xml"
start=$(date +%s)
hostile "$work/huge.xml"
(($(date +%s) - start < 10)) || { echo "FAIL: 100 MB body took too long"; failures=$((failures + 1)); }

if ((failures > 0)); then
  echo "iso20022 CLI: $failures failure(s)"
  exit 1
fi
echo "iso20022 CLI: ok"
