#include "formica/apps/id.h"

#include "formica/base/encoding.h"
#include "formica/crypto/hash.h"
#include "formica/ledger/accounts.h"
#include "formica/zk/credential.h"

namespace formica::apps {
namespace {

using ledger::make_key;
using ledger::ModuleReader;
using ledger::ModuleStore;
namespace cred = zk::cred;

constexpr std::string_view kRoleIdIssuer = "issuer";

Bytes issuer_key(std::string_view id) { return make_key("i/", {}, id); }
Bytes revoked_key(std::string_view id, const ByteArray<32>& h) {
  return make_key("r/" + std::string(id) + "/", h);
}
Bytes policy_key(std::string_view id) { return make_key("p/", {}, id); }
Bytes nonce_key(std::string_view policy, ByteView nonce) {
  return make_key("n/" + std::string(policy) + "/", nonce);
}
Bytes verification_key(const ledger::Hash& tx) { return make_key("v/", tx); }

struct IssuerList {
  std::set<std::string> ids;
  FORMICA_CODEC_TRANSPARENT(ids)
};
const Bytes kIssuersKey = make_key("issuers");

bool valid_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

Error denied(std::string m) { return make_error(ErrorCode::kPermissionDenied, std::move(m)); }
Error bad(std::string m) { return make_error(ErrorCode::kInvalidArgument, std::move(m)); }

Result<IdIssuerRecord> existing_issuer(const ledger::StateReader& s, std::string_view id) {
  FORMICA_ASSIGN_OR_RETURN(auto r, Id::issuer(s, id));
  if (!r) return make_error(ErrorCode::kNotFound, "no issuer '" + std::string(id) + "'");
  return *r;
}

Result<std::vector<cred::Predicate>> parse_predicates(const std::vector<std::string>& ps) {
  std::vector<cred::Predicate> out;
  if (ps.size() > cred::kMaxPredicates) return bad("too many predicates");
  for (const auto& p : ps) {
    FORMICA_ASSIGN_OR_RETURN(auto q, cred::parse_predicate(p));
    out.push_back(q);
  }
  return out;
}

std::string str_param(const codec::Json& params, const char* key) {
  if (!params.is_object() || !params.contains(key) || !params[key].is_string()) return "";
  return params[key].get<std::string>();
}

codec::Json issuer_json(const IdIssuerRecord& r) {
  codec::Json attrs = codec::Json::array();
  if (auto ip = cred::IssuerPublic::decode(r.public_key); ip.ok())
    for (const auto& a : ip->attrs)
      attrs.push_back({{"name", a.name}, {"type", std::string(cred::attr_type_name(a.type))}});
  return codec::Json{{"issuer_id", r.issuer_id},
                     {"organisation", r.organisation},
                     {"owner", ledger::address_text(r.owner)},
                     {"public_key", base::to_hex(r.public_key)},
                     {"attrs", attrs},
                     {"min_epoch", r.min_epoch},
                     {"revoked", r.revoked}};
}

}  // namespace

std::string id_policy_verifier(std::string_view policy_id) {
  return "formica-chain-policy:" + std::string(policy_id);
}

ByteArray<32> id_holder_hash(std::string_view holder) {
  Bytes in = to_bytes("FORMICA-ID-HOLDER-V1:");
  base::append(in, as_bytes(holder));
  return crypto::sha256(in);
}

Result<std::optional<IdIssuerRecord>> Id::issuer(const ledger::StateReader& state, std::string_view id) {
  return ModuleReader(state, kName).get_value<IdIssuerRecord>(issuer_key(id));
}

Result<bool> Id::revoked(const ledger::StateReader& state, std::string_view issuer_id,
                         const ByteArray<32>& h) {
  FORMICA_ASSIGN_OR_RETURN(auto raw, ModuleReader(state, kName).get(revoked_key(issuer_id, h)));
  return raw.has_value();
}

Status Id::execute(ledger::TxContext& ctx, std::string_view kind, ByteView payload) {
  ModuleStore store(ctx.state, kName);
  const std::string mod(kName);
  if (kind == "register_issuer") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<IdRegisterIssuer>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(bool role, ledger::Accounts::has_role(ctx.state, ctx.sender, kRoleIdIssuer));
    if (!role) return denied("registering an ID issuer needs the issuer role");
    if (!valid_id(p.issuer_id)) return bad("issuer id must be 1..64 of [a-z0-9._-]");
    if (p.organisation.size() > 128) return bad("organisation name longer than 128 bytes");
    auto ip = cred::IssuerPublic::decode(p.public_key);
    if (!ip.ok()) return make_error(ErrorCode::kMalformed, ip.error().message);
    if (ip->issuer_id != p.issuer_id) return bad("the public key names issuer '" + ip->issuer_id + "'");
    FORMICA_ASSIGN_OR_RETURN(auto existing, issuer(ctx.state, p.issuer_id));
    if (existing) return make_error(ErrorCode::kAlreadyExists, "issuer '" + p.issuer_id + "' exists");
    FORMICA_TRY(store.put_value(issuer_key(p.issuer_id),
                                IdIssuerRecord{p.issuer_id, p.organisation, ctx.sender, p.public_key, 0, 0}));
    FORMICA_ASSIGN_OR_RETURN(auto list, store.get_value<IssuerList>(kIssuersKey));
    IssuerList l = list.value_or(IssuerList{});
    l.ids.insert(p.issuer_id);
    FORMICA_TRY(store.put_value(kIssuersKey, l));
    ctx.emit(mod, "issuer_registered",
             {{"issuer", p.issuer_id},
              {"organisation", p.organisation},
              {"owner", ledger::address_text(ctx.sender)}});
    return ok_status();
  }
  if (kind == "revoke") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<IdRevoke>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(IdIssuerRecord r, existing_issuer(ctx.state, p.issuer_id));
    if (r.owner != ctx.sender) return denied("only the issuer's owner may revoke");
    if (p.reason.size() > 256) return bad("reason longer than 256 bytes");
    FORMICA_ASSIGN_OR_RETURN(bool already, revoked(ctx.state, p.issuer_id, p.holder_hash));
    if (already) return make_error(ErrorCode::kAlreadyExists, "holder already revoked");
    FORMICA_TRY(store.put_value(revoked_key(p.issuer_id, p.holder_hash), IdRevocation{ctx.height, p.reason}));
    r.revoked += 1;
    FORMICA_TRY(store.put_value(issuer_key(p.issuer_id), r));
    ctx.emit(mod, "revoked", {{"issuer", p.issuer_id}, {"holder_hash", base::to_hex(p.holder_hash)}});
    return ok_status();
  }
  if (kind == "set_min_epoch") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<IdSetMinEpoch>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(IdIssuerRecord r, existing_issuer(ctx.state, p.issuer_id));
    if (r.owner != ctx.sender) return denied("only the issuer's owner may set its epoch");
    if (p.min_epoch <= r.min_epoch)
      return make_error(ErrorCode::kFailedPrecondition,
                        "the minimum epoch only grows (now " + std::to_string(r.min_epoch) + ")");
    r.min_epoch = p.min_epoch;
    FORMICA_TRY(store.put_value(issuer_key(p.issuer_id), r));
    ctx.emit(mod, "min_epoch", {{"issuer", p.issuer_id}, {"min_epoch", std::to_string(p.min_epoch)}});
    return ok_status();
  }
  if (kind == "set_policy") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<IdSetPolicy>(kind, payload));
    if (!valid_id(p.policy_id)) return bad("policy id must be 1..64 of [a-z0-9._-]");
    FORMICA_ASSIGN_OR_RETURN(IdIssuerRecord r, existing_issuer(ctx.state, p.issuer_id));
    FORMICA_ASSIGN_OR_RETURN(auto preds, parse_predicates(p.predicates));
    FORMICA_ASSIGN_OR_RETURN(auto ip, cred::IssuerPublic::decode(r.public_key));
    for (const auto& q : preds)
      if (!ip.index_of(q.attr)) return bad("issuer '" + p.issuer_id + "' has no attribute " + q.attr);
    for (const auto& d : p.disclose)
      if (!ip.index_of(d)) return bad("issuer '" + p.issuer_id + "' has no attribute " + d);
    FORMICA_ASSIGN_OR_RETURN(auto existing, store.get_value<IdPolicy>(policy_key(p.policy_id)));
    if (existing && existing->owner != ctx.sender)
      return denied("policy '" + p.policy_id + "' belongs to another account");
    FORMICA_TRY(store.put_value(policy_key(p.policy_id),
                                IdPolicy{p.policy_id, ctx.sender, p.issuer_id, p.predicates, p.disclose}));
    ctx.emit(mod, "policy", {{"policy", p.policy_id}, {"issuer", p.issuer_id}});
    return ok_status();
  }
  if (kind == "verify") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<IdVerify>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(auto pol, store.get_value<IdPolicy>(policy_key(p.policy_id)));
    if (!pol) return make_error(ErrorCode::kNotFound, "no policy '" + p.policy_id + "'");
    FORMICA_ASSIGN_OR_RETURN(IdIssuerRecord r, existing_issuer(ctx.state, pol->issuer_id));
    if (p.nonce.size() < 8 || p.nonce.size() > 64) return bad("nonce must be 8..64 bytes");
    FORMICA_ASSIGN_OR_RETURN(auto used, store.get(nonce_key(p.policy_id, p.nonce)));
    if (used)
      return make_error(ErrorCode::kFailedPrecondition,
                        "replayed presentation: nonce already used for this policy");
    FORMICA_ASSIGN_OR_RETURN(auto preds, parse_predicates(pol->predicates));
    auto ip = cred::IssuerPublic::decode(r.public_key);
    if (!ip.ok()) return make_error(ErrorCode::kInternal, "stored issuer key does not decode");
    cred::Challenge ch{id_policy_verifier(p.policy_id), p.nonce, p.today};
    auto v = cred::verify_presentation(*ip, preds, pol->disclose, ch, p.presentation, r.min_epoch);
    if (!v.ok()) return v.take_error();
    store.put(nonce_key(p.policy_id, p.nonce), Bytes{1});
    FORMICA_TRY(
        store.put_value(verification_key(ctx.tx_id),
                        IdVerification{p.policy_id, pol->issuer_id, p.today, pol->predicates, v->disclosed}));
    std::map<std::string, std::string> ev = {{"policy", p.policy_id},
                                             {"issuer", pol->issuer_id},
                                             {"today", cred::format_date(p.today)},
                                             {"verifier", ledger::address_text(ctx.sender)}};
    std::string stmt;
    for (const auto& q : pol->predicates) stmt += (stmt.empty() ? "" : "; ") + q;
    ev["statement"] = stmt;
    ctx.emit(mod, "verified", std::move(ev));
    return ok_status();
  }
  return make_error(ErrorCode::kUnsupported, "id has no transaction kind '" + std::string(kind) + "'");
}

Result<codec::Json> Id::query(const ledger::StateReader& state, std::string_view path,
                              const codec::Json& params) const {
  ModuleReader reader(state, kName);
  if (path == "issuer") {
    FORMICA_ASSIGN_OR_RETURN(IdIssuerRecord r, existing_issuer(state, str_param(params, "issuer_id")));
    return issuer_json(r);
  }
  if (path == "issuers") {
    FORMICA_ASSIGN_OR_RETURN(auto list, reader.get_value<IssuerList>(kIssuersKey));
    codec::Json out = codec::Json::array();
    if (list)
      for (const auto& id : list->ids) {
        FORMICA_ASSIGN_OR_RETURN(IdIssuerRecord r, existing_issuer(state, id));
        out.push_back(issuer_json(r));
      }
    return out;
  }
  if (path == "revoked") {
    const std::string iid = str_param(params, "issuer_id");
    ByteArray<32> h{};
    if (const std::string holder = str_param(params, "holder"); !holder.empty()) {
      h = id_holder_hash(holder);
    } else {
      auto raw = base::from_hex(str_param(params, "holder_hash"));
      if (!raw.ok() || raw->size() != 32)
        return bad("revoked query needs \"holder\" or a 32-byte \"holder_hash\"");
      std::copy(raw->begin(), raw->end(), h.begin());
    }
    FORMICA_TRY(existing_issuer(state, iid));
    FORMICA_ASSIGN_OR_RETURN(bool rv, revoked(state, iid, h));
    return codec::Json{{"issuer_id", iid}, {"holder_hash", base::to_hex(h)}, {"revoked", rv}};
  }
  if (path == "policy") {
    const std::string pid = str_param(params, "policy_id");
    FORMICA_ASSIGN_OR_RETURN(auto pol, reader.get_value<IdPolicy>(policy_key(pid)));
    if (!pol) return make_error(ErrorCode::kNotFound, "no policy '" + pid + "'");
    return codec::Json{{"policy_id", pol->policy_id}, {"owner", ledger::address_text(pol->owner)},
                       {"issuer_id", pol->issuer_id}, {"predicates", pol->predicates},
                       {"disclose", pol->disclose},   {"verifier_id", id_policy_verifier(pol->policy_id)}};
  }
  if (path == "check") {
    // A read-only verification for pages that cannot verify themselves: {issuer_id,
    // predicates: [..], disclose: [..], verifier, nonce (hex), today (YYYY-MM-DD),
    // presentation (base64url or hex)} -> {valid, reason | disclosed}.
    FORMICA_ASSIGN_OR_RETURN(IdIssuerRecord r, existing_issuer(state, str_param(params, "issuer_id")));
    FORMICA_ASSIGN_OR_RETURN(auto ip, cred::IssuerPublic::decode(r.public_key));
    std::vector<std::string> pred_text, disclose;
    auto strings = [&](const char* key, std::vector<std::string>& out) -> Status {
      if (!params.contains(key)) return ok_status();
      if (!params[key].is_array() || params[key].size() > cred::kMaxAttributes)
        return bad(std::string(key) + " must be an array");
      for (const auto& v : params[key]) {
        if (!v.is_string()) return bad(std::string(key) + " must hold strings");
        out.push_back(v.get<std::string>());
      }
      return ok_status();
    };
    FORMICA_TRY(strings("predicates", pred_text));
    FORMICA_TRY(strings("disclose", disclose));
    FORMICA_ASSIGN_OR_RETURN(auto preds, parse_predicates(pred_text));
    auto nonce = base::from_hex(str_param(params, "nonce"));
    if (!nonce.ok()) return bad("nonce must be hex");
    FORMICA_ASSIGN_OR_RETURN(std::uint32_t today, cred::parse_date(str_param(params, "today")));
    const std::string pres = str_param(params, "presentation");
    auto bytes = base::from_base64url(pres);
    if (!bytes.ok()) bytes = base::from_hex(pres);
    if (!bytes.ok())
      return codec::Json{{"valid", false}, {"reason", "presentation is neither base64url nor hex"}};
    cred::Challenge ch{str_param(params, "verifier"), *nonce, today};
    auto v = cred::verify_presentation(ip, preds, disclose, ch, *bytes, r.min_epoch);
    if (!v.ok()) return codec::Json{{"valid", false}, {"reason", v.error().message}};
    return codec::Json{{"valid", true},
                       {"issuer_id", ip.issuer_id},
                       {"statements", pred_text},
                       {"disclosed", v->disclosed},
                       {"token_epoch", v->ti.epoch},
                       {"token_expires", cred::format_date(v->ti.expires)}};
  }
  if (path == "verification") {
    auto raw = base::from_hex(str_param(params, "tx_id"));
    if (!raw.ok() || raw->size() != 32) return bad("verification query needs a 32-byte hex \"tx_id\"");
    ledger::Hash h{};
    std::copy(raw->begin(), raw->end(), h.begin());
    FORMICA_ASSIGN_OR_RETURN(auto v, reader.get_value<IdVerification>(verification_key(h)));
    if (!v) return make_error(ErrorCode::kNotFound, "no verification recorded by that transaction");
    return codec::Json{{"policy_id", v->policy_id},
                       {"issuer_id", v->issuer_id},
                       {"today", cred::format_date(v->today)},
                       {"predicates", v->predicates},
                       {"disclosed", v->disclosed}};
  }
  return make_error(ErrorCode::kNotFound, "id has no query '" + std::string(path) + "'");
}

}  // namespace formica::apps
