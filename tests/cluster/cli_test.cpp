// The command-line contract of the ledger commands (docs/CLI.md), end to end against a node.
#include <gtest/gtest.h>

#include "formica/codec/json.h"
#include "formica/crypto/address.h"
#include "process.h"

namespace formica::testing {
namespace {

using codec::Json;

TEST(Cli, PayQueryProofAndExitCodes) {
  TempNet t("cli");
  NodeProcess node(t.net.nodes[0].config);
  ASSERT_TRUE(node.start());
  auto admin = node::load_key(t.dir / "orgs/org0/admin.key").value();
  std::string admin_addr = crypto::Address::of(admin.public_key()).to_string();
  std::string treasury = (t.dir / "orgs/org0/treasury.key").string();
  std::string out, err;

  ASSERT_EQ(run_cli({"pay", "transfer", "--rpc", t.rpc_url, "--key", treasury, "--to", admin_addr, "--asset",
                     "FMC", "--amount", "12.34", "--wait", "--json"},
                    &out, &err),
            0)
      << err;
  auto r = Json::parse(out);
  EXPECT_EQ(r["receipt"]["status"], "ok");

  ASSERT_EQ(run_cli({"query", "balance", admin_addr, "--rpc", t.rpc_url, "--json"}, &out, &err), 0) << err;
  EXPECT_EQ(Json::parse(out)["balances"]["FMC"], "1234");

  ASSERT_EQ(run_cli({"query", "block", "latest", "--rpc", t.rpc_url, "--json"}, &out, &err), 0) << err;
  auto b = Json::parse(out);
  for (const char* k : {"height", "hash", "parent_hash", "state_root", "tx_count", "qc"})
    EXPECT_TRUE(b.contains(k)) << k;
  EXPECT_EQ(b["height"], 1);

  ASSERT_EQ(run_cli({"query", "tx", r["tx_id"].get<std::string>(), "--rpc", t.rpc_url, "--json"}, &out, &err),
            0)
      << err;

  // Proofs: the balance is provably there; an address with nothing is provably absent.
  EXPECT_EQ(
      run_cli({"proof", "verify", "--balance", admin_addr, "--asset", "FMC", "--rpc", t.rpc_url}, &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("inclusion proof valid"), std::string::npos);
  EXPECT_EQ(run_cli({"proof", "verify", "--balance", admin_addr, "--asset", "NOPE", "--rpc", t.rpc_url}, &out,
                    &err),
            0);
  EXPECT_NE(out.find("non-inclusion"), std::string::npos);

  // Exit codes: insufficient funds 1, malformed 2, unreachable 3.
  EXPECT_EQ(run_cli({"pay", "transfer", "--rpc", t.rpc_url, "--key", treasury, "--to", admin_addr, "--asset",
                     "FMC", "--amount", "999999999999", "--wait"},
                    &out, &err),
            1);
  EXPECT_NE(err.find("insufficient"), std::string::npos) << err;
  EXPECT_EQ(run_cli({"pay", "transfer", "--rpc", t.rpc_url, "--key", treasury, "--to", "fm1nope", "--asset",
                     "FMC", "--amount", "1"},
                    &out, &err),
            2);
  EXPECT_EQ(run_cli({"query", "block", "x", "--rpc", t.rpc_url}, &out, &err), 2);
  EXPECT_EQ(run_cli({"query", "block", "latest", "--bogus"}, &out, &err), 2);
  EXPECT_EQ(run_cli({"query", "block", "latest", "--rpc", "http://127.0.0.1:1"}, &out, &err), 3);
  EXPECT_EQ(run_cli({"query", "tx", std::string(64, '0'), "--rpc", t.rpc_url}, &out, &err), 1);
  EXPECT_TRUE(node.stop());
}

TEST(Cli, NetInitUpStatusDown) {
  TempNet t("netcmd");
  std::string dir = t.dir.string(), out, err;
  ASSERT_EQ(run_cli({"net", "up", "--dir", dir}, &out, &err), 0) << err;
  ASSERT_EQ(run_cli({"net", "status", "--dir", dir, "--json"}, &out, &err), 0) << err;
  auto s = Json::parse(out);
  ASSERT_EQ(s["nodes"].size(), 1u);
  EXPECT_EQ(s["nodes"][0]["running"], true);
  EXPECT_EQ(s["nodes"][0]["height"], 0);
  for (const char* k : {"name", "org", "running", "pid", "rpc", "height", "hash", "round", "peers"})
    EXPECT_TRUE(s["nodes"][0].contains(k)) << k;
  ASSERT_EQ(run_cli({"net", "down", "--dir", dir}, &out, &err), 0) << err;
  ASSERT_EQ(run_cli({"net", "status", "--dir", dir, "--json"}, &out, &err), 0);
  EXPECT_EQ(Json::parse(out)["nodes"][0]["running"], false);
  EXPECT_TRUE(Json::parse(out)["nodes"][0]["pid"].is_null());
  // init refuses a non-empty directory and bad counts.
  EXPECT_EQ(run_cli({"net", "init", "--dir", dir}, &out, &err), 1);
  EXPECT_EQ(run_cli({"net", "init", "--dir", dir + "/x", "--orgs", "0"}, &out, &err), 2);
}

}  // namespace
}  // namespace formica::testing
