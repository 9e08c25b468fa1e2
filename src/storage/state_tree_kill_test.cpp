// Real process crashes: a child process commits versions to a RocksDB-backed state tree
// with sync and acknowledges each one over a pipe; the parent SIGKILLs it at a random moment,
// reopens the directory and checks that every acknowledged version is there, with the root
// an independent recomputation predicts. Repeated, resuming from where the child stopped.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "formica/storage/state_tree.h"
#include "reference_tree.h"
#include "test_support.h"

namespace formica::storage {
namespace {

using testing::Model;
using testing::ReferenceTree;

constexpr const char* kChildDirEnv = "FORMICA_STORAGE_KILL_CHILD_DIR";
constexpr const char* kChildFdEnv = "FORMICA_STORAGE_KILL_CHILD_FD";

// The updates of version v: a deterministic function of v.
std::vector<StateUpdate> updates_for(std::uint64_t v) {
  std::mt19937_64 rng(v);
  std::map<Bytes, std::optional<Bytes>> ups;
  while (ups.size() < 20) {
    Bytes k = to_bytes("k" + std::to_string(rng() % 300));
    ups[k] = rng() % 5 == 0 ? std::nullopt : std::optional<Bytes>(to_bytes("v" + std::to_string(v)));
  }
  std::vector<StateUpdate> out;
  for (auto& [k, val] : ups) out.push_back(StateUpdate{k, val});
  return out;
}

std::unique_ptr<RocksDbKvStore> open_db(const std::string& dir) {
  RocksDbOptions o;
  o.path = dir;
  o.column_families = {"state"};
  o.block_cache_bytes = 4u << 20;
  auto r = RocksDbKvStore::open(o);
  return r.ok() ? std::move(r).value() : nullptr;
}

// The child: commits versions forever (until killed), acknowledging each after its synced
// write returned. Only runs when started by the parent test below.
TEST(StateTreeKill, Child) {
  const char* dir = std::getenv(kChildDirEnv);
  const char* fd_text = std::getenv(kChildFdEnv);
  if (dir == nullptr || fd_text == nullptr) GTEST_SKIP() << "runs only as the child of StateTreeKill.Parent";
  const int fd = std::atoi(fd_text);
  auto kv = open_db(dir);
  ASSERT_NE(kv, nullptr);
  StateTreeOptions o;
  o.cf = *kv->column_family("state");
  auto tree = std::move(StateTree::open(*kv, o)).value();
  auto latest = std::move(tree->latest_version()).value();
  for (std::uint64_t v = latest ? *latest + 1 : 1; v < 100000; ++v) {
    ASSERT_TRUE(tree->commit(v, updates_for(v), WriteOptions{.sync = true}).ok());
    std::uint8_t ack[8];
    for (int i = 0; i < 8; ++i) ack[i] = static_cast<std::uint8_t>(v >> (8 * i));
    ASSERT_EQ(::write(fd, ack, sizeof ack), static_cast<ssize_t>(sizeof ack));
  }
}

TEST(StateTreeKill, Parent) {
  if (std::getenv(kChildDirEnv) != nullptr) GTEST_SKIP();
  testing::TempDir dir;
  const std::string db = dir.path() + "/db";
  std::mt19937_64 rng(8);
  std::uint64_t acked = 0;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    // Everything the child needs is prepared before fork(): between fork and exec only
    // async-signal-safe calls are allowed (the parent may have other threads).
    std::vector<std::string> env_strings{std::string(kChildDirEnv) + "=" + db,
                                         std::string(kChildFdEnv) + "=" + std::to_string(fds[1])};
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string arg0 = "storage_tests", arg1 = "--gtest_filter=StateTreeKill.Child";
    char* argv[] = {arg0.data(), arg1.data(), nullptr};
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      const int null_fd = ::open("/dev/null", O_WRONLY);
      if (null_fd >= 0) ::dup2(null_fd, STDOUT_FILENO);  // keep the child's gtest chatter out
      ::execve("/proc/self/exe", argv, envp.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    // Let it acknowledge a few versions, then kill it mid-flight.
    const std::uint64_t wait_for = acked + 3 + rng() % 10;
    std::uint8_t ack[8];
    bool killed = false;
    while (true) {
      const ssize_t n = ::read(fds[0], ack, sizeof ack);
      if (n != static_cast<ssize_t>(sizeof ack)) break;  // EOF after the kill (or child failure)
      std::uint64_t v = 0;
      for (int i = 7; i >= 0; --i) v = (v << 8) | ack[i];
      acked = v;
      if (!killed && v >= wait_for) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
    }
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(killed) << "the child stopped before it was killed (status " << status << ")";
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    auto kv = open_db(db);
    ASSERT_NE(kv, nullptr);
    StateTreeOptions o;
    o.cf = *kv->column_family("state");
    auto tree = std::move(StateTree::open(*kv, o)).value();
    const std::uint64_t latest = **tree->latest_version();
    ASSERT_GE(latest, acked) << "an acknowledged version was lost";
    Model model;
    for (std::uint64_t v = 1; v <= latest; ++v) {
      for (const auto& u : updates_for(v)) {
        if (u.value) {
          model[u.key] = *u.value;
        } else {
          model.erase(u.key);
        }
      }
      if (v + 3 > latest || v == acked) {
        ASSERT_EQ(*tree->root_hash(v), ReferenceTree(HashAlg::kSha256, model).root()) << "version " << v;
      }
    }
    acked = latest;
  }
}

}  // namespace
}  // namespace formica::storage
