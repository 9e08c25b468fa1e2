#!/usr/bin/env bash
# demo: universal ID — a café learns "18 or older", an embassy "property ≥ threshold", and nothing else
set -euo pipefail
: "${F:?path of the formica binary}" "${WORK:?a temporary directory}" "${NET:?network directory}" "${RPC:?node RPC URL}"
# Cast: org0's admin runs the ID authority, org1's admin the property registry, org2's admin
# the internet café, org3's admin the embassy; the citizen is a phone (a wallet file).
A0=$NET/orgs/org0/admin.key A1=$NET/orgs/org1/admin.key A2=$NET/orgs/org2/admin.key A3=$NET/orgs/org3/admin.key
R=(--rpc "$RPC")
D=$WORK/id
mkdir -p "$D"
TODAY=$(date -u +%F)
BORN=$(( $(date -u +%Y) - 34 ))-04-01

echo "== the ID authority and the property registry make their issuer keys"
"$F" id issuer init --out "$D/gov-id" --attrs name,id_number,birth_date,city
"$F" id issuer init --out "$D/land-registry" --attrs owner_id,property_value:int,region
ON_CHAIN=0
if "$F" id issuers "${R[@]}" >/dev/null 2>&1; then ON_CHAIN=1; fi
if [[ $ON_CHAIN == 1 ]]; then
  echo "== both publish their public keys on chain (module id)"
  "$F" id register "${R[@]}" --key "$A0" --issuer "$D/gov-id" --organisation "National ID Authority" --wait
  "$F" id register "${R[@]}" --key "$A1" --issuer "$D/land-registry" --organisation "Land Registry" --wait
  "$F" id issuers "${R[@]}"
else
  echo "   (this node has no id module registered: the chain steps are skipped)"
fi

echo "== the citizen gets two batches by blind issuance (the issuers never see the tokens they sign)"
cat >"$D/citizen.json" <<EOF
{"name": "Amira Haddad", "id_number": "ID-7731-0925", "birth_date": "$BORN", "city": "Lyon"}
EOF
cat >"$D/property.json" <<EOF
{"owner_id": "ID-7731-0925", "property_value": 420000, "region": "Rhone"}
EOF
CH=(); [[ $ON_CHAIN == 1 ]] && CH=("${R[@]}")
# The three-message protocol over files, as between a phone and the authority's service:
"$F" id request --issuer-pub "$D/gov-id/issuer.pub.json" --attrs "$D/citizen.json" --count 10 --holder citizen-7731 \
  --state "$D/req.state" --out "$D/m0.bin"
"$F" id respond --issuer "$D/gov-id" --in "$D/m0.bin" --out "$D/m1.bin" "${CH[@]}"
"$F" id request --state "$D/req.state" --in "$D/m1.bin" --out "$D/m2.bin"
"$F" id respond --issuer "$D/gov-id" --in "$D/m2.bin" --out "$D/m3.bin"
"$F" id request --state "$D/req.state" --in "$D/m3.bin" --out "$D/id-wallet.json"
# The land registry issues locally (both sides in one step, for brevity).
"$F" id issue --issuer "$D/land-registry" --attrs "$D/property.json" --count 10 --out "$D/property-wallet.json" "${CH[@]}"

echo "== the internet café asks: 18 or older? (a fresh nonce, its own verifier id, today's date)"
N1=$("$F" id challenge)
"$F" id prove --wallet "$D/id-wallet.json" --predicate 'age>=18' --verifier internet-cafe-42 --today "$TODAY" \
  --nonce "$N1" --out "$D/cafe.pres" --qr "$D/cafe.png"
echo "   the phone shows it as a QR code ($D/cafe.png); the café's page (id.html) reads it by camera or photo"
"$F" id verify --issuer-pub "$D/gov-id/issuer.pub.json" --predicate 'age>=18' --verifier internet-cafe-42 \
  --today "$TODAY" --nonce "$N1" --in "$D/cafe.pres" --json
echo "   the café learns only the statement above: no name, birth date, ID number or city."
echo "   the same presentation shown again to the café with a new challenge is refused (replay):"
N1b=$("$F" id challenge)
"$F" id verify --issuer-pub "$D/gov-id/issuer.pub.json" --predicate 'age>=18' --verifier internet-cafe-42 \
  --today "$TODAY" --nonce "$N1b" --in "$D/cafe.pres" && exit 1 || echo "   (exit $?, as expected)"

echo "== the embassy asks: property worth at least 300000 (visa threshold)? and the region it is in"
N2=$("$F" id challenge)
"$F" id prove --wallet "$D/property-wallet.json" --predicate 'property_value>=300000' --verifier embassy-fr \
  --disclose region --today "$TODAY" --nonce "$N2" --out "$D/embassy.pres"
"$F" id verify --issuer-pub "$D/land-registry/issuer.pub.json" --predicate 'property_value>=300000' \
  --disclose region --verifier embassy-fr --today "$TODAY" --nonce "$N2" --in "$D/embassy.pres" --json
echo "   the embassy learns the region and that the value clears the threshold; not the value, not the owner id."

echo "   a visa tier at 500000 cannot be proven: the wallet refuses a false statement and writes nothing"
"$F" id prove --wallet "$D/property-wallet.json" --predicate 'property_value>=500000' --verifier embassy-fr \
  --today "$TODAY" --nonce "$N2" --out "$D/no.pres" && exit 1 || echo "   (exit $?, as expected; no file: $([[ -e $D/no.pres ]] && echo present || echo absent))"
echo "   the café's presentation replayed at the embassy is refused (it is bound to the café and its nonce):"
"$F" id verify --issuer-pub "$D/gov-id/issuer.pub.json" --predicate 'age>=18' --verifier embassy-fr \
  --today "$TODAY" --nonce "$N2" --in "$D/cafe.pres" && exit 1 || echo "   (exit $?, as expected)"

echo "== the café compares two visits: two presentations of the same citizen share no value"
N3=$("$F" id challenge)
"$F" id prove --wallet "$D/id-wallet.json" --predicate 'age>=18' --verifier internet-cafe-42 --today "$TODAY" \
  --nonce "$N3" --out "$D/cafe2.pres"
python3 - "$D/cafe.pres" "$D/cafe2.pres" <<'EOF'
import sys
def split(b):
    # header: version, issuer id, verifier id, nonce, date, predicates, disclosed, TI (docs/id.md)
    i = 1
    for _ in range(3): i += 1 + b[i]
    i += 4
    n = b[i]; i += 1
    for _ in range(n): i += 1; i += 1 + b[i]; i += 16
    n = b[i]; i += 1
    for _ in range(n): i += 1; i += 1 + b[i]
    i += 1 + b[i]
    return b[:i], b[i:]
a, b = (open(f, 'rb').read() for f in sys.argv[1:3])
(ha, ta), (hb, tb) = split(a), split(b)
wa = {ta[i:i + 8] for i in range(len(ta) - 7)}
common = sum(1 for i in range(len(tb) - 7) if tb[i:i + 8] in wa)
print(f"   sizes {len(a)} and {len(b)} bytes (base64url fits one QR code)")
print(f"   header ({len(ha)} bytes: issuer id, cafe id, nonce, date, statement, issuer-wide epoch and expiry): the same but for the nonce")
print(f"   token, proof and range proof ({len(ta)} bytes): 8-byte windows in common with the other presentation: {common}")
EOF

if [[ $ON_CHAIN == 1 ]]; then
  echo "== on chain: the embassy publishes its policy and an application verifies a presentation in a transaction"
  "$F" id policy "${R[@]}" --key "$A3" --policy embassy-visa --issuer-id land-registry --predicate 'property_value>=300000' --wait
  N4=$("$F" id challenge)
  "$F" id prove --wallet "$D/property-wallet.json" --predicate 'property_value>=300000' \
    --verifier formica-chain-policy:embassy-visa --today "$TODAY" --nonce "$N4" --out "$D/chain.pres"
  "$F" id submit "${R[@]}" --key "$A3" --policy embassy-visa --nonce "$N4" --today "$TODAY" --in "$D/chain.pres" --wait
  echo "   the same nonce again is refused by the chain:"
  "$F" id submit "${R[@]}" --key "$A3" --policy embassy-visa --nonce "$N4" --today "$TODAY" --in "$D/chain.pres" --wait \
    && exit 1 || echo "   (exit $?, as expected)"
  echo "== revocation: the authority revokes the citizen's phone and ends the current token epoch"
  "$F" id revoke "${R[@]}" --key "$A0" --issuer-id gov-id --holder citizen-7731 --reason "phone reported stolen" --wait
  "$F" id epoch "${R[@]}" --key "$A0" --issuer-id gov-id --min-epoch 1 --wait
  N5=$("$F" id challenge)
  "$F" id prove --wallet "$D/id-wallet.json" --predicate 'age>=18' --verifier internet-cafe-42 --today "$TODAY" \
    --nonce "$N5" --out "$D/cafe3.pres"
  "$F" id verify "${R[@]}" --issuer-pub "$D/gov-id/issuer.pub.json" --predicate 'age>=18' --verifier internet-cafe-42 \
    --today "$TODAY" --nonce "$N5" --in "$D/cafe3.pres" && exit 1 || echo "   (exit $?: old tokens are dead)"
  "$F" id request --issuer-pub "$D/gov-id/issuer.pub.json" --attrs "$D/citizen.json" --count 10 --holder citizen-7731 \
    --state "$D/req2.state" --out "$D/n0.bin"
  "$F" id respond --issuer "$D/gov-id" --in "$D/n0.bin" --out "$D/n1.bin" "${R[@]}" && exit 1 \
    || echo "   (exit $?: the revoked holder gets no new batch)"
  echo "   another citizen fetches a batch of the new epoch, which verifies:"
  cat >"$D/other.json" <<EOF
{"name": "Jon Berg", "id_number": "ID-1200-4411", "birth_date": "1988-09-09", "city": "Nice"}
EOF
  "$F" id issue --issuer "$D/gov-id" --attrs "$D/other.json" --count 5 --holder citizen-1200 --out "$D/other-wallet.json" "${R[@]}"
  N6=$("$F" id challenge)
  "$F" id prove --wallet "$D/other-wallet.json" --predicate 'age>=18' --verifier internet-cafe-42 --today "$TODAY" \
    --nonce "$N6" --out "$D/cafe4.pres"
  "$F" id verify "${R[@]}" --issuer-pub "$D/gov-id/issuer.pub.json" --predicate 'age>=18' --verifier internet-cafe-42 \
    --today "$TODAY" --nonce "$N6" --in "$D/cafe4.pres" --json
fi
echo "   wallet view (what the phone holds; the web page shows it before presenting):"
python3 -c "import json,sys; w=json.load(open(sys.argv[1])); print('   ', w['issuer_id'], w['attributes'], 'tokens left:', w['tokens_left'])" "$D/id-wallet.json"
