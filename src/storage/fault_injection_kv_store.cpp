#include "formica/storage/fault_injection_kv_store.h"

namespace formica::storage {

Status FaultInjectionKvStore::write(const WriteBatch& batch, WriteOptions options) {
  std::lock_guard lock(mu_);
  if (fail_writes_) return make_error(ErrorCode::kIo, "injected write failure");
  std::vector<Undo> undo;
  if (!options.sync) {
    undo.reserve(batch.count());
    for (const auto& op : batch.ops()) {
      FORMICA_ASSIGN_OR_RETURN(auto previous, inner_.get(op.cf, op.key));
      undo.push_back(Undo{op.cf, op.key, std::move(previous)});
    }
  }
  FORMICA_TRY(inner_.write(batch, options));
  if (options.sync) {
    unsynced_.clear();  // a synced write makes every earlier batch durable too
  } else {
    unsynced_.push_back(std::move(undo));
  }
  return ok_status();
}

Status FaultInjectionKvStore::sync() {
  std::lock_guard lock(mu_);
  if (fail_writes_) return make_error(ErrorCode::kIo, "injected sync failure");
  FORMICA_TRY(inner_.sync());
  unsynced_.clear();
  return ok_status();
}

Status FaultInjectionKvStore::crash(std::size_t keep_unsynced) {
  std::lock_guard lock(mu_);
  while (unsynced_.size() > keep_unsynced) {
    const auto& undo = unsynced_.back();
    WriteBatch restore;
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
      if (it->previous) {
        restore.put(it->cf, it->key, *it->previous);
      } else {
        restore.del(it->cf, it->key);
      }
    }
    FORMICA_TRY(inner_.write(restore, WriteOptions{.sync = true}));
    unsynced_.pop_back();
  }
  FORMICA_TRY(inner_.sync());
  unsynced_.clear();
  return ok_status();
}

std::size_t FaultInjectionKvStore::unsynced_batches() const {
  std::lock_guard lock(mu_);
  return unsynced_.size();
}

void FaultInjectionKvStore::set_fail_writes(bool fail) {
  std::lock_guard lock(mu_);
  fail_writes_ = fail;
}

}  // namespace formica::storage
