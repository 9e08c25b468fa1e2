#pragma once
// The authenticated, versioned state tree: a binary sparse Merkle tree over key hashes (see
// state_proof.h for the hashing rules and docs/storage.md for the layout), stored as
// immutable nodes in a KvStore, versioned by block height in the Jellyfish Merkle tree way:
// a version writes new nodes only along the paths it changes, and records which older nodes
// it made stale, so past versions stay readable until pruned.
//
// Versions: the first commit may use any version (e.g. genesis height 0); every later one
// must be exactly latest + 1. Every committed version has a root, even one with no change.
// Values are also kept in a flat (key hash, version) index, so get() is one seek, not a walk.
//
// Pruning: with keep_versions = N > 0, after committing version v the versions below
// v - N + 1 are removed (their stale nodes and value records, found through the stale
// indexes). Reading a pruned version fails with kFailedPrecondition; reading a version never
// committed (above latest, or below the first) fails with kNotFound.
//
// Durability: stage() adds one version's records to a caller's WriteBatch, so a block's
// state, receipts and indexes can land in one atomic write; the caller writes it (with sync
// as its durability requires) and then calls prune(). commit() does all three.
//
// Thread-safety: writers (stage, commit, prune) must be serialised by the caller, and a
// staged batch must be written before the next stage(). Readers may run concurrently with
// each other and with a writer, for versions the writer is not pruning. The KvStore must
// outlive the tree.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/storage/kv_store.h"
#include "formica/storage/state_proof.h"

namespace formica::storage {

struct StateTreeOptions {
  HashAlg hash_alg = HashAlg::kSha256;  // fixed when the tree is created; checked on reopen
  ColumnFamily cf{};                    // all of the tree's records live in this column family
  std::uint64_t keep_versions = 0;      // 0: keep every version (archive node)
};

struct StateUpdate {
  Bytes key;
  std::optional<Bytes> value;  // nullopt: delete the key (a no-op if absent)
};

struct StateRead {
  std::optional<Bytes> value;
  StateProof proof;  // inclusion when value is set, non-inclusion otherwise
};

class StateTree {
 public:
  // Opens (or, on an empty column family, prepares) a tree. Fails with kInvalidArgument when
  // the stored hash algorithm differs from options.hash_alg.
  static Result<std::unique_ptr<StateTree>> open(KvStore& kv, const StateTreeOptions& options);

  HashAlg hash_alg() const { return options_.hash_alg; }

  // nullopt before the first commit.
  Result<std::optional<std::uint64_t>> latest_version() const;
  // The oldest version still readable (the first committed one, or the pruning horizon).
  Result<std::optional<std::uint64_t>> oldest_version() const;

  Result<Hash32> root_hash(std::uint64_t version) const;
  Result<std::optional<Bytes>> get(ByteView key, std::uint64_t version) const;
  Result<StateRead> get_with_proof(ByteView key, std::uint64_t version) const;

  // Many reads of one version (block execution): the version's readability is checked once and
  // one cursor over the value index serves every get (a point-in-time view taken by reader()).
  // Same answers as get(key, version). Not thread-safe; must not outlive the tree.
  class VersionReader {
   public:
    Result<std::optional<Bytes>> get(ByteView key);

   private:
    friend class StateTree;
    VersionReader(const StateTree& tree, std::uint64_t version, std::unique_ptr<KvIterator> values)
        : tree_(tree), version_(version), values_(std::move(values)) {}
    const StateTree& tree_;
    std::uint64_t version_;
    std::unique_ptr<KvIterator> values_;
  };
  // `known_readable`: the caller knows `version` is committed and not pruned (the chain's own
  // head, which it wrote); without pruning (keep_versions = 0) the three metadata reads that
  // check it are then skipped.
  Result<std::unique_ptr<VersionReader>> reader(std::uint64_t version, bool known_readable = false) const;

  // Computes version `version` from the latest one and `updates` (distinct keys, any order;
  // a repeated key is kInvalidArgument), appends its records to `batch`, and returns its
  // root hash. Reads the store but writes nothing.
  Result<Hash32> stage(std::uint64_t version, std::span<const StateUpdate> updates, WriteBatch& batch) const;
  // stage() + write(batch, options) + prune() (unsynced: see state_tree.cpp).
  Result<Hash32> commit(std::uint64_t version, std::span<const StateUpdate> updates,
                        WriteOptions options = {});
  // Removes versions below latest - keep_versions + 1 (nothing when keep_versions is 0).
  Status prune(WriteOptions options = {});
  // Removes versions below `oldest` (<= latest). Idempotent; resumable after a crash.
  Status prune_before(std::uint64_t oldest, WriteOptions options = {});

 private:
  StateTree(KvStore& kv, const StateTreeOptions& options) : kv_(kv), options_(options) {}
  Result<std::optional<std::uint64_t>> read_meta_u64(std::string_view name) const;
  Status check_readable(std::uint64_t version) const;

  KvStore& kv_;
  StateTreeOptions options_;
};

}  // namespace formica::storage
