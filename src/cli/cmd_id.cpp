// `formica id …`: Universal ID credentials (docs/id.md; the contract is ../shared/CLI.md).
//
//   issuer init --out DIR --attrs a,b,…      issuer keys (DIR/issuer.key 0600, DIR/issuer.pub.json)
//   issue --issuer DIR --attrs A.json --count N --out WALLET
//   request … / respond …                    blind issuance over files, three messages
//   prove --wallet W --predicate E … --today D --nonce HEX --out PRES
//   verify --issuer-pub F --predicate E … --today D --nonce HEX --in PRES [--json]
//   challenge                                a fresh verifier challenge (nonce)
//   register | revoke | epoch | policy | submit | issuers   the on-chain `id` module
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "client_util.h"
#include "commands.h"
#include "formica/apps/id.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/gs1/qr.h"
#include "formica/zk/credential.h"

namespace formica::cli {
namespace {

using codec::Json;
namespace cred = zk::cred;

constexpr const char* kWalletFormat = "formica-id-wallet-v1";
constexpr const char* kPubFormat = "formica-id-issuer-v1";

Error usage_error(std::string m) { return make_error(ErrorCode::kInvalidArgument, std::move(m)); }

Result<std::string> required(const Args& a, const char* name) {
  auto v = a.get(name);
  if (!v) return usage_error(std::string("--") + name + " is required");
  return *v;
}

Result<Json> read_json(const std::string& path) {
  FORMICA_ASSIGN_OR_RETURN(Bytes raw, read_input(path, 1u << 20));
  try {
    return Json::parse(raw.begin(), raw.end());
  } catch (const std::exception&) {
    return make_error(ErrorCode::kMalformed, path + ": not JSON");
  }
}

Status write_text(const std::string& path, const std::string& text, unsigned mode = 0644) {
  return write_file_atomic(path, as_bytes(text), mode);
}

std::uint32_t system_today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return static_cast<std::uint32_t>((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

Result<std::uint32_t> date_opt(const Args& a, const char* name) {
  FORMICA_ASSIGN_OR_RETURN(std::string s, required(a, name));
  return cred::parse_date(s);
}

Result<Bytes> nonce_opt(const Args& a) {
  FORMICA_ASSIGN_OR_RETURN(std::string s, required(a, "nonce"));
  auto b = base::from_hex(s);
  if (!b.ok()) return make_error(ErrorCode::kMalformed, "--nonce is not hex");
  if (b->size() < 8 || b->size() > 64) return usage_error("--nonce must be 8..64 bytes");
  return *b;
}

Result<std::vector<cred::Predicate>> predicates_opt(const Args& a) {
  std::vector<cred::Predicate> out;
  for (const auto& p : a.get_all("predicate")) {
    FORMICA_ASSIGN_OR_RETURN(auto q, cred::parse_predicate(p));
    out.push_back(q);
  }
  return out;
}

// Attribute specs "name[:type]", type date|int|string|auto. Untyped: birth_date and *_date are
// dates, the rest "int or string" (CLI.md: "other attributes are integers or strings"): each
// value is an integer when it is one, else a string of at most 30 bytes (docs/id.md).
Result<std::vector<cred::AttrDef>> parse_attr_specs(const std::string& list) {
  std::vector<cred::AttrDef> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? list.size() + 1 : comma + 1;
    if (item.empty()) return usage_error("--attrs has an empty name");
    cred::AttrDef d;
    auto colon = item.find(':');
    d.name = item.substr(0, colon);
    auto ends = [&](std::string_view suf) {
      return d.name.size() >= suf.size() && d.name.compare(d.name.size() - suf.size(), suf.size(), suf) == 0;
    };
    if (colon != std::string::npos) {
      const std::string t = item.substr(colon + 1);
      if (t == "date")
        d.type = cred::AttrType::kDate;
      else if (t == "int")
        d.type = cred::AttrType::kInt;
      else if (t == "string")
        d.type = cred::AttrType::kString;
      else if (t == "auto")
        d.type = cred::AttrType::kAuto;
      else
        return usage_error("attribute type must be date, int, string or auto: " + item);
    } else if (d.name == "birth_date" || ends("_date")) {
      d.type = cred::AttrType::kDate;
    } else {
      d.type = cred::AttrType::kAuto;
    }
    out.push_back(d);
  }
  return out;
}

Json pub_json(const cred::IssuerPublic& ip) {
  Json attrs = Json::array();
  for (const auto& a : ip.attrs)
    attrs.push_back({{"name", a.name}, {"type", std::string(cred::attr_type_name(a.type))}});
  return Json{{"format", kPubFormat},
              {"issuer_id", ip.issuer_id},
              {"attrs", attrs},
              {"public_key", base::to_hex(ip.encode())},
              {"fingerprint", base::to_hex(ip.fingerprint())}};
}

Result<cred::IssuerPublic> load_pub(const std::string& path) {
  FORMICA_ASSIGN_OR_RETURN(Json j, read_json(path));
  if (!j.is_object() || j.value("format", "") != kPubFormat || !j.contains("public_key") ||
      !j["public_key"].is_string())
    return make_error(ErrorCode::kMalformed, path + ": not an issuer public key file");
  auto raw = base::from_hex(j["public_key"].get<std::string>());
  if (!raw.ok()) return make_error(ErrorCode::kMalformed, path + ": public_key is not hex");
  return cred::IssuerPublic::decode(*raw);
}

Result<cred::IssuerSecret> load_issuer(const std::string& dir) {
  FORMICA_ASSIGN_OR_RETURN(Bytes raw, read_input(dir + "/issuer.key", 1u << 16));
  auto b = base::from_hex(
      std::string(as_chars(raw).substr(0, raw.size() && raw.back() == '\n' ? raw.size() - 1 : raw.size())));
  secure_zero(raw);
  if (!b.ok()) return make_error(ErrorCode::kMalformed, dir + "/issuer.key: not hex");
  auto s = cred::IssuerSecret::decode(*b);
  secure_zero(*b);
  return s;
}

Json wallet_json(const cred::Wallet& w) {
  Json attrs = Json::object();
  for (std::size_t i = 0; i < w.values.size(); ++i) attrs[w.issuer.attrs[i].name] = w.values[i];
  Json types = Json::object();
  for (const auto& a : w.issuer.attrs) types[a.name] = std::string(cred::attr_type_name(a.type));
  const Bytes enc = w.encode();
  return Json{{"format", kWalletFormat},
              {"issuer_id", w.issuer.issuer_id},
              {"attributes", attrs},
              {"types", types},
              {"epoch", w.ti.epoch},
              {"expires", cred::format_date(w.ti.expires)},
              {"tokens_left", w.tokens.size()},
              {"data", base::to_base64(enc)}};
}

Status save_wallet(const std::string& path, const cred::Wallet& w) {
  return write_text(path, wallet_json(w).dump(2) + "\n", 0600);
}

Result<cred::Wallet> load_wallet(const std::string& path) {
  FORMICA_ASSIGN_OR_RETURN(Json j, read_json(path));
  if (!j.is_object() || j.value("format", "") != kWalletFormat || !j.contains("data") ||
      !j["data"].is_string())
    return make_error(ErrorCode::kMalformed, path + ": not a Formica ID wallet");
  auto raw = base::from_base64(j["data"].get<std::string>());
  if (!raw.ok()) return make_error(ErrorCode::kMalformed, path + ": data is not base64");
  return cred::Wallet::decode(*raw);
}

// ATTRS.json: {"name": "Alice", "birth_date": "2000-01-31", "property_value": 750000}.
Result<std::vector<std::string>> load_values(const std::string& path, const cred::IssuerPublic& ip) {
  FORMICA_ASSIGN_OR_RETURN(Json j, read_json(path));
  if (!j.is_object()) return make_error(ErrorCode::kMalformed, path + ": expected a JSON object");
  std::vector<std::string> out;
  for (const auto& a : ip.attrs) {
    if (!j.contains(a.name)) return usage_error(path + ": missing attribute " + a.name);
    const Json& v = j[a.name];
    if (v.is_string())
      out.push_back(v.get<std::string>());
    else if (v.is_number_unsigned())
      out.push_back(std::to_string(v.get<std::uint64_t>()));
    else
      return usage_error(path + ": attribute " + a.name + " must be a string or a non-negative integer");
  }
  for (auto& [k, v] : j.items()) {
    (void)v;
    if (!ip.index_of(k)) return usage_error(path + ": the issuer has no attribute " + k);
  }
  FORMICA_TRY(cred::encode_attributes(ip, out));
  return out;
}

Result<Json> chain_query(const Args& a, const std::string& path, const Json& params) {
  FORMICA_ASSIGN_OR_RETURN(std::string url, resolve_rpc(a));
  rpc::Client c(url);
  FORMICA_ASSIGN_OR_RETURN(Json r,
                           c.call("query", Json{{"module", "id"}, {"path", path}, {"params", params}}));
  return r["result"];
}

bool chain_given(const Args& a) { return a.has("rpc") || a.has("net"); }

// --issuer-pub FILE, or --issuer-id ID fetched from the chain (with its minimum epoch).
Result<std::pair<cred::IssuerPublic, std::uint64_t>> verifier_issuer(const Args& a) {
  std::uint64_t min_epoch = 0;
  if (auto m = a.get("min-epoch")) {
    FORMICA_ASSIGN_OR_RETURN(min_epoch, parse_u64(*m));
  }
  if (auto f = a.get("issuer-pub")) {
    FORMICA_ASSIGN_OR_RETURN(auto ip, load_pub(*f));
    if (chain_given(a)) {
      FORMICA_ASSIGN_OR_RETURN(Json r, chain_query(a, "issuer", Json{{"issuer_id", ip.issuer_id}}));
      if (r.value("public_key", "") != base::to_hex(ip.encode()))
        return make_error(ErrorCode::kVerificationFailed,
                          "the chain holds another key for issuer " + ip.issuer_id);
      min_epoch = std::max(min_epoch, r.value("min_epoch", std::uint64_t{0}));
    }
    return std::make_pair(std::move(ip), min_epoch);
  }
  if (auto id = a.get("issuer-id")) {
    FORMICA_ASSIGN_OR_RETURN(Json r, chain_query(a, "issuer", Json{{"issuer_id", *id}}));
    auto raw = base::from_hex(r.value("public_key", ""));
    if (!raw.ok()) return make_error(ErrorCode::kMalformed, "chain returned a bad issuer key");
    FORMICA_ASSIGN_OR_RETURN(auto ip, cred::IssuerPublic::decode(*raw));
    min_epoch = std::max(min_epoch, r.value("min_epoch", std::uint64_t{0}));
    return std::make_pair(std::move(ip), min_epoch);
  }
  return usage_error("--issuer-pub FILE (or --issuer-id ID with --rpc/--net) is required");
}

Result<Bytes> read_presentation(const std::string& path) {
  FORMICA_ASSIGN_OR_RETURN(Bytes raw, read_input(path, 1u << 16));
  // Binary, or its base64url / hex text (what a QR code or a web page carries).
  if (!raw.empty() && raw[0] == 1) return raw;
  std::string text(as_chars(raw));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (auto b = base::from_base64url(text); b.ok()) return *b;
  if (auto h = base::from_hex(text); h.ok()) return *h;
  return make_error(ErrorCode::kMalformed, "presentation is neither binary, base64url nor hex");
}

Result<cred::TokenInfo> token_info_opts(const Args& a, std::uint64_t chain_epoch) {
  cred::TokenInfo ti;
  ti.epoch = chain_epoch;
  if (auto e = a.get("epoch")) {
    FORMICA_ASSIGN_OR_RETURN(ti.epoch, parse_u64(*e));
  }
  if (a.has("expires")) {
    FORMICA_ASSIGN_OR_RETURN(ti.expires, date_opt(a, "expires"));
  } else {
    // Issuer-wide, never per holder or per issuance day (TI is shown in every presentation):
    // 31 December of next year.
    ti.expires = (system_today() / 10000 + 1) * 10000 + 1231;
  }
  return ti;
}

// The issuer's chain view: the current minimum epoch, and refusal of revoked holders.
Result<std::uint64_t> issuer_chain_checks(const Args& a, const std::string& issuer_id,
                                          const std::string& holder) {
  if (!chain_given(a)) return std::uint64_t{0};
  FORMICA_ASSIGN_OR_RETURN(Json r, chain_query(a, "issuer", Json{{"issuer_id", issuer_id}}));
  if (!holder.empty()) {
    FORMICA_ASSIGN_OR_RETURN(Json rv,
                             chain_query(a, "revoked", Json{{"issuer_id", issuer_id}, {"holder", holder}}));
    if (rv.value("revoked", false))
      return make_error(ErrorCode::kPermissionDenied, "holder '" + holder + "' is revoked: no new batch");
  }
  return r.value("min_epoch", std::uint64_t{0});
}

// ---------------------------------------------------------------- verbs

int issuer_init(const Words& w) {
  const char* what = "id issuer init";
  auto a = Args::parse(w, {{"out"}, {"attrs"}, {"id"}, {"json", false}});
  if (!a.ok()) return fail(kExitUsage, what, a.error().message);
  auto out = required(*a, "out");
  if (!out.ok()) return fail(what, out.error());
  auto list = required(*a, "attrs");
  if (!list.ok()) return fail(what, list.error());
  auto specs = parse_attr_specs(*list);
  if (!specs.ok()) return fail(what, specs.error());
  std::string id = a->get_or("id", std::filesystem::path(*out).filename().string());
  for (auto& ch : id)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  auto s = cred::make_issuer(id, *specs);
  if (!s.ok()) return fail(what, s.error());
  std::error_code ec;
  std::filesystem::create_directories(*out, ec);
  if (ec) return fail(kExitUsage, what, "cannot create " + *out + ": " + ec.message());
  Bytes sk = s->encode();
  std::string hex = base::to_hex(sk) + "\n";
  secure_zero(sk);
  auto st = write_text(*out + "/issuer.key", hex, 0600);
  secure_zero(hex.data(), hex.size());
  if (!st.ok()) return fail(what, st.error());
  Json pj = pub_json(s->pub);
  st = write_text(*out + "/issuer.pub.json", pj.dump(2) + "\n");
  if (!st.ok()) return fail(what, st.error());
  return print_result(*a, pj, "issuer " + id + ": " + *out + "/issuer.pub.json");
}

int issue(const Words& w) {
  const char* what = "id issue";
  auto a = Args::parse(
      w, client_options({{"issuer"}, {"attrs"}, {"count"}, {"out"}, {"epoch"}, {"expires"}, {"holder"}}));
  if (!a.ok()) return fail(kExitUsage, what, a.error().message);
  auto dir = required(*a, "issuer");
  if (!dir.ok()) return fail(what, dir.error());
  auto out = required(*a, "out");
  if (!out.ok()) return fail(what, out.error());
  auto count = parse_u64(a->get_or("count", "20"));
  if (!count.ok() || *count == 0 || *count > cred::kMaxBatch)
    return fail(kExitUsage, what, "--count must be 1..256");
  auto iss = load_issuer(*dir);
  if (!iss.ok()) return fail(what, iss.error());
  auto attrs_path = required(*a, "attrs");
  if (!attrs_path.ok()) return fail(what, attrs_path.error());
  auto values = load_values(*attrs_path, iss->pub);
  if (!values.ok()) return fail(what, values.error());
  auto epoch = issuer_chain_checks(*a, iss->pub.issuer_id, a->get_or("holder", ""));
  if (!epoch.ok()) return fail(what, epoch.error());
  auto ti = token_info_opts(*a, *epoch);
  if (!ti.ok()) return fail(what, ti.error());
  auto wallet = cred::issue_locally(*iss, *values, *ti, *count);
  if (!wallet.ok()) return fail(what, wallet.error());
  auto st = save_wallet(*out, *wallet);
  if (!st.ok()) return fail(what, st.error());
  Json j{{"wallet", *out},
         {"issuer_id", iss->pub.issuer_id},
         {"tokens", *count},
         {"epoch", ti->epoch},
         {"expires", cred::format_date(ti->expires)}};
  return print_result(*a, j,
                      "wallet " + *out + ": " + std::to_string(*count) + " tokens of " + iss->pub.issuer_id);
}

int prove(const Words& w) {
  const char* what = "id prove";
  auto a = Args::parse(w, {{"wallet"},
                           {"predicate", true, true},
                           {"disclose", true, true},
                           {"today"},
                           {"nonce"},
                           {"verifier"},
                           {"out"},
                           {"qr"},
                           {"json", false}});
  if (!a.ok()) return fail(kExitUsage, what, a.error().message);
  auto wp = required(*a, "wallet");
  if (!wp.ok()) return fail(what, wp.error());
  auto out = required(*a, "out");
  if (!out.ok()) return fail(what, out.error());
  auto preds = predicates_opt(*a);
  if (!preds.ok()) return fail(what, preds.error());
  auto today = date_opt(*a, "today");
  if (!today.ok()) return fail(what, today.error());
  auto nonce = nonce_opt(*a);
  if (!nonce.ok()) return fail(what, nonce.error());
  auto wallet = load_wallet(*wp);
  if (!wallet.ok()) return fail(what, wallet.error());
  cred::Challenge ch{a->get_or("verifier", ""), *nonce, *today};
  auto p = cred::present(*wallet, *preds, a->get_all("disclose"), ch);
  if (!p.ok()) return fail(what, p.error());
  // The used token leaves the wallet before the presentation exists: a token is never shown twice.
  auto st = save_wallet(*wp, *wallet);
  if (!st.ok()) return fail(what, st.error());
  const Bytes bytes = p->encode();
  st = write_file_atomic(*out, bytes);
  if (!st.ok()) return fail(what, st.error());
  if (auto qr_path = a->get("qr")) {
    // What the phone shows the verifier: the base64url text as a QR code (level M).
    auto m = gs1::qr_encode(base::to_base64url(bytes));
    if (!m.ok()) return fail(what, m.error());
    Result<Bytes> img = make_error(ErrorCode::kInvalidArgument, "--qr must end in .png or .svg");
    if (qr_path->size() > 4 && qr_path->substr(qr_path->size() - 4) == ".png") img = gs1::qr_png(*m, 4);
    if (qr_path->size() > 4 && qr_path->substr(qr_path->size() - 4) == ".svg")
      img = to_bytes(gs1::qr_svg(*m));
    if (!img.ok()) return fail(what, img.error());
    st = write_file_atomic(*qr_path, *img);
    if (!st.ok()) return fail(what, st.error());
  }
  Json j{{"out", *out},
         {"bytes", bytes.size()},
         {"tokens_left", wallet->tokens.size()},
         {"base64url", base::to_base64url(bytes)}};
  return print_result(*a, j,
                      *out + ": " + std::to_string(bytes.size()) + " bytes, " +
                          std::to_string(wallet->tokens.size()) + " tokens left");
}

int verify(const Words& w) {
  const char* what = "id verify";
  auto a = Args::parse(w, client_options({{"issuer-pub"},
                                          {"issuer-id"},
                                          {"predicate", true, true},
                                          {"disclose", true, true},
                                          {"today"},
                                          {"nonce"},
                                          {"verifier"},
                                          {"in"},
                                          {"min-epoch"}}));
  if (!a.ok()) return fail(kExitUsage, what, a.error().message);
  auto preds = predicates_opt(*a);
  if (!preds.ok()) return fail(what, preds.error());
  auto today = date_opt(*a, "today");
  if (!today.ok()) return fail(what, today.error());
  auto nonce = nonce_opt(*a);
  if (!nonce.ok()) return fail(what, nonce.error());
  auto iss = verifier_issuer(*a);
  if (!iss.ok()) return fail(what, iss.error());
  auto bytes = read_presentation(a->get_or("in", "-"));
  if (!bytes.ok()) return fail(what, bytes.error());
  cred::Challenge ch{a->get_or("verifier", ""), *nonce, *today};
  auto v = cred::verify_presentation(iss->first, *preds, a->get_all("disclose"), ch, *bytes, iss->second);
  Json statements = Json::array();
  for (const auto& p : *preds) statements.push_back(p.to_string());
  if (!v.ok()) {
    if (a->has("json"))
      std::cout << Json{{"valid", false}, {"reason", v.error().message}, {"statements", statements}}.dump()
                << "\n";
    return fail(what, v.error());
  }
  if (a->has("json")) {
    std::cout << Json{{"valid", true},
                      {"issuer_id", iss->first.issuer_id},
                      {"statements", statements},
                      {"disclosed", v->disclosed},
                      {"token_epoch", v->ti.epoch},
                      {"token_expires", cred::format_date(v->ti.expires)}}
                     .dump()
              << "\n";
  } else {
    for (const auto& [k, val] : v->disclosed) std::cout << k << "=" << val << "\n";
  }
  return kExitOk;
}

int challenge(const Words& w) {
  auto a = Args::parse(w, {{"bytes"}, {"json", false}});
  if (!a.ok()) return fail(kExitUsage, "id challenge", a.error().message);
  Bytes n(16);
  zk::random_bytes(n);
  const std::string hex = base::to_hex(n);
  return print_result(*a, Json{{"nonce", hex}, {"today", cred::format_date(system_today())}}, hex);
}

// ---------------------------------------------------------------- blind issuance over files

// Holder state between the request steps: the request and the prover session's secrets.
// Stored as the request plus, after the offer, the second message's inputs (0600).
struct HolderState {
  cred::IssuanceRequest req;
  Bytes offer;   // FID-M11 bytes once received
  Bytes secret;  // alpha, beta2 per token, h, sigma_z', sigma_c' (see below)
};

int request(const Words& w) {
  const char* what = "id request";
  auto a = Args::parse(
      w, {{"issuer-pub"}, {"attrs"}, {"count"}, {"holder"}, {"state"}, {"in"}, {"out"}, {"json", false}});
  if (!a.ok()) return fail(kExitUsage, what, a.error().message);
  auto state_path = required(*a, "state");
  if (!state_path.ok()) return fail(what, state_path.error());
  auto out = required(*a, "out");
  if (!out.ok()) return fail(what, out.error());
  if (!a->has("in")) {
    // Step 1: the request (what to certify). The state file keeps it and the issuer key.
    auto pub_path = required(*a, "issuer-pub");
    if (!pub_path.ok()) return fail(what, pub_path.error());
    auto ip = load_pub(*pub_path);
    if (!ip.ok()) return fail(what, ip.error());
    auto attrs_path = required(*a, "attrs");
    if (!attrs_path.ok()) return fail(what, attrs_path.error());
    auto values = load_values(*attrs_path, *ip);
    if (!values.ok()) return fail(what, values.error());
    auto count = parse_u64(a->get_or("count", "20"));
    if (!count.ok() || *count == 0 || *count > cred::kMaxBatch)
      return fail(kExitUsage, what, "--count must be 1..256");
    cred::IssuanceRequest rq{ip->issuer_id, a->get_or("holder", ""), *values,
                             static_cast<std::uint32_t>(*count)};
    Json st{{"step", 1}, {"issuer", base::to_hex(ip->encode())}, {"request", base::to_hex(rq.encode())}};
    auto s = write_text(*state_path, st.dump() + "\n", 0600);
    if (!s.ok()) return fail(what, s.error());
    s = write_file_atomic(*out, rq.encode());
    if (!s.ok()) return fail(what, s.error());
    return print_result(*a, Json{{"out", *out}, {"step", 1}}, "request " + *out);
  }
  auto st = read_json(*state_path);
  if (!st.ok()) return fail(what, st.error());
  auto ipb = base::from_hex(st->value("issuer", ""));
  auto rqb = base::from_hex(st->value("request", ""));
  if (!ipb.ok() || !rqb.ok()) return fail(kExitUsage, what, "bad state file");
  auto ip = cred::IssuerPublic::decode(*ipb);
  auto rq = cred::IssuanceRequest::decode(*rqb);
  if (!ip.ok() || !rq.ok()) return fail(kExitUsage, what, "bad state file");
  auto in = read_input(*a->get("in"), 1u << 20);
  if (!in.ok()) return fail(what, in.error());
  auto attrs = cred::encode_attributes(*ip, rq->values);
  if (!attrs.ok()) return fail(what, attrs.error());
  if (st->value("step", 0) == 1) {
    // Step 2: the issuer's offer -> the second message. The prover's blinding secrets are
    // derived from a fresh seed kept in the state file, so step 3 can rebuild the session.
    auto offer = cred::IssuanceOffer::decode(*in);
    if (!offer.ok()) return fail(what, offer.error());
    if (offer->m1.sigma_a.size() != rq->count)
      return fail(kExitCheckFailed, what, "offer has another token count");
    Bytes seed(32);
    zk::random_bytes(seed);
    auto rnd = [seed, ctr = std::make_shared<std::uint64_t>(0)]() {
      Bytes in2 = seed;
      for (int i = 0; i < 8; ++i) in2.push_back(static_cast<std::uint8_t>(*ctr >> (8 * i)));
      ++*ctr;
      auto h = zk::uprove::Hasher(zk::uprove::HashId::kSha512)
                   .raw(as_bytes("FORMICA-ID-HOLDER-RNG"))
                   .raw(in2)
                   .digest();
      secure_zero(in2);
      return zk::RistrettoScalar::from_uniform_bytes(h);
    };
    auto ps = zk::uprove::ProverSession<cred::G>::start(ip->params, *attrs, offer->ti.encode(), {}, rnd);
    if (!ps.ok()) return fail(what, ps.error());
    auto m2 = ps->second(offer->m1);
    if (!m2.ok()) return fail(what, m2.error());
    Json ns = *st;
    ns["step"] = 2;
    ns["offer"] = base::to_hex(*in);
    ns["seed"] = base::to_hex(seed);
    secure_zero(seed);
    auto s = write_text(*state_path, ns.dump() + "\n", 0600);
    if (!s.ok()) return fail(what, s.error());
    s = write_file_atomic(*out, cred::encode_second(*m2));
    if (!s.ok()) return fail(what, s.error());
    return print_result(*a, Json{{"out", *out}, {"step", 2}}, "second message " + *out);
  }
  if (st->value("step", 0) == 2) {
    // Step 3: the issuer's answer -> the wallet. Replays step 2 from the seed, then unblinds.
    auto offerb = base::from_hex(st->value("offer", ""));
    auto seed = base::from_hex(st->value("seed", ""));
    if (!offerb.ok() || !seed.ok()) return fail(kExitUsage, what, "bad state file");
    auto offer = cred::IssuanceOffer::decode(*offerb);
    auto m3 = cred::decode_third(*in);
    if (!offer.ok() || !m3.ok()) return fail(what, m3.ok() ? offer.error() : m3.error());
    auto rnd = [s = *seed, ctr = std::make_shared<std::uint64_t>(0)]() {
      Bytes in2 = s;
      for (int i = 0; i < 8; ++i) in2.push_back(static_cast<std::uint8_t>(*ctr >> (8 * i)));
      ++*ctr;
      auto h = zk::uprove::Hasher(zk::uprove::HashId::kSha512)
                   .raw(as_bytes("FORMICA-ID-HOLDER-RNG"))
                   .raw(in2)
                   .digest();
      secure_zero(in2);
      return zk::RistrettoScalar::from_uniform_bytes(h);
    };
    secure_zero(*seed);
    auto ps = zk::uprove::ProverSession<cred::G>::start(ip->params, *attrs, offer->ti.encode(), {}, rnd);
    if (!ps.ok()) return fail(what, ps.error());
    auto m2 = ps->second(offer->m1);
    if (!m2.ok()) return fail(what, m2.error());
    auto toks = ps->finish(*m3);
    if (!toks.ok()) return fail(what, toks.error());
    cred::Wallet wl;
    wl.issuer = *ip;
    wl.values = rq->values;
    wl.ti = offer->ti;
    wl.tokens = std::move(*toks);
    auto s = save_wallet(*out, wl);
    if (!s.ok()) return fail(what, s.error());
    std::filesystem::remove(*state_path);
    return print_result(*a, Json{{"wallet", *out}, {"tokens", wl.tokens.size()}},
                        "wallet " + *out + ": " + std::to_string(wl.tokens.size()) + " tokens");
  }
  return fail(kExitUsage, what, "state file is at an unknown step");
}

int respond(const Words& w) {
  const char* what = "id respond";
  auto a = Args::parse(w, client_options({{"issuer"}, {"in"}, {"out"}, {"epoch"}, {"expires"}}));
  if (!a.ok()) return fail(kExitUsage, what, a.error().message);
  auto dir = required(*a, "issuer");
  if (!dir.ok()) return fail(what, dir.error());
  auto out = required(*a, "out");
  if (!out.ok()) return fail(what, out.error());
  auto iss = load_issuer(*dir);
  if (!iss.ok()) return fail(what, iss.error());
  auto in = read_input(a->get_or("in", "-"), 1u << 20);
  if (!in.ok()) return fail(what, in.error());
  const std::string sessions = *dir + "/sessions";
  if (auto rq = cred::IssuanceRequest::decode(*in); rq.ok()) {
    // First message. The session secrets (w) stay in DIR/sessions, keyed by the offer's hash.
    if (rq->issuer_id != iss->pub.issuer_id)
      return fail(kExitCheckFailed, what, "request is for issuer " + rq->issuer_id);
    auto epoch = issuer_chain_checks(*a, iss->pub.issuer_id, rq->holder);
    if (!epoch.ok()) return fail(what, epoch.error());
    auto ti = token_info_opts(*a, *epoch);
    if (!ti.ok()) return fail(what, ti.error());
    auto attrs = cred::encode_attributes(iss->pub, rq->values);
    if (!attrs.ok()) return fail(what, attrs.error());
    std::vector<zk::RistrettoScalar> ws;
    auto rnd = [&ws]() {
      ws.push_back(zk::RistrettoScalar::random());
      return ws.back();
    };
    auto is = zk::uprove::IssuerSession<cred::G>::start(
        zk::uprove::IssuerKey<cred::G>{iss->pub.params, iss->y0}, *attrs, ti->encode(), rq->count, rnd);
    if (!is.ok()) return fail(what, is.error());
    const Bytes offer = cred::IssuanceOffer{*ti, is->first()}.encode();
    // The second message will name this session by the offer's hash.
    std::error_code ec;
    std::filesystem::create_directories(sessions, ec);
    Bytes secret;
    for (const auto& x : ws) {
      auto e = x.encode();
      base::append(secret, e);
      secure_zero(e.data(), e.size());
    }
    Json sj{{"request", base::to_hex(*in)}, {"ti", base::to_hex(ti->encode())}, {"w", base::to_hex(secret)}};
    secure_zero(secret);
    auto s = write_text(sessions + "/pending.json", sj.dump() + "\n", 0600);
    if (!s.ok()) return fail(what, s.error());
    s = write_file_atomic(*out, offer);
    if (!s.ok()) return fail(what, s.error());
    return print_result(*a, Json{{"out", *out}, {"step", 1}}, "offer " + *out);
  }
  auto m2 = cred::decode_second(*in);
  if (!m2.ok()) return fail(kExitUsage, what, "input is neither an issuance request nor a second message");
  auto sj = read_json(sessions + "/pending.json");
  if (!sj.ok())
    return fail(kExitCheckFailed, what, "no pending issuance session (each offer is answered once)");
  std::filesystem::remove(sessions + "/pending.json");  // w is used once, whatever happens next
  auto rqb = base::from_hex(sj->value("request", ""));
  auto tib = base::from_hex(sj->value("ti", ""));
  auto wb = base::from_hex(sj->value("w", ""));
  if (!rqb.ok() || !tib.ok() || !wb.ok()) return fail(kExitUsage, what, "bad session file");
  auto rq = cred::IssuanceRequest::decode(*rqb);
  if (!rq.ok()) return fail(what, rq.error());
  auto attrs = cred::encode_attributes(iss->pub, rq->values);
  if (!attrs.ok()) return fail(what, attrs.error());
  std::size_t k = 0;
  auto rnd = [&]() {
    auto s = zk::RistrettoScalar::decode(ByteView(*wb).subspan(32 * k++, 32));
    return s.ok() ? *s : zk::RistrettoScalar();
  };
  if (wb->size() != 32 * rq->count) return fail(kExitUsage, what, "bad session file");
  auto is = zk::uprove::IssuerSession<cred::G>::start(
      zk::uprove::IssuerKey<cred::G>{iss->pub.params, iss->y0}, *attrs, *tib, rq->count, rnd);
  secure_zero(*wb);
  if (!is.ok()) return fail(what, is.error());
  auto m3 = is->respond(*m2);
  if (!m3.ok()) return fail(what, m3.error());
  auto s = write_file_atomic(*out, cred::encode_third(*m3));
  if (!s.ok()) return fail(what, s.error());
  return print_result(*a, Json{{"out", *out}, {"step", 2}}, "answer " + *out);
}

// ---------------------------------------------------------------- chain

template <class P>
int send(const Args& a, const std::string& what, const std::string& kind, const P& payload,
         const std::string& human) {
  auto url = resolve_rpc(a);
  if (!url.ok()) return fail(what, url.error());
  auto key = load_key_arg(a);
  if (!key.ok()) return fail(what, key.error());
  auto bytes = codec::encode(payload);
  if (!bytes.ok()) return fail(what, bytes.error());
  rpc::Client client(*url);
  const bool wait = a.has("wait");
  auto r = submit(client, *key, "id", kind, *bytes, wait);
  if (!r.ok()) return fail(what, r.error());
  std::string line = human + ": " + r->value("tx_id", std::string());
  if (wait) line += " committed at height " + (*r)["receipt"]["height"].dump();
  return print_result(a, *r, line);
}

std::vector<OptionSpec> tx_options(std::vector<OptionSpec> more) {
  more.push_back({"key"});
  more.push_back({"password-file"});
  more.push_back({"wait", false});
  return client_options(std::move(more));
}

int chain_verb(const std::string& verb, const Words& w) {
  const std::string what = "id " + verb;
  if (verb == "issuers") {
    auto a = Args::parse(w, client_options({}));
    if (!a.ok()) return fail(kExitUsage, what, a.error().message);
    auto r = chain_query(*a, "issuers", Json::object());
    if (!r.ok()) return fail(what, r.error());
    std::string human;
    for (const auto& i : *r)
      human += i.value("issuer_id", "") + " (" + i.value("organisation", "") +
               ") min_epoch=" + std::to_string(i.value("min_epoch", 0)) + "\n";
    if (!human.empty()) human.pop_back();
    return print_result(*a, Json{{"issuers", *r}}, human);
  }
  auto a = Args::parse(w, tx_options({{"issuer"},
                                      {"issuer-id"},
                                      {"organisation"},
                                      {"holder"},
                                      {"reason"},
                                      {"min-epoch"},
                                      {"policy"},
                                      {"predicate", true, true},
                                      {"disclose", true, true},
                                      {"nonce"},
                                      {"today"},
                                      {"in"}}));
  if (!a.ok()) return fail(kExitUsage, what, a.error().message);
  if (verb == "register") {
    auto dir = required(*a, "issuer");
    if (!dir.ok()) return fail(what, dir.error());
    Result<cred::IssuerPublic> ip =
        std::filesystem::is_directory(*dir) ? load_pub(*dir + "/issuer.pub.json") : load_pub(*dir);
    if (!ip.ok()) return fail(what, ip.error());
    return send(*a, what, "register_issuer",
                apps::IdRegisterIssuer{ip->issuer_id, a->get_or("organisation", ip->issuer_id), ip->encode()},
                "issuer " + ip->issuer_id + " registered");
  }
  auto iid = a->get("issuer-id");
  if (verb == "revoke") {
    auto holder = required(*a, "holder");
    if (!iid || !holder.ok()) return fail(kExitUsage, what, "--issuer-id and --holder are required");
    return send(*a, what, "revoke",
                apps::IdRevoke{*iid, apps::id_holder_hash(*holder), a->get_or("reason", "")},
                "revoked " + *holder);
  }
  if (verb == "epoch") {
    auto m = parse_u64(a->get_or("min-epoch", ""));
    if (!iid || !m.ok()) return fail(kExitUsage, what, "--issuer-id and --min-epoch N are required");
    return send(*a, what, "set_min_epoch", apps::IdSetMinEpoch{*iid, *m}, "min epoch " + std::to_string(*m));
  }
  if (verb == "policy") {
    auto pol = required(*a, "policy");
    if (!iid || !pol.ok()) return fail(kExitUsage, what, "--policy and --issuer-id are required");
    return send(*a, what, "set_policy",
                apps::IdSetPolicy{*pol, *iid, a->get_all("predicate"), a->get_all("disclose")},
                "policy " + *pol);
  }
  if (verb == "submit") {
    auto pol = required(*a, "policy");
    if (!pol.ok()) return fail(what, pol.error());
    auto nonce = nonce_opt(*a);
    if (!nonce.ok()) return fail(what, nonce.error());
    auto today = date_opt(*a, "today");
    if (!today.ok()) return fail(what, today.error());
    auto bytes = read_presentation(a->get_or("in", "-"));
    if (!bytes.ok()) return fail(what, bytes.error());
    return send(*a, what, "verify", apps::IdVerify{*pol, *nonce, *today, *bytes}, "verified on chain");
  }
  return fail(kExitUsage, "id", "unknown verb '" + verb + "'");
}

}  // namespace

int cmd_id(const Words& w) {
  const std::string usage =
      "expected: issuer init | issue | request | respond | prove | verify | challenge | register | revoke | "
      "epoch | "
      "policy | submit | issuers";
  if (w.empty()) return fail(kExitUsage, "id", usage);
  const std::string verb = w[0];
  const Words rest(w.begin() + 1, w.end());
  if (verb == "issuer") {
    if (rest.empty() || rest[0] != "init")
      return fail(kExitUsage, "id issuer", "expected: id issuer init --out DIR --attrs a,b,…");
    return issuer_init(Words(rest.begin() + 1, rest.end()));
  }
  if (verb == "issue") return issue(rest);
  if (verb == "request") return request(rest);
  if (verb == "respond") return respond(rest);
  if (verb == "prove") return prove(rest);
  if (verb == "verify") return verify(rest);
  if (verb == "challenge") return challenge(rest);
  if (verb == "register" || verb == "revoke" || verb == "epoch" || verb == "policy" || verb == "submit" ||
      verb == "issuers")
    return chain_verb(verb, rest);
  return fail(kExitUsage, "id", usage);
}

}  // namespace formica::cli
