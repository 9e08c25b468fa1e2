#!/usr/bin/env bash
# demo: money on the ledger — transfers with receipts, balances, and a proof checked by the client
set -euo pipefail
T0=$NET/orgs/org0/treasury.key
T1=$NET/orgs/org1/treasury.key
TO=$("$F" account address --key "$T1")
echo "org0's treasury pays org1's treasury ($TO) 250.00 FMC three times:"
for i in 1 2 3; do "$F" pay transfer --rpc "$RPC" --key "$T0" --to "$TO" --asset FMC --amount 250.00 --wait; done
echo "balances of org1's treasury:"
"$F" query balance "$TO" --rpc "$RPC"
echo "the balance, proved against block $("$F" query block latest --rpc "$RPC" --json | sed -n 's/.*"height":\([0-9]*\).*/\1/p')'s state root:"
"$F" proof verify --balance "$TO" --asset FMC --rpc "$RPC" --genesis "$NET/genesis.json"
echo "a transfer the sender cannot afford is refused (exit 1):"
"$F" pay transfer --rpc "$RPC" --key "$T1" --to "$TO" --asset FMC --amount 99999999999 --wait || echo "(exit $?)"
