#!/usr/bin/env bash
# demo: GS1 traceability — EPCIS event hash IDs, a Digital Link, a QR code read back
set -euo pipefail
: "${F:?path of the formica binary}" "${WORK:?a temporary directory}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
vectors="$root/tests/vectors/gs1/event-hash"

echo "== CBV 2.0 event hash IDs of one event, written in JSON-LD and in XML"
"$F" trace hash "$vectors/ReferenceEventHashAlgorithm.jsonld"
"$F" trace hash "$vectors/ReferenceEventHashAlgorithm.xml"
echo "   expected: $(cat "$vectors/ReferenceEventHashAlgorithm.hashes")"

echo "== a GS1 Digital Link, parsed and checked"
dl='https://id.gs1.org/01/09506000134352/10/ABC123/21/12345?17=261231'
"$F" trace dl-parse "$dl"
echo "== a wrong check digit is refused (exit 1)"
"$F" trace dl-parse 'https://id.gs1.org/01/09506000134353' || echo "   exit $?"

echo "== QR code written as PNG and read back"
"$F" trace qr "$dl" --out "$WORK/label.png"
"$F" trace scan "$WORK/label.png"
