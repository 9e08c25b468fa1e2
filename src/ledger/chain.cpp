#include "formica/ledger/chain.h"

#include "formica/codec/binary.h"

namespace formica::ledger {
namespace {

void put_be(Bytes& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint64_t get_be(ByteView in, std::size_t off, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | in[off + static_cast<std::size_t>(i)];
  return v;
}
// Keys are built with one reservation up front (which also keeps GCC 12's -Warray-bounds
// false positive on growing a one-byte vector away).
Bytes tagged(char tag, std::size_t extra) {
  Bytes k;
  k.reserve(1 + extra);
  k.push_back(static_cast<std::uint8_t>(tag));
  return k;
}
Bytes key1(char tag) { return tagged(tag, 0); }
Bytes block_key(std::uint64_t h) {
  Bytes k = tagged('B', 8);
  put_be(k, h, 8);
  return k;
}
Bytes receipt_key(std::uint64_t h, std::uint32_t i) {
  Bytes k = tagged('R', 12);
  put_be(k, h, 8);
  put_be(k, i, 4);
  return k;
}
Bytes hash_key(char tag, const Hash& h) {
  Bytes k = tagged(tag, h.size());
  k.insert(k.end(), h.begin(), h.end());
  return k;
}
Bytes event_prefix(std::string_view key) {
  Bytes k = tagged('E', key.size() + 1 + 14);
  k.insert(k.end(), key.begin(), key.end());
  k.push_back(0x00);
  return k;
}

}  // namespace

Result<std::optional<Bytes>> TreeStateReader::get(ByteView key) const {
  Bytes k(key.begin(), key.end());
  if (auto it = cache_.find(k); it != cache_.end()) return it->second;
  if (!reader_) {
    FORMICA_ASSIGN_OR_RETURN(reader_, tree_.reader(version_, head_));
  }
  FORMICA_ASSIGN_OR_RETURN(auto v, reader_->get(key));
  cache_.emplace(std::move(k), v);
  return v;
}

Chain::Chain(storage::KvStore& kv, Genesis genesis, const Executor& executor)
    : kv_(kv), genesis_(std::move(genesis)), executor_(executor) {}

Result<std::unique_ptr<Chain>> Chain::open(storage::KvStore& kv, const Genesis& genesis,
                                           const Executor& executor, const ChainOptions& options) {
  std::unique_ptr<Chain> c(new Chain(kv, genesis, executor));
  FORMICA_ASSIGN_OR_RETURN(c->chain_cf_, kv.column_family(kChainColumnFamily));
  FORMICA_ASSIGN_OR_RETURN(auto state_cf, kv.column_family(kStateColumnFamily));
  storage::StateTreeOptions topt;
  topt.hash_alg = genesis.rules.hash_alg;
  topt.cf = state_cf;
  topt.keep_versions = options.keep_versions;
  FORMICA_ASSIGN_OR_RETURN(c->tree_, storage::StateTree::open(kv, topt));
  c->genesis_hash_ = crypto::hash(genesis.rules.hash_alg, as_bytes(genesis.raw_json));

  FORMICA_ASSIGN_OR_RETURN(auto stored_genesis, kv.get(c->chain_cf_, key1('G')));
  if (stored_genesis) {
    if (Bytes(c->genesis_hash_.begin(), c->genesis_hash_.end()) != *stored_genesis)
      return make_error(ErrorCode::kFailedPrecondition, "the data directory belongs to a different genesis");
    FORMICA_ASSIGN_OR_RETURN(auto head_raw, kv.get(c->chain_cf_, key1('N')));
    if (!head_raw || head_raw->size() != 8) return make_error(ErrorCode::kIo, "chain head record is missing");
    FORMICA_ASSIGN_OR_RETURN(auto blk, c->block(get_be(*head_raw, 0, 8)));
    if (!blk) return make_error(ErrorCode::kIo, "head block is missing");
    FORMICA_ASSIGN_OR_RETURN(Hash hh, header_hash(blk->header, c->hash_alg()));
    c->head_ = blk->header;
    c->head_hash_ = hh;
    return c;
  }

  // A new chain: genesis state at version 0 in block 0.
  MapState empty;
  Overlay overlay(empty);
  FORMICA_TRY(executor.apply_genesis(overlay, genesis));
  ExecutedBlock g;
  g.block.header.chain_id = genesis.rules.chain_id;
  g.block.header.height = 0;
  for (const auto& [k, v] : overlay.writes()) g.updates.push_back({k, v});
  FORMICA_TRY(c->write_block(g, true, nullptr));
  return c;
}

BlockHeader Chain::head() const {
  std::lock_guard lock(head_mu_);
  return head_;
}
Hash Chain::head_hash() const {
  std::lock_guard lock(head_mu_);
  return head_hash_;
}

Result<ExecutedBlock> Chain::execute(std::vector<Transaction> txs, std::vector<Hash> ids,
                                     const AddressBytes& proposer, std::uint64_t round,
                                     std::uint64_t time_ms) const {
  if (txs.size() != ids.size()) return make_error(ErrorCode::kInvalidArgument, "one id per transaction");
  BlockHeader parent = head();
  Hash parent_hash = head_hash();
  TreeStateReader base(*tree_, parent.height, true);
  Overlay overlay(base);
  ExecutedBlock out;
  out.receipts = executor_.execute_block(overlay, parent.height + 1, txs, ids);
  for (const auto& [k, v] : overlay.writes()) out.updates.push_back({k, v});
  BlockHeader& h = out.block.header;
  h.chain_id = genesis_.rules.chain_id;
  h.height = parent.height + 1;
  h.parent_hash = parent_hash;
  h.tx_root = merkle_root(hash_alg(), ids);
  std::vector<Hash> rh;
  rh.reserve(out.receipts.size());
  for (const auto& r : out.receipts) {
    FORMICA_ASSIGN_OR_RETURN(Hash x, receipt_hash(r, hash_alg()));
    rh.push_back(x);
  }
  h.receipts_root = merkle_root(hash_alg(), rh);
  h.tx_count = static_cast<std::uint32_t>(txs.size());
  h.round = round;
  h.time_ms = std::max(time_ms, parent.time_ms);
  h.proposer = proposer;
  // The state root: the tree's records for this version are staged now and written by commit.
  FORMICA_ASSIGN_OR_RETURN(h.state_root, tree_->stage(h.height, out.updates, out.staged));
  out.block.txs = std::move(txs);
  out.tx_ids = std::move(ids);
  FORMICA_ASSIGN_OR_RETURN(out.hash, header_hash(h, hash_alg()));
  return out;
}

Status Chain::commit(const ExecutedBlock& block, const storage::WriteBatch* extra) {
  BlockHeader parent = head();
  if (block.block.header.height != parent.height + 1 || block.block.header.parent_hash != head_hash())
    return make_error(ErrorCode::kFailedPrecondition, "block does not extend the head");
  return write_block(block, false, extra);
}

Status Chain::write_block(const ExecutedBlock& eb, bool genesis, const storage::WriteBatch* extra) {
  storage::WriteBatch batch;
  if (extra != nullptr) batch.append(*extra);
  ExecutedBlock copy_for_genesis;
  const ExecutedBlock* b = &eb;
  if (genesis) {
    FORMICA_ASSIGN_OR_RETURN(Hash root, tree_->stage(eb.block.header.height, eb.updates, batch));
    copy_for_genesis = eb;
    copy_for_genesis.block.header.state_root = root;
    FORMICA_ASSIGN_OR_RETURN(copy_for_genesis.hash, header_hash(copy_for_genesis.block.header, hash_alg()));
    b = &copy_for_genesis;
    batch.put(chain_cf_, key1('G'), genesis_hash_);
  } else {
    batch.append(eb.staged);
  }
  const BlockHeader& h = b->block.header;
  FORMICA_ASSIGN_OR_RETURN(Bytes block_bytes, codec::encode(b->block));
  batch.put(chain_cf_, block_key(h.height), block_bytes);
  Bytes height8;
  put_be(height8, h.height, 8);
  batch.put(chain_cf_, hash_key('H', b->hash), height8);
  for (std::size_t i = 0; i < b->receipts.size(); ++i) {
    const Receipt& r = b->receipts[i];
    Bytes loc = height8;
    put_be(loc, i, 4);
    batch.put(chain_cf_, hash_key('T', b->tx_ids[i]), loc);
    FORMICA_ASSIGN_OR_RETURN(Bytes rb, codec::encode(r));
    batch.put(chain_cf_, receipt_key(h.height, static_cast<std::uint32_t>(i)), rb);
    for (std::size_t n = 0; n < r.events.size() && n < 0xffff; ++n) {
      for (const auto& [attr, value] : r.events[n].attributes) {
        Bytes k = event_prefix(r.events[n].module + "." + attr + "=" + value);
        k.insert(k.end(), loc.begin(), loc.end());
        put_be(k, n, 2);
        batch.put(chain_cf_, k, Bytes{});
      }
    }
  }
  batch.put(chain_cf_, key1('N'), height8);
  FORMICA_TRY(kv_.write(batch, storage::WriteOptions{.sync = true}));
  FORMICA_TRY(tree_->prune());
  std::lock_guard lock(head_mu_);
  head_ = h;
  head_hash_ = b->hash;
  return ok_status();
}

Result<std::optional<Block>> Chain::block(std::uint64_t height) const {
  FORMICA_ASSIGN_OR_RETURN(auto raw, kv_.get(chain_cf_, block_key(height)));
  if (!raw) return std::optional<Block>{};
  FORMICA_ASSIGN_OR_RETURN(Block b, codec::decode<Block>(*raw));
  return std::optional<Block>(std::move(b));
}

Result<std::optional<std::uint64_t>> Chain::height_of(const Hash& block_hash) const {
  FORMICA_ASSIGN_OR_RETURN(auto raw, kv_.get(chain_cf_, hash_key('H', block_hash)));
  if (!raw || raw->size() != 8) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>(get_be(*raw, 0, 8));
}

Result<std::optional<TxLocation>> Chain::find_tx(const Hash& tx_id) const {
  FORMICA_ASSIGN_OR_RETURN(auto raw, kv_.get(chain_cf_, hash_key('T', tx_id)));
  if (!raw || raw->size() != 12) return std::optional<TxLocation>{};
  return std::optional<TxLocation>(
      TxLocation{get_be(*raw, 0, 8), static_cast<std::uint32_t>(get_be(*raw, 8, 4))});
}

Result<std::optional<Receipt>> Chain::receipt(std::uint64_t height, std::uint32_t index) const {
  FORMICA_ASSIGN_OR_RETURN(auto raw, kv_.get(chain_cf_, receipt_key(height, index)));
  if (!raw) return std::optional<Receipt>{};
  FORMICA_ASSIGN_OR_RETURN(Receipt r, codec::decode<Receipt>(*raw));
  return std::optional<Receipt>(std::move(r));
}

Result<std::vector<EventRecord>> Chain::events(std::string_view key, std::uint64_t from_height,
                                               std::size_t limit) const {
  Bytes prefix = event_prefix(key);
  Bytes start = prefix;
  put_be(start, from_height, 8);
  FORMICA_ASSIGN_OR_RETURN(auto it, kv_.iterator(chain_cf_, storage::prefix_read_options(prefix)));
  std::vector<EventRecord> out;
  for (it->seek(start); it->valid() && out.size() < limit; it->next()) {
    ByteView k = it->key();
    if (k.size() != prefix.size() + 14) continue;
    std::uint64_t h = get_be(k, prefix.size(), 8);
    auto idx = static_cast<std::uint32_t>(get_be(k, prefix.size() + 8, 4));
    auto n = static_cast<std::size_t>(get_be(k, prefix.size() + 12, 2));
    FORMICA_ASSIGN_OR_RETURN(auto r, receipt(h, idx));
    if (!r || n >= r->events.size())
      return make_error(ErrorCode::kIo, "event index points at a missing receipt");
    out.push_back(EventRecord{h, idx, r->tx_id, r->events[n]});
  }
  FORMICA_TRY(it->status());
  return out;
}

Result<std::optional<Bytes>> Chain::state_get(ByteView key, std::uint64_t height) const {
  return tree_->get(key, height);
}

Result<storage::StateRead> Chain::state_get_with_proof(ByteView key, std::uint64_t height) const {
  return tree_->get_with_proof(key, height);
}

std::unique_ptr<StateReader> Chain::head_state() const {
  return std::make_unique<TreeStateReader>(*tree_, height(), true);
}

std::unique_ptr<StateReader> Chain::state_at(std::uint64_t height) const {
  return std::make_unique<TreeStateReader>(*tree_, height);
}

}  // namespace formica::ledger
