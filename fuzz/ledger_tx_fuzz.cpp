// fuzz-deps: formica_ledger
// Transactions and blocks from the wire: decoding never crashes, whatever decodes re-encodes
// to exactly the input (one encoding per value), and stateless checks never crash on it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formica/codec/binary.h"
#include "formica/ledger/block.h"
#include "formica/ledger/transaction.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  formica::ByteView in(data, size);
  if (auto tx = formica::ledger::decode_transaction(in); tx.ok()) {
    auto again = formica::codec::encode(*tx);
    if (!again.ok() || *again != formica::Bytes(in.begin(), in.end())) std::abort();
    formica::ledger::ChainRules rules;
    rules.chain_id = "fuzz";
    (void)formica::ledger::check_stateless(*tx, rules);
  }
  if (auto b = formica::codec::decode<formica::ledger::Block>(in); b.ok()) {
    auto again = formica::codec::encode(*b);
    if (!again.ok() || *again != formica::Bytes(in.begin(), in.end())) std::abort();
  }
  return 0;
}
