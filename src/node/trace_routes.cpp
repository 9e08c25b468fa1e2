#include "formica/node/trace_routes.h"

#include <map>

#include "formica/apps/trace.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/codec/json.h"
#include "formica/gs1/digital_link.h"
#include "formica/ledger/block.h"
#include "formica/storage/state_proof.h"

namespace formica::node {
namespace {

using codec::Json;
using rpc::HttpReply;

HttpReply json_reply(unsigned status, const Json& j, std::string type = "application/json") {
  HttpReply r;
  r.status = status;
  r.content_type = std::move(type);
  r.body = j.dump();
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpReply error_reply(const Error& e) {
  unsigned status = 500;
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kMalformed:
    case ErrorCode::kVerificationFailed:
    case ErrorCode::kTooLarge: status = 400; break;
    case ErrorCode::kNotFound: status = 404; break;
    case ErrorCode::kFailedPrecondition: status = 409; break;
    default: break;
  }
  return json_reply(status, Json{{"error", std::string(error_code_name(e.code))}, {"message", e.message}});
}

HttpReply redirect(std::string location) {
  HttpReply r;
  r.status = 302;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "see " + location + "\n";
  r.headers.emplace_back("Location", std::move(location));
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> pct_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || hex_val(s[i + 1]) < 0 || hex_val(s[i + 2]) < 0)
        return make_error(ErrorCode::kMalformed, "bad percent-escape");
      out.push_back(static_cast<char>(hex_val(s[i + 1]) * 16 + hex_val(s[i + 2])));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string pct_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> parse_query(std::string_view q) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < q.size()) {
    auto amp = q.find('&', start);
    std::string_view part =
        q.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!part.empty()) {
      auto eq = part.find('=');
      FORMICA_ASSIGN_OR_RETURN(std::string k, pct_decode(part.substr(0, eq), true));
      std::string v;
      if (eq != std::string_view::npos) {
        FORMICA_ASSIGN_OR_RETURN(v, pct_decode(part.substr(eq + 1), true));
      }
      out[k] = v;
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

struct Snapshot {
  std::uint64_t height = 0;
  ledger::BlockHeader header;
  Json header_json;
  std::string header_encoded;
  std::string hash_alg;
};

Result<Snapshot> snapshot(const ledger::Chain& chain) {
  Snapshot s;
  s.height = chain.height();
  FORMICA_ASSIGN_OR_RETURN(auto block, chain.block(s.height));
  if (!block) return make_error(ErrorCode::kInternal, "no block at the head height");
  s.header = block->header;
  FORMICA_ASSIGN_OR_RETURN(ledger::Hash hash, ledger::header_hash(s.header, chain.hash_alg()));
  FORMICA_ASSIGN_OR_RETURN(Bytes enc, codec::encode(s.header));
  s.header_encoded = base::to_hex(enc);
  const auto& h = s.header;
  s.header_json = Json{{"height", h.height},
                       {"hash", base::to_hex(hash)},
                       {"parent_hash", base::to_hex(h.parent_hash)},
                       {"state_root", base::to_hex(h.state_root)},
                       {"tx_root", base::to_hex(h.tx_root)},
                       {"receipts_root", base::to_hex(h.receipts_root)},
                       {"tx_count", h.tx_count},
                       {"round", h.round},
                       {"time_ms", h.time_ms},
                       {"proposer", ledger::address_text(h.proposer)},
                       {"chain_id", h.chain_id}};
  s.hash_alg = std::string(crypto::hash_alg_name(chain.hash_alg()));
  return s;
}

// {key, value|null, proof} in the get_state format.
Result<Json> proof_json(const ledger::Chain& chain, std::uint64_t height, ByteView key) {
  FORMICA_ASSIGN_OR_RETURN(auto read, chain.state_get_with_proof(key, height));
  return Json{{"key", base::to_hex(key)},
              {"value", read.value ? Json(base::to_hex(*read.value)) : Json(nullptr)},
              {"proof", base::to_hex(storage::encode_state_proof(read.proof))}};
}

Json envelope(const Snapshot& s) {
  return Json{{"height", s.height},
              {"hash_alg", s.hash_alg},
              {"header", s.header_json},
              {"header_encoded", s.header_encoded}};
}

Result<Json> hits_with_proofs(const ledger::Chain& chain, std::uint64_t h,
                              const std::vector<apps::TraceEventHit>& hits) {
  Json a = Json::array();
  for (const auto& hit : hits) {
    Json j = apps::Trace::hit_json(hit);
    FORMICA_ASSIGN_OR_RETURN(j["proof"], proof_json(chain, h, hit.state_key));
    a.push_back(std::move(j));
  }
  return a;
}

Result<Json> trace_answer(const ledger::Chain& chain, const std::string& id) {
  FORMICA_ASSIGN_OR_RETURN(Snapshot s, snapshot(chain));
  auto state = chain.state_at(s.height);
  FORMICA_ASSIGN_OR_RETURN(auto t, apps::Trace::trace(*state, id));
  Json out = envelope(s);
  Json tj = apps::Trace::trace_json(t);
  FORMICA_ASSIGN_OR_RETURN(tj["events"], hits_with_proofs(chain, s.height, t.events));
  FORMICA_ASSIGN_OR_RETURN(tj["item_proof"], proof_json(chain, s.height, t.item_state_key));
  out["trace"] = std::move(tj);
  return out;
}

Result<Json> events_answer(const ledger::Chain& chain, const std::map<std::string, std::string>& q) {
  FORMICA_ASSIGN_OR_RETURN(Snapshot s, snapshot(chain));
  auto state = chain.state_at(s.height);
  apps::TraceQuery tq;
  auto get = [&](const char* k) {
    auto it = q.find(k);
    return it == q.end() ? std::string() : it->second;
  };
  tq.epc = get("epc");
  if (tq.epc.empty()) tq.epc = get("MATCH_anyEPC");
  tq.epc_class = get("class");
  if (tq.epc_class.empty()) tq.epc_class = get("MATCH_anyEPCClass");
  tq.location = get("location");
  if (tq.location.empty()) tq.location = get("EQ_bizLocation");
  tq.biz_step = get("biz_step");
  if (tq.biz_step.empty()) tq.biz_step = get("EQ_bizStep");
  if (!tq.biz_step.empty() && tq.biz_step.find(':') == std::string::npos)
    tq.biz_step = "https://ref.gs1.org/cbv/BizStep-" + tq.biz_step;
  tq.from = get("from");
  if (tq.from.empty()) tq.from = get("GE_eventTime");
  tq.to = get("to");
  if (tq.to.empty()) tq.to = get("LE_eventTime");
  for (auto [k, dst] : {std::pair<const char*, std::uint64_t*>{"cursor", &tq.cursor}, {"limit", &tq.limit}}) {
    std::string v = get(k);
    if (v.empty()) continue;
    if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
      return make_error(ErrorCode::kInvalidArgument, std::string(k) + " must be a number");
    *dst = std::stoull(v);
  }
  FORMICA_ASSIGN_OR_RETURN(auto res, apps::Trace::events(*state, tq));
  Json out = envelope(s);
  FORMICA_ASSIGN_OR_RETURN(out["events"], hits_with_proofs(chain, s.height, res.events));
  out["next_cursor"] = res.next_cursor ? Json(*res.next_cursor) : Json(nullptr);
  return out;
}

Result<Json> linkset(const gs1::DigitalLink& dl, const TraceRouteOptions& o, const std::string& host) {
  const std::string anchor = gs1::canonical_uri(dl);
  const std::string base = host.empty() ? "" : "http://" + host;
  std::string enc = pct_encode(anchor);
  Json entry = {{"anchor", anchor}};
  entry["https://gs1.org/voc/defaultLink"] = Json::array({{{"href", base + o.consumer_page + "?dl=" + enc},
                                                           {"title", "Product journey"},
                                                           {"type", "text/html"}}});
  entry["https://gs1.org/voc/traceability"] = Json::array({{{"href", base + "/trace/v1/trace?id=" + enc},
                                                            {"title", "Verified trace"},
                                                            {"type", "application/json"}}});
  entry["https://gs1.org/voc/epcis"] = Json::array({{{"href", base + "/trace/v1/events?epc=" + enc},
                                                     {"title", "EPCIS events"},
                                                     {"type", "application/json"}}});
  entry["https://gs1.org/voc/verificationService"] =
      Json::array({{{"href", base + "/trace/v1/item?id=" + enc},
                    {"title", "Anti-counterfeit claim status"},
                    {"type", "application/json"}}});
  return Json{{"linkset", Json::array({entry})}};
}

HttpReply resolve(const ledger::Chain& chain, const TraceRouteOptions& o, const rpc::HttpRequestView& req) {
  std::string host = req.host.empty() ? "localhost" : std::string(req.host);
  std::string uri = "https://" + host + std::string(req.path);
  auto q = parse_query(req.query);
  if (!q.ok()) return error_reply(q.error());
  std::string link_type = q->contains("linkType") ? (*q)["linkType"] : "";
  // Keep GS1 data attributes (e.g. ?17=261231) for the Digital Link check.
  std::string attrs;
  for (const auto& [k, v] : *q)
    if (!k.empty() && k.find_first_not_of("0123456789") == std::string::npos)
      attrs += (attrs.empty() ? "?" : "&") + k + "=" + pct_encode(v);
  auto dl = gs1::parse_digital_link(uri + attrs);
  if (!dl.ok())
    return error_reply(
        make_error(ErrorCode::kInvalidArgument, "not a GS1 Digital Link: " + dl.error().message));
  const std::string canonical = gs1::canonical_uri(*dl);
  const std::string enc = pct_encode(canonical);
  if (link_type == "gs1:traceability" || link_type == "https://gs1.org/voc/traceability")
    return redirect("/trace/v1/trace?id=" + enc);
  if (link_type == "gs1:epcis" || link_type == "https://gs1.org/voc/epcis")
    return redirect("/trace/v1/events?epc=" + enc);
  if (link_type == "gs1:verificationService") return redirect("/trace/v1/item?id=" + enc);
  bool browser = req.accept.find("text/html") != std::string_view::npos;
  if (browser && link_type.empty()) return redirect(o.consumer_page + "?dl=" + enc);
  auto ls = linkset(*dl, o, std::string(req.host));
  if (!ls.ok()) return error_reply(ls.error());
  HttpReply r = json_reply(200, *ls, "application/linkset+json");
  r.headers.emplace_back("Link",
                         "<" + o.consumer_page + "?dl=" + enc + ">; rel=\"https://gs1.org/voc/defaultLink\"");
  (void)chain;
  return r;
}

}  // namespace

rpc::HttpReply handle_trace_get(const ledger::Chain& chain, const TraceRouteOptions& o,
                                const rpc::HttpRequestView& req) {
  const std::string_view path = req.path;
  if (path == "/.well-known/gs1resolver") {
    return json_reply(200, Json{{"name", "Formica GS1 Digital Link resolver"},
                                {"resolverRoot", "/"},
                                {"supportedPrimaryKeys", Json::array({"01", "00", "414", "8004"})},
                                {"linkTypes", Json::array({"gs1:defaultLink", "gs1:traceability", "gs1:epcis",
                                                           "gs1:verificationService"})},
                                {"supportedContextValuesEnumerated", Json::array()}});
  }
  if (path.rfind("/trace/v1/", 0) == 0) {
    auto q = parse_query(req.query);
    if (!q.ok()) return error_reply(q.error());
    auto param = [&](const char* k) { return q->contains(k) ? (*q)[k] : std::string(); };
    std::string_view rest = path.substr(10);
    Result<Json> answer = make_error(ErrorCode::kNotFound, "no route " + std::string(path));
    if (rest == "trace") {
      if (param("id").empty())
        return error_reply(make_error(ErrorCode::kInvalidArgument, "trace needs ?id=URI"));
      answer = trace_answer(chain, param("id"));
    } else if (rest == "events") {
      answer = events_answer(chain, *q);
    } else if (rest == "event" || rest == "item") {
      auto s = snapshot(chain);
      if (!s.ok()) return error_reply(s.error());
      auto state = chain.state_at(s->height);
      Json out = envelope(*s);
      if (rest == "event") {
        auto hit = apps::Trace::event(*state, param("id"));
        if (!hit.ok()) return error_reply(hit.error());
        if (!*hit) return error_reply(make_error(ErrorCode::kNotFound, "no event " + param("id")));
        auto a = hits_with_proofs(chain, s->height, {**hit});
        if (!a.ok()) return error_reply(a.error());
        out["event"] = (*a)[0];
      } else {
        auto id = apps::Trace::canonical_id(param("id"));
        if (!id.ok()) return error_reply(id.error());
        auto rec = apps::Trace::item(*state, *id);
        if (!rec.ok()) return error_reply(rec.error());
        out["item"] = *rec ? apps::Trace::item_json(**rec) : Json(nullptr);
        auto p = proof_json(chain, s->height, apps::Trace::item_state_key(*id));
        if (!p.ok()) return error_reply(p.error());
        out["proof"] = *p;
      }
      answer = out;
    } else if (rest == "participants") {
      auto state = chain.state_at(chain.height());
      auto orgs = apps::Trace().query(*state, "participants", Json::object());
      if (!orgs.ok()) return error_reply(orgs.error());
      Json list = Json::array();
      for (const auto& org : *orgs) {
        auto p = apps::Trace().query(*state, "participant", Json{{"org", org}});
        if (p.ok()) list.push_back(*p);
      }
      answer = Json{{"participants", list}};
    }
    if (!answer.ok()) return error_reply(answer.error());
    return json_reply(200, *answer);
  }
  return resolve(chain, o, req);
}

Status install_trace_routes(rpc::Server& server, const ledger::Chain& chain, TraceRouteOptions options) {
  auto handler = [&chain, options](const rpc::HttpRequestView& req) {
    return handle_trace_get(chain, options, req);
  };
  for (const char* prefix :
       {"/01/", "/00/", "/414/", "/8004/", "/gtin/", "/sscc/", "/trace/v1/", "/.well-known/gs1resolver"})
    server.add_get_route(prefix, handler);
  return ok_status();
}

}  // namespace formica::node
