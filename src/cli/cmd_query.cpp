// formica query block|tx|balance|account: read-only client commands over JSON-RPC.
#include <iostream>

#include "client_util.h"
#include "commands.h"
#include "formica/crypto/address.h"

namespace formica::cli {

int cmd_query(const Words& w) {
  using codec::Json;
  if (w.empty()) return fail(kExitUsage, "query", "expected block|tx|balance|account");
  const std::string verb = w[0];
  auto args = Args::parse(std::vector<std::string>(w.begin() + 1, w.end()), client_options({{"asset"}}));
  if (!args.ok()) return fail(kExitUsage, "query " + verb, args.error().message);
  if (args->positional().size() != 1) return fail(kExitUsage, "query " + verb, "expected one argument");
  const std::string arg = args->positional()[0];
  auto url = resolve_rpc(*args);
  if (!url.ok()) return fail("query " + verb, url.error());
  rpc::Client client(*url);

  if (verb == "block") {
    Json height = arg == "latest" ? Json("latest") : Json(arg);
    if (arg != "latest" && !parse_u64(arg).ok())
      return fail(kExitUsage, "query block", "HEIGHT must be a number or latest");
    auto r = client.call("get_block", Json{{"height", height}});
    if (!r.ok()) return fail("query block", r.error());
    Json out = {{"height", (*r)["height"]},           {"hash", (*r)["hash"]},
                {"parent_hash", (*r)["parent_hash"]}, {"state_root", (*r)["state_root"]},
                {"tx_count", (*r)["tx_count"]},       {"qc", (*r)["qc"]}};
    return print_result(*args, out,
                        "block " + (*r)["height"].dump() + " " + (*r)["hash"].get<std::string>() + " (" +
                            (*r)["tx_count"].dump() + " transactions)");
  }
  if (verb == "tx") {
    auto r = client.call("get_tx", Json{{"tx_id", arg}});
    if (!r.ok()) return fail("query tx", r.error());
    std::string human = "tx " + arg + " " + (*r).value("status", "");
    if ((*r).contains("receipt"))
      human += " at height " + (*r)["height"].dump() + ": " + (*r)["receipt"]["status"].get<std::string>();
    return print_result(*args, *r, human);
  }
  if (verb == "balance" || verb == "account") {
    auto addr = crypto::Address::parse(arg);
    if (!addr.ok()) return fail(kExitUsage, "query " + verb, addr.error().message);
    Json params = {{"address", arg}};
    if (auto a = args->get("asset")) params["asset"] = *a;
    auto r = client.call("query", Json{{"module", verb == "balance" ? "bank" : "accounts"},
                                       {"path", verb == "balance" ? "balance" : "account"},
                                       {"params", params}});
    if (!r.ok()) return fail("query " + verb, r.error());
    const Json& res = (*r)["result"];
    std::string human;
    if (verb == "balance") {
      for (auto it = res["balances"].begin(); it != res["balances"].end(); ++it)
        human += (human.empty() ? "" : "\n") + it.key() + " " + it.value().get<std::string>();
      if (human.empty()) human = "(no balances)";
    } else {
      human = res.dump();
    }
    return print_result(*args, res, human);
  }
  return fail(kExitUsage, "query", "unknown verb '" + verb + "' (block|tx|balance|account)");
}

}  // namespace formica::cli
