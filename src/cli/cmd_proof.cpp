// formica proof verify: checks a state value (or its absence) against a block header.
//
//   formica proof verify --state-key HEX [--height H]          ask a node, then verify
//   formica proof verify --balance ADDRESS --asset CODE [--height H]
//   formica proof verify --in FILE                              a saved get_state response
//   [--genesis FILE]   the validator set to trust (default: DIR/genesis.json with --net)
//
// The proof must lead from the key to the header's state root, and the header must hash to
// the block hash given. When asking a node, the header is then checked like a light client
// does, without trusting that node: the node's certificate for that height (or a later one) is
// a consensus block whose exec names a header, and a quorum certificate of 2f+1 validators of
// genesis over that block; headers in between are linked by parent hashes.
// Exit 0 valid, 1 invalid, 2 malformed, 3 unreachable.
#include <chrono>
#include <iostream>
#include <thread>

#include "client_util.h"
#include "commands.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/consensus/verify.h"
#include "formica/crypto/address.h"
#include "formica/ledger/block.h"
#include "formica/ledger/genesis.h"
#include "formica/ledger/state.h"
#include "formica/storage/state_proof.h"

namespace formica::cli {
namespace {

using codec::Json;

Result<crypto::Hash32> hash32(const Json& j, const char* what) {
  if (!j.is_string()) return make_error(ErrorCode::kMalformed, std::string(what) + " missing");
  FORMICA_ASSIGN_OR_RETURN(Bytes b, base::from_hex(j.get<std::string>()));
  if (b.size() != 32) return make_error(ErrorCode::kMalformed, std::string(what) + " is not 32 bytes");
  crypto::Hash32 h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

// Verifies a get_state response; returns a description or a typed error.
Result<std::string> verify_response(const Json& r) {
  if (!r.is_object() || !r.contains("header_encoded") || !r.contains("proof") || !r.contains("key"))
    return make_error(ErrorCode::kMalformed, "not a get_state response");
  FORMICA_ASSIGN_OR_RETURN(Bytes header_bytes, base::from_hex(r["header_encoded"].get<std::string>()));
  FORMICA_ASSIGN_OR_RETURN(auto header, codec::decode<ledger::BlockHeader>(header_bytes));
  crypto::HashAlg alg =
      r.value("hash_alg", "sha256") == "sm3" ? crypto::HashAlg::kSm3 : crypto::HashAlg::kSha256;
  FORMICA_ASSIGN_OR_RETURN(crypto::Hash32 claimed, hash32(r["header"]["hash"], "header.hash"));
  FORMICA_ASSIGN_OR_RETURN(crypto::Hash32 actual, ledger::header_hash(header, alg));
  if (claimed != actual)
    return make_error(ErrorCode::kVerificationFailed, "header does not hash to the block hash");
  FORMICA_ASSIGN_OR_RETURN(Bytes key, base::from_hex(r["key"].get<std::string>()));
  FORMICA_ASSIGN_OR_RETURN(Bytes proof_bytes, base::from_hex(r["proof"].get<std::string>()));
  FORMICA_ASSIGN_OR_RETURN(auto proof, storage::decode_state_proof(proof_bytes));
  std::optional<Bytes> value;
  if (r.contains("value") && !r["value"].is_null()) {
    FORMICA_ASSIGN_OR_RETURN(Bytes v, base::from_hex(r["value"].get<std::string>()));
    value = std::move(v);
  }
  std::optional<ByteView> view;
  if (value) view = ByteView(*value);
  if (!storage::verify_state_proof(alg, header.state_root, key, view, proof))
    return make_error(ErrorCode::kVerificationFailed, "proof does not lead to the header's state root");
  return std::string(value ? "inclusion" : "non-inclusion") + " proof valid at height " +
         std::to_string(header.height) + " (state root " + base::to_hex(header.state_root) + ", block " +
         base::to_hex(actual) + ")";
}

Result<std::string> read_text_file(const std::string& path) {
  FORMICA_ASSIGN_OR_RETURN(Bytes b, read_input(path));
  return std::string(as_chars(b));
}

}  // namespace

int cmd_proof(const Words& w) {
  if (w.empty() || w[0] != "verify") return fail(kExitUsage, "proof", "expected: proof verify ...");
  auto args =
      Args::parse(Words(w.begin() + 1, w.end()),
                  client_options({{"state-key"}, {"balance"}, {"asset"}, {"height"}, {"in"}, {"genesis"}}));
  if (!args.ok()) return fail(kExitUsage, "proof verify", args.error().message);
  Json response;
  if (auto in = args->get("in")) {
    auto bytes = read_input(*in);
    if (!bytes.ok()) return fail("proof verify", bytes.error());
    auto j = codec::parse_json(as_chars(*bytes));
    if (!j.ok()) return fail(kExitUsage, "proof verify", "input is not JSON: " + j.error().message);
    response = *j;
  } else {
    Bytes key;
    if (auto k = args->get("state-key")) {
      auto b = base::from_hex(*k);
      if (!b.ok()) return fail(kExitUsage, "proof verify", "--state-key: " + b.error().message);
      key = *b;
    } else if (auto a = args->get("balance")) {
      auto addr = crypto::Address::parse(*a);
      if (!addr.ok()) return fail(kExitUsage, "proof verify", addr.error().message);
      auto asset = args->get("asset");
      if (!asset) return fail(kExitUsage, "proof verify", "--balance needs --asset");
      key = ledger::make_key("bank/b/", addr->to_bytes(), *asset);
    } else {
      return fail(kExitUsage, "proof verify", "give --state-key, --balance or --in");
    }
    auto url = resolve_rpc(*args);
    if (!url.ok()) return fail("proof verify", url.error());
    rpc::Client client(*url);
    Json params = {{"key", base::to_hex(key)}};
    if (auto h = args->get("height")) params["height"] = *h;
    auto r = client.call("get_state", params);
    if (!r.ok()) return fail("proof verify", r.error());
    response = *r;
  }
  auto v = verify_response(response);
  if (!v.ok()) return fail("proof verify", v.error());
  std::string detail = *v;
  Json out = {{"valid", true}};
  if (!args->get("in")) {
    // The light-client check of the header itself.
    std::optional<std::string> genesis_file = args->get("genesis");
    if (!genesis_file && args->get("net")) genesis_file = *args->get("net") + "/genesis.json";
    if (!genesis_file) {
      detail += "; header NOT checked against the validator set (give --genesis or --net)";
      out["certified"] = false;
    } else {
      auto text = read_text_file(*genesis_file);
      if (!text.ok()) return fail(kExitUsage, "proof verify", *genesis_file + ": " + text.error().message);
      auto genesis = ledger::parse_genesis(*text);
      if (!genesis.ok()) return fail(kExitUsage, "proof verify", genesis.error().message);
      auto url = resolve_rpc(*args);
      if (!url.ok()) return fail("proof verify", url.error());
      rpc::Client client(*url);
      auto hb = base::from_hex(response["header_encoded"].get<std::string>());
      auto header =
          hb.ok() ? codec::decode<ledger::BlockHeader>(*hb) : Result<ledger::BlockHeader>(hb.error());
      if (!header.ok()) return fail("proof verify", header.error());
      auto hh = ledger::header_hash(*header, genesis->rules.hash_alg);
      if (!hh.ok()) return fail("proof verify", hh.error());
      auto c = verify_certified(client, *genesis, header->height, *hh);
      if (!c.ok()) return fail("proof verify", c.error());
      detail += "; header " + *c;
      out["certified"] = true;
    }
  }
  out["detail"] = detail;
  return print_result(*args, out, detail);
}

}  // namespace formica::cli
