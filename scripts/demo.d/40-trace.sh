#!/usr/bin/env bash
# demo: traceability on chain — a box of eggs from the farm to the supermarket, scanned and verified
set -euo pipefail
: "${F:?path of the formica binary}" "${WORK:?a temporary directory}" "${NET:?network directory}" "${RPC:?node RPC URL}"
# The four organisations of the demo network play: org0 the farm, org1 the cold-chain carrier,
# org2 the quality bureau, org3 the supermarket. Each registers its GS1 Company Prefix and GLNs.
A0=$NET/orgs/org0/admin.key A1=$NET/orgs/org1/admin.key A2=$NET/orgs/org2/admin.key A3=$NET/orgs/org3/admin.key
R=(--rpc "$RPC")
D=$WORK/trace
mkdir -p "$D"

echo "== participants: company prefixes and locations (GLNs)"
"$F" trace register "${R[@]}" --key "$A0" --name "Sunny Hill Farm" --prefix 4012345 --gln 4012345000016
"$F" trace register "${R[@]}" --key "$A1" --name "ColdLine Logistics" --prefix 4098765 --gln 4098765000072 --gln 4098765000089
"$F" trace register "${R[@]}" --key "$A2" --name "Food Quality Bureau" --prefix 4055555 --gln 4055555000032
"$F" trace register "${R[@]}" --key "$A3" --name "FreshMart Central" --prefix 4077777 --gln 4077777000010

CTX='"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"cbvmda": "urn:epcglobal:cbv:mda:", "farm": "https://sunnyhill.example/ns/"}], "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-03-01T05:00:00Z"'
FARM=urn:epc:id:sgln:4012345.00001.0
TRUCK=urn:epc:id:sgln:4098765.00007.0
DEPOT=urn:epc:id:sgln:4098765.00008.0
LAB=urn:epc:id:sgln:4055555.00003.0
SHOP=urn:epc:id:sgln:4077777.00001.0
C1=urn:epc:id:sgtin:4012345.011111.1001
C2=urn:epc:id:sgtin:4012345.011111.1002
C3=urn:epc:id:sgtin:4012345.011111.1003
C4=urn:epc:id:sgtin:4012345.011111.1004
CASE1=urn:epc:id:sgtin:4012345.111111.501
CASE2=urn:epc:id:sgtin:4012345.111111.502
PALLET=urn:epc:id:sscc:4012345.0000000001

echo "== the farm commissions four cartons of lot L260301 (each with a one-time code), packs cases and a pallet"
S1=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
S2=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
S3=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
S4=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat >"$D/secrets.json" <<EOF
{"$C1": "$S1", "$C2": "$S2", "$C3": "$S3", "$C4": "$S4"}
EOF
cat >"$D/farm.jsonld" <<EOF
{$CTX, "epcisBody": {"eventList": [
 {"type": "ObjectEvent", "eventTime": "2026-03-01T06:10:00+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["$C1", "$C2", "$C3", "$C4"], "action": "ADD", "bizStep": "commissioning", "disposition": "active",
  "readPoint": {"id": "$FARM"}, "bizLocation": {"id": "$FARM"},
  "ilmd": {"cbvmda:lotNumber": "L260301", "cbvmda:itemExpirationDate": "2026-03-29", "farm:layingDate": "2026-02-28", "farm:henHousing": "free range"}},
 {"type": "AggregationEvent", "eventTime": "2026-03-01T06:40:00+01:00", "eventTimeZoneOffset": "+01:00",
  "parentID": "$CASE1", "childEPCs": ["$C1", "$C2"], "action": "ADD", "bizStep": "packing", "disposition": "in_progress",
  "readPoint": {"id": "$FARM"}},
 {"type": "AggregationEvent", "eventTime": "2026-03-01T06:41:00+01:00", "eventTimeZoneOffset": "+01:00",
  "parentID": "$CASE2", "childEPCs": ["$C3", "$C4"], "action": "ADD", "bizStep": "packing", "disposition": "in_progress",
  "readPoint": {"id": "$FARM"}},
 {"type": "AggregationEvent", "eventTime": "2026-03-01T07:00:00+01:00", "eventTimeZoneOffset": "+01:00",
  "parentID": "$PALLET", "childEPCs": ["$CASE1", "$CASE2"], "action": "ADD", "bizStep": "packing", "disposition": "in_progress",
  "readPoint": {"id": "$FARM"}}
]}}
EOF
"$F" trace capture "$D/farm.jsonld" "${R[@]}" --key "$A0" --secrets "$D/secrets.json"
echo "   capturing the same document again is a no-op:"
"$F" trace capture "$D/farm.jsonld" "${R[@]}" --key "$A0" | sed -n 1,2p

echo "== the carrier picks the pallet up and ships it with a temperature logger (readings every 30 min)"
reading() {  # time value
  echo "{\"sensorMetadata\": {\"time\": \"$1\", \"deviceID\": \"urn:epc:id:giai:4098765.TL-77\"}, \"sensorReport\": [{\"type\": \"Temperature\", \"value\": $2, \"uom\": \"CEL\", \"time\": \"$1\"}]}"
}
cat >"$D/carrier.jsonld" <<EOF
{$CTX, "epcisBody": {"eventList": [
 {"type": "ObjectEvent", "eventTime": "2026-03-01T08:00:00+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["$PALLET"], "action": "OBSERVE", "bizStep": "shipping", "disposition": "in_transit",
  "readPoint": {"id": "$TRUCK"}, "bizLocation": {"id": "$TRUCK"},
  "destinationList": [{"type": "location", "destination": "$SHOP"}]},
 {"type": "ObjectEvent", "eventTime": "2026-03-01T11:00:00+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["$PALLET"], "action": "OBSERVE", "bizStep": "transporting", "disposition": "in_transit",
  "readPoint": {"id": "$TRUCK"},
  "sensorElementList": [
   $(reading 2026-03-01T08:30:00+01:00 4.1), $(reading 2026-03-01T09:00:00+01:00 4.4),
   $(reading 2026-03-01T09:30:00+01:00 5.2), $(reading 2026-03-01T10:00:00+01:00 6.3),
   $(reading 2026-03-01T10:30:00+01:00 5.0), $(reading 2026-03-01T11:00:00+01:00 4.2)]},
 {"type": "ObjectEvent", "eventTime": "2026-03-01T11:30:00+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["$PALLET"], "action": "OBSERVE", "bizStep": "storing", "disposition": "in_progress",
  "readPoint": {"id": "$DEPOT"}, "bizLocation": {"id": "$DEPOT"},
  "sensorElementList": [$(reading 2026-03-01T12:00:00+01:00 3.9), $(reading 2026-03-01T12:30:00+01:00 3.7)]}
]}}
EOF
"$F" trace capture "$D/carrier.jsonld" "${R[@]}" --key "$A1"

echo "== the quality bureau samples case 501 at its lab"
cat >"$D/bureau.jsonld" <<EOF
{$CTX, "epcisBody": {"eventList": [
 {"type": "ObjectEvent", "eventTime": "2026-03-01T13:00:00+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["$CASE1"], "action": "OBSERVE", "bizStep": "inspecting", "disposition": "conformant",
  "readPoint": {"id": "$LAB"}, "bizLocation": {"id": "$LAB"},
  "farm:inspectionResult": "pass: shell integrity, Salmonella negative"}
]}}
EOF
"$F" trace capture "$D/bureau.jsonld" "${R[@]}" --key "$A2"

echo "== the supermarket receives and unpacks the pallet and stocks the shelf"
cat >"$D/shop.jsonld" <<EOF
{$CTX, "epcisBody": {"eventList": [
 {"type": "ObjectEvent", "eventTime": "2026-03-01T15:00:00+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["$PALLET"], "action": "OBSERVE", "bizStep": "receiving", "disposition": "in_progress",
  "readPoint": {"id": "$SHOP"}, "bizLocation": {"id": "$SHOP"}},
 {"type": "AggregationEvent", "eventTime": "2026-03-01T15:20:00+01:00", "eventTimeZoneOffset": "+01:00",
  "parentID": "$PALLET", "childEPCs": ["$CASE1", "$CASE2"], "action": "DELETE", "bizStep": "unpacking",
  "readPoint": {"id": "$SHOP"}},
 {"type": "ObjectEvent", "eventTime": "2026-03-01T16:00:00+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["$C1", "$C2", "$C3", "$C4"], "action": "OBSERVE", "bizStep": "retail_selling", "disposition": "retail_sold",
  "readPoint": {"id": "$SHOP"}, "bizLocation": {"id": "$SHOP"}}
]}}
EOF
"$F" trace capture "$D/shop.jsonld" "${R[@]}" --key "$A3"

echo "== authorisation: the carrier may not commission cartons under the farm's prefix (exit 1)"
cat >"$D/forged.jsonld" <<EOF
{$CTX, "epcisBody": {"eventList": [
 {"type": "ObjectEvent", "eventTime": "2026-03-01T09:00:00Z", "eventTimeZoneOffset": "+00:00",
  "epcList": ["urn:epc:id:sgtin:4012345.011111.9999"], "action": "ADD", "bizStep": "commissioning", "readPoint": {"id": "$TRUCK"}}
]}}
EOF
"$F" trace capture "$D/forged.jsonld" "${R[@]}" --key "$A1" || echo "   (exit $?)"

echo "== queries: events at the depot; events of the pallet between 08:00 and 12:00 (+01:00)"
"$F" trace events "${R[@]}" --location "$DEPOT"
"$F" trace events "${R[@]}" --epc "$PALLET" --from 2026-03-01T08:00:00+01:00 --to 2026-03-01T12:00:00+01:00

echo "== anti-counterfeit: carton 1001's code is claimed once; carton 1002's code twice (a cloned label)"
"$F" trace claim "${R[@]}" --key "$A3" --secret "$S1" "https://id.gs1.org/01/04012345111118/21/1001"
"$F" trace claim "${R[@]}" --key "$A3" --secret "$S2" || true
"$F" trace claim "${R[@]}" --key "$A3" --secret "$S2" || echo "   (exit $?: counterfeit signal)"

DL="https://id.gs1.org/01/04012345111118/10/L260301/21/1001"
"$F" trace qr "$DL" --out "$NET/carton-1001.png"
echo "== the consumer scans carton 1001 (verified trace: proofs + quorum certificate)"
"$F" trace scan "$NET/carton-1001.png" "${R[@]}" --genesis "$NET/genesis.json" || echo "   (exit $?)"
PATHPART=${DL#https://id.gs1.org}
echo
echo "carton 1001: QR code $NET/carton-1001.png"
echo "             consumer page  $RPC$PATHPART   (a browser is sent to the page; other clients get the linkset)"
echo "             one-time code  $S1 (claimed)"
echo "carton 1002: $RPC/01/04012345111118/10/L260301/21/1002   (code claimed twice: counterfeit warning)"
