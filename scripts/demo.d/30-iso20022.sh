#!/usr/bin/env bash
# demo: ISO 20022 - CBPR+ checks on a valid pacs.008 and on a broken one
# Env: F = the formica binary, WORK = a temporary directory.
set -uo pipefail
V=tests/vectors/iso20022
echo "\$ formica remit iso-check $V/cbpr-plus-samples/2025_pacs008_credit_transfer_sample.xml"
$F remit iso-check "$V/cbpr-plus-samples/2025_pacs008_credit_transfer_sample.xml"
echo "exit $?"
# The same payment, rewritten in gold with a slash-led instruction id and a foreign sender.
sed -e 's/Ccy="EUR"/Ccy="XAU"/' -e 's|<pacs:InstrId>|<pacs:InstrId>/|' \
  -e '0,/<pacs:BICFI>FNTXDE2X</s//<pacs:BICFI>ZZZZDE2X</' \
  "$V/cbpr-plus-samples/2025_pacs008_credit_transfer_sample.xml" >"$WORK/broken_pacs008.xml"
echo "\$ formica remit iso-check broken_pacs008.xml   # XAU, '/' in InstrId, InstgAgt differs from AppHdr Fr"
$F remit iso-check "$WORK/broken_pacs008.xml"
echo "exit $?"
echo "\$ formica remit iso-check --json (violator of CBPR+ pacs.002 R7)"
$F remit iso-check --json "$V/cbpr-plus-samples/2026_violator_pacs002_status_report_sample__violates_pacs.002-R7_msgdefidr_mismatch.xml"
echo "exit $?"
exit 0
