#include "client_util.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/consensus/verify.h"
#include "formica/crypto/address.h"
#include "formica/ledger/block.h"
#include "formica/node/local_net.h"

namespace formica::cli {

std::vector<OptionSpec> client_options(std::vector<OptionSpec> more) {
  more.push_back({"rpc"});
  more.push_back({"net"});
  more.push_back({"json", false});
  more.push_back({"timeout-ms"});
  return more;
}

Result<std::string> resolve_rpc(const Args& args) {
  if (auto url = args.get("rpc")) return *url;
  if (auto dir = args.get("net")) {
    FORMICA_ASSIGN_OR_RETURN(auto net, node::load_local_net(*dir));
    for (const auto& n : net.nodes) {
      std::string url = "http://127.0.0.1:" + std::to_string(n.rpc_port);
      rpc::Client c(url);
      if (c.call("status", codec::Json::object(), 1000).ok()) return url;
    }
    return make_error(ErrorCode::kUnavailable,
                      "no node of " + *dir + " answers (is it up? formica net up --dir " + *dir + ")");
  }
  if (const char* env = std::getenv("FORMICA_RPC"); env != nullptr && *env != '\0') return std::string(env);
  return std::string("http://127.0.0.1:26600");
}

Result<crypto::PrivateKey> load_key_arg(const Args& args) {
  auto key = args.get("key");
  if (!key) return make_error(ErrorCode::kInvalidArgument, "--key FILE is required");
  return node::load_key(*key, args.get_or("password-file", ""));
}

Result<ChainInfo> chain_info(rpc::Client& client) {
  FORMICA_ASSIGN_OR_RETURN(codec::Json s, client.call("status", codec::Json::object()));
  ChainInfo info;
  if (!s.is_object() || !s.contains("chain_id") || !s["chain_id"].is_string())
    return make_error(ErrorCode::kMalformed, "node status without chain_id");
  info.chain_id = s["chain_id"].get<std::string>();
  info.hash_alg = s.value("hash_alg", "sha256") == "sm3" ? crypto::HashAlg::kSm3 : crypto::HashAlg::kSha256;
  info.height = s.value("height", std::uint64_t{0});
  return info;
}

Result<std::uint64_t> next_nonce(rpc::Client& client, const crypto::Address& who) {
  auto r = client.call(
      "query",
      codec::Json{{"module", "accounts"}, {"path", "account"}, {"params", {{"address", who.to_string()}}}});
  if (!r.ok()) {
    if (r.code() == ErrorCode::kNotFound) return std::uint64_t{0};
    return r.error();
  }
  auto n = codec::u128_from_decimal((*r)["result"].value("nonce", "0"));
  if (!n) return make_error(ErrorCode::kMalformed, "bad nonce from node");
  return static_cast<std::uint64_t>(*n);
}

Result<codec::Json> submit(rpc::Client& client, const crypto::PrivateKey& key, const std::string& module,
                           const std::string& kind, const Bytes& payload, bool wait) {
  FORMICA_ASSIGN_OR_RETURN(ChainInfo info, chain_info(client));
  auto who = crypto::Address::of(key.public_key());
  FORMICA_ASSIGN_OR_RETURN(std::uint64_t nonce, next_nonce(client, who));
  ledger::TxBody b;
  b.chain_id = info.chain_id;
  b.nonce = nonce;
  b.module = module;
  b.kind = kind;
  b.payload = payload;
  b.expiry_height = info.height + 1000;
  FORMICA_ASSIGN_OR_RETURN(ledger::Transaction tx, ledger::sign_transaction(b, key, info.hash_alg));
  FORMICA_ASSIGN_OR_RETURN(Bytes wire, codec::encode(tx));
  FORMICA_ASSIGN_OR_RETURN(codec::Json r,
                           client.call("submit_tx", codec::Json{{"tx", base::to_hex(wire)}, {"wait", wait}},
                                       wait ? 60'000 : 10'000));
  if (wait && r.contains("receipt") && r["receipt"].is_object() && r["receipt"].value("status", "") != "ok")
    return make_error(ErrorCode::kFailedPrecondition,
                      "rejected: " + r["receipt"].value("error", "unknown reason"));
  return r;
}

int print_result(const Args& args, const codec::Json& j, const std::string& human) {
  if (args.has("json")) {
    std::cout << j.dump() << "\n";
  } else {
    std::cout << human << "\n";
  }
  return kExitOk;
}

Result<codec::U128> parse_amount(std::string_view text, unsigned decimals) {
  std::string digits;
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || frac.size() > decimals || (dot != std::string_view::npos && frac.empty()))
    return make_error(ErrorCode::kInvalidArgument, "amount '" + std::string(text) + "' must have at most " +
                                                       std::to_string(decimals) + " decimals");
  digits.append(whole);
  digits.append(frac);
  digits.append(decimals - frac.size(), '0');
  std::size_t nz = digits.find_first_not_of('0');
  digits = nz == std::string::npos ? "0" : digits.substr(nz);
  auto v = codec::u128_from_decimal(digits);
  if (!v)
    return make_error(ErrorCode::kInvalidArgument, "amount '" + std::string(text) + "' is not a number");
  return *v;
}

Result<std::string> verify_certified(rpc::Client& client, const ledger::Genesis& genesis, std::uint64_t h,
                                     const crypto::Hash32& header_hash) {
  using codec::Json;
  std::vector<consensus::Validator> vals;
  for (const auto& v : genesis.validators) vals.push_back({v.name, v.org, v.scheme, v.public_key, v.address});
  if (vals.empty())
    return make_error(ErrorCode::kFailedPrecondition,
                      "genesis names no validators: nothing to check a certificate against");
  FORMICA_ASSIGN_OR_RETURN(auto vs, consensus::ValidatorSet::create(std::move(vals)));
  const consensus::ChainParams params{genesis.rules.chain_id, genesis.rules.hash_alg};
  // The newest header is certified a moment after it is final (by the next block's QC).
  Result<Json> answer = client.call("get_certificate", Json{{"height", h}});
  for (int i = 0; i < 50 && !answer.ok() && answer.code() == ErrorCode::kNotFound; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    answer = client.call("get_certificate", Json{{"height", h}});
  }
  FORMICA_ASSIGN_OR_RETURN(Json cert, std::move(answer));
  if (!cert.is_object() || !cert.contains("block_encoded") || !cert.contains("qc_encoded"))
    return make_error(ErrorCode::kMalformed, "not a certificate");
  FORMICA_ASSIGN_OR_RETURN(Bytes bb, base::from_hex(cert["block_encoded"].get<std::string>()));
  FORMICA_ASSIGN_OR_RETURN(Bytes qb, base::from_hex(cert["qc_encoded"].get<std::string>()));
  FORMICA_ASSIGN_OR_RETURN(auto block, codec::decode<consensus::BlockHeaderOnly>(bb));
  FORMICA_ASSIGN_OR_RETURN(auto qc, codec::decode<consensus::QuorumCert>(qb));
  FORMICA_ASSIGN_OR_RETURN(consensus::BlockId id, consensus::block_id(params, block));
  if (qc.block_id != id) return make_error(ErrorCode::kVerificationFailed, "the QC certifies another block");
  if (auto s = consensus::verify_qc(vs, qc, params); !s.ok())
    return make_error(ErrorCode::kVerificationFailed, "quorum certificate: " + s.error().message);
  // Walk from the certified header back to ours by parent hashes.
  std::uint64_t at = block.exec.height;
  crypto::Hash32 expect = block.exec.header_hash;
  if (at < h) return make_error(ErrorCode::kVerificationFailed, "certificate is for a lower height");
  if (at - h > 10'000) return make_error(ErrorCode::kUnsupported, "certified header too far above this one");
  while (at > h) {
    FORMICA_ASSIGN_OR_RETURN(Json b, client.call("get_block", Json{{"height", at}}));
    FORMICA_ASSIGN_OR_RETURN(Bytes hb, base::from_hex(b.value("header_encoded", "")));
    FORMICA_ASSIGN_OR_RETURN(auto hdr, codec::decode<ledger::BlockHeader>(hb));
    FORMICA_ASSIGN_OR_RETURN(crypto::Hash32 got, ledger::header_hash(hdr, genesis.rules.hash_alg));
    if (got != expect || hdr.height != at)
      return make_error(ErrorCode::kVerificationFailed,
                        "header chain broken at height " + std::to_string(at));
    expect = hdr.parent_hash;
    --at;
  }
  if (expect != header_hash)
    return make_error(ErrorCode::kVerificationFailed, "the certified chain does not contain this header");
  return "certified by " + std::to_string(qc.signatures.size()) + " of " + std::to_string(vs.size()) +
         " validators (quorum " + std::to_string(vs.quorum()) + ") in round " + std::to_string(block.round) +
         (block.exec.height == h ? std::string() : ", through height " + std::to_string(block.exec.height));
}

}  // namespace formica::cli
