#pragma once
// Blocks and their headers.
//
// Execution happens before a block is sealed: header.state_root is the root of the state
// tree AFTER executing this block's transactions (at version = height), and receipts_root
// commits to its receipts. A light client that trusts a header (through its quorum
// certificate, once consensus lands) can therefore check any state value or receipt of that
// height with a proof. Consensus follows DiemBFT v4 here: the leader executes the block it
// proposes and validators re-execute it and compare roots before voting.

#include <cstdint>
#include <string>
#include <vector>

#include "formica/codec/fields.h"
#include "formica/crypto/hash.h"
#include "formica/ledger/event.h"
#include "formica/ledger/transaction.h"
#include "formica/ledger/types.h"

namespace formica::ledger {

struct BlockHeader {
  std::string chain_id;
  std::uint64_t height = 0;
  Hash parent_hash{};    // zero for the genesis block (height 0)
  Hash state_root{};     // state after this block
  Hash tx_root{};        // Merkle root of the transaction ids, in block order
  Hash receipts_root{};  // Merkle root of the receipt hashes, in block order
  std::uint32_t tx_count = 0;
  std::uint64_t round = 0;    // consensus round (0 for a single validator)
  std::uint64_t time_ms = 0;  // proposer's clock; informational, never read by execution
  AddressBytes proposer{};
  FORMICA_CODEC_FIELDS(chain_id, height, parent_hash, state_root, tx_root, receipts_root, tx_count, round,
                       time_ms, proposer)
};

struct Block {
  BlockHeader header;
  std::vector<Transaction> txs;
  FORMICA_CODEC_FIELDS(header, txs)
};

Result<Hash> header_hash(const BlockHeader& h, crypto::HashAlg alg);
Result<Hash> receipt_hash(const Receipt& r, crypto::HashAlg alg);

// A binary Merkle root in the style of RFC 6962: leaf = H(0x00 || item), node = H(0x01 || l ||
// r), an odd node is promoted unchanged; the root of no items is 32 zero bytes.
Hash merkle_root(crypto::HashAlg alg, const std::vector<Hash>& items);

}  // namespace formica::ledger
