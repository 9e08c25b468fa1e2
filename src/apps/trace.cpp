#include "formica/apps/trace.h"

#include <algorithm>
#include <map>

#include "formica/base/encoding.h"
#include "formica/codec/hash.h"
#include "formica/gs1/digital_link.h"
#include "formica/gs1/epcis.h"
#include "formica/gs1/event_hash.h"
#include "formica/gs1/identifiers.h"
#include "formica/ledger/accounts.h"

namespace formica::apps {
namespace {

using codec::Json;
using ledger::make_key;
using ledger::ModuleReader;
using ledger::ModuleStore;

constexpr std::size_t kMaxDocumentEvents = 2000;
constexpr std::uint64_t kMaxLimit = 1000;

struct OrgName {
  std::string org;
  FORMICA_CODEC_TRANSPARENT(org)
};
struct OrgSet {
  std::set<std::string> orgs;
  FORMICA_CODEC_TRANSPARENT(orgs)
};
struct Count {
  std::uint64_t n = 0;
  FORMICA_CODEC_TRANSPARENT(n)
};
struct HashValue {
  ledger::Hash h{};
  FORMICA_CODEC_TRANSPARENT(h)
};

const Bytes kOrgsKey = make_key("porgs");
Bytes participant_key(std::string_view org) { return make_key("p/", {}, org); }
Bytes prefix_key(std::string_view p) { return make_key("cp/", {}, p); }
Bytes gln_key(std::string_view g) { return make_key("gl/", {}, g); }
Bytes event_key(const ledger::Hash& h) { return make_key("e/", h); }
Bytes item_key(std::string_view id) { return make_key("i/", {}, id); }
Bytes secret_key(ByteView h) { return make_key("s/", h); }
Bytes unknown_key(ByteView h) { return make_key("u/", h); }
Bytes index_len_key(char t, std::string_view v) { return make_key(std::string("n/") + t + "/", {}, v); }
Bytes index_entry_key(char t, std::string_view v, std::uint64_t i) {
  Bytes k = make_key(std::string("x/") + t + "/", {}, v);
  k.push_back(0);
  for (int s = 56; s >= 0; s -= 8) k.push_back(static_cast<std::uint8_t>(i >> s));
  return k;
}

Error invalid(std::string m) { return make_error(ErrorCode::kInvalidArgument, std::move(m)); }
Error denied(std::string m) { return make_error(ErrorCode::kPermissionDenied, std::move(m)); }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- time -----------------------------------------------------------------------------------

bool digits_at(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::optional<long long> utc_ms(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!digits_at(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits_at(s, 5, 2, mo) || s[7] != '-' ||
      !digits_at(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !digits_at(s, 11, 2, h) || s[13] != ':' ||
      !digits_at(s, 14, 2, mi) || s[16] != ':' || !digits_at(s, 17, 2, se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t pos = 19;
  long long ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 3) ms = ms * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) return std::nullopt;
    for (int i = n; i < 3; ++i) ms *= 10;
  }
  long long offset_min = 0;
  if (pos == s.size() || s.substr(pos) == "Z" || s.substr(pos) == "z") {
  } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
    int oh, om;
    if (!digits_at(s, pos + 1, 2, oh) || !digits_at(s, pos + 4, 2, om) || oh > 14 || om > 59)
      return std::nullopt;
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  long long days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi - offset_min) * 60'000 + se * 1000LL + ms;
}

std::string two(unsigned v) {
  return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}

std::string format_ms(long long t) {
  long long days = t >= 0 ? t / 86'400'000 : -((-t + 86'399'999) / 86'400'000);
  long long rem = t - days * 86'400'000;
  long long y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  std::string ys = std::to_string(y);
  while (ys.size() < 4) ys.insert(ys.begin(), '0');
  auto hh = static_cast<unsigned>(rem / 3'600'000), mm = static_cast<unsigned>(rem / 60'000 % 60),
       ss = static_cast<unsigned>(rem / 1000 % 60), mss = static_cast<unsigned>(rem % 1000);
  std::string msz = std::to_string(mss);
  while (msz.size() < 3) msz.insert(msz.begin(), '0');
  return ys + "-" + two(m) + "-" + two(d) + "T" + two(hh) + ":" + two(mm) + ":" + two(ss) + "." + msz + "Z";
}

// ---- identifiers and ownership ---------------------------------------------------------------

// The digits a company prefix starts: GTIN, SSCC and GRAI carry an indicator/extension/filler
// digit first; GLN and the others start with the prefix.
std::string prefix_digits(const gs1::Gs1Id& id) {
  if (id.keys.empty()) return "";
  const auto& k = id.keys[0];
  if (!all_digits(k.value.substr(0, std::min<std::size_t>(k.value.size(), 13)))) {
    // Alphanumeric keys (GIAI, GRAI serials): the leading digits.
    std::size_t n = 0;
    while (n < k.value.size() && k.value[n] >= '0' && k.value[n] <= '9') ++n;
    return k.value.substr(0, n);
  }
  if (k.ai == "01" || k.ai == "00" || k.ai == "8003" || k.ai == "8006") return k.value.substr(1);
  return k.value;
}

// The organisation owning a company prefix that starts `digits` (4..12 digits), if any.
Result<std::optional<std::string>> prefix_owner(const ledger::StateReader& s, std::string_view digits) {
  ModuleReader r(s, Trace::kName);
  for (std::size_t n = 4; n <= 12 && n <= digits.size(); ++n) {
    FORMICA_ASSIGN_OR_RETURN(auto o, r.get_value<OrgName>(prefix_key(digits.substr(0, n))));
    if (o) return std::optional<std::string>(o->org);
  }
  return std::optional<std::string>{};
}

struct IdInfo {
  std::string canonical;
  std::optional<gs1::Gs1Id> gs1;
};

IdInfo id_info(std::string_view raw) {
  IdInfo out;
  if (auto dl = gs1::canonical_digital_link(raw)) {
    out.canonical = *dl;
    auto parsed = gs1::parse_digital_link(*dl);
    if (parsed.ok()) out.gs1 = parsed->id;
  } else {
    out.canonical = std::string(raw);
  }
  return out;
}

Result<std::optional<std::string>> id_owner(const ledger::StateReader& s, const IdInfo& id) {
  if (!id.gs1) return std::optional<std::string>{};
  return prefix_owner(s, prefix_digits(*id.gs1));
}

Result<std::optional<std::string>> location_owner(const ledger::StateReader& s, const IdInfo& id) {
  if (!id.gs1 || id.gs1->keys.empty()) return std::optional<std::string>{};
  if (id.gs1->keys[0].ai == "414") {
    FORMICA_ASSIGN_OR_RETURN(
        auto o, ModuleReader(s, Trace::kName).get_value<OrgName>(gln_key(id.gs1->keys[0].value)));
    if (o) return std::optional<std::string>(o->org);
  }
  return id_owner(s, id);
}

// ---- event JSON -----------------------------------------------------------------------------

Json quantities_json(const std::vector<gs1::QuantityElement>& q) {
  Json a = Json::array();
  for (const auto& e : q) {
    Json j = {{"epc_class", e.epc_class}};
    if (!e.quantity.empty()) j["quantity"] = e.quantity;
    if (!e.uom.empty()) j["uom"] = e.uom;
    a.push_back(std::move(j));
  }
  return a;
}

Json typed_json(const std::vector<gs1::TypedId>& v) {
  Json a = Json::array();
  for (const auto& t : v) a.push_back(Json{{"type", t.type}, {"id", t.id}});
  return a;
}

Json pairs_json(const std::vector<std::pair<std::string, std::string>>& v) {
  Json o = Json::object();
  for (const auto& [k, val] : v) o[k] = val;
  return o;
}

// A data-model subtree as JSON: text for leaves, objects for elements (repeated names become
// arrays). Names lose their "{namespace}" for readability.
Json field_json(const gs1::Field& f) {
  if (f.children.empty()) return f.value;
  Json o = Json::object();
  for (const auto& c : f.children) {
    std::string name = c.name;
    if (auto close = name.find('}'); !name.empty() && name[0] == '{' && close != std::string::npos)
      name = name.substr(close + 1);
    Json v = field_json(c);
    if (!o.contains(name)) {
      o[name] = std::move(v);
    } else {
      if (!o[name].is_array() || !o[name].contains("__list")) {
        Json arr = Json::array({o[name]});
        o[name] = Json{{"__list", arr}};
      }
      o[name]["__list"].push_back(std::move(v));
    }
  }
  for (auto& [k, v] : o.items())
    if (v.is_object() && v.contains("__list")) v = v["__list"];
  return o;
}

std::string_view action_name(gs1::Action a) {
  switch (a) {
    case gs1::Action::kAdd: return "ADD";
    case gs1::Action::kObserve: return "OBSERVE";
    case gs1::Action::kDelete: return "DELETE";
  }
  return "";
}

Json event_json(const gs1::Event& e, const gs1::Field& tree, const std::string& canonical_time) {
  Json j = Json::object();
  j["type"] = std::string(gs1::event_type_name(e.type));
  j["event_time"] = e.event_time;
  j["event_time_utc"] = canonical_time;
  j["event_time_zone_offset"] = e.event_time_zone_offset;
  if (e.action) j["action"] = std::string(action_name(*e.action));
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  auto put_list = [&](const char* k, const std::vector<std::string>& v) {
    if (!v.empty()) j[k] = v;
  };
  put("biz_step", e.biz_step);
  put("disposition", e.disposition);
  put("read_point", e.read_point);
  put("biz_location", e.biz_location);
  put("parent_id", e.parent_id);
  put("transformation_id", e.transformation_id);
  put("certification_info", e.certification_info);
  put("event_id", e.event_id);
  put_list("epc_list", e.epc_list);
  put_list("child_epcs", e.child_epcs);
  put_list("input_epc_list", e.input_epc_list);
  put_list("output_epc_list", e.output_epc_list);
  put_list("persistent_disposition_set", e.persistent_disposition_set);
  put_list("persistent_disposition_unset", e.persistent_disposition_unset);
  if (!e.quantity_list.empty()) j["quantity_list"] = quantities_json(e.quantity_list);
  if (!e.child_quantity_list.empty()) j["child_quantity_list"] = quantities_json(e.child_quantity_list);
  if (!e.input_quantity_list.empty()) j["input_quantity_list"] = quantities_json(e.input_quantity_list);
  if (!e.output_quantity_list.empty()) j["output_quantity_list"] = quantities_json(e.output_quantity_list);
  if (!e.biz_transactions.empty()) j["biz_transactions"] = typed_json(e.biz_transactions);
  if (!e.sources.empty()) j["sources"] = typed_json(e.sources);
  if (!e.destinations.empty()) j["destinations"] = typed_json(e.destinations);
  if (!e.sensor_elements.empty()) {
    Json a = Json::array();
    for (const auto& s : e.sensor_elements) {
      Json reports = Json::array();
      for (const auto& r : s.reports) reports.push_back(pairs_json(r));
      a.push_back(Json{{"metadata", pairs_json(s.metadata)}, {"reports", reports}});
    }
    j["sensor_elements"] = a;
  }
  if (const gs1::Field* ilmd = tree.child("ilmd")) j["ilmd"] = field_json(*ilmd);
  // Top-level user extensions ("{namespace}local"), e.g. an inspection result.
  gs1::Field ext;
  for (const auto& c : tree.children)
    if (!c.name.empty() && c.name[0] == '{') ext.children.push_back(c);
  if (!ext.children.empty()) j["extensions"] = field_json(ext);
  return j;
}

Json declaration_json(const gs1::ErrorDeclaration& d) {
  return Json{{"declaration_time", d.declaration_time},
              {"reason", d.reason},
              {"corrective_event_ids", d.corrective_event_ids}};
}

// ---- indexes --------------------------------------------------------------------------------

Status index_append(ModuleStore& store, char t, std::string_view v, const ledger::Hash& h) {
  FORMICA_ASSIGN_OR_RETURN(auto n, store.get_value<Count>(index_len_key(t, v)));
  std::uint64_t i = n ? n->n : 0;
  FORMICA_TRY(store.put_value(index_entry_key(t, v, i), HashValue{h}));
  return store.put_value(index_len_key(t, v), Count{i + 1});
}

Result<std::uint64_t> index_len(const ModuleReader& r, char t, std::string_view v) {
  FORMICA_ASSIGN_OR_RETURN(auto n, r.get_value<Count>(index_len_key(t, v)));
  return n ? n->n : 0;
}

Result<TraceEventHit> load_hit(const ledger::StateReader& s, const ledger::Hash& h) {
  ModuleReader r(s, Trace::kName);
  FORMICA_ASSIGN_OR_RETURN(auto raw, r.get(event_key(h)));
  if (!raw) return make_error(ErrorCode::kInternal, "index names a missing event");
  FORMICA_ASSIGN_OR_RETURN(auto rec, codec::decode<TraceEventRecord>(*raw));
  TraceEventHit hit;
  hit.record = std::move(rec);
  hit.state_key = Trace::event_state_key(h);
  hit.value = std::move(*raw);
  return hit;
}

// ---- capture --------------------------------------------------------------------------------

struct Sender {
  std::string org;
  std::set<std::string> roles;
};

Result<Sender> sender_participant(const ledger::StateReader& s, const AddressBytes& a) {
  FORMICA_ASSIGN_OR_RETURN(auto acct, ledger::Accounts::get_account(s, a));
  if (!acct) return denied("sender is not a registered account");
  FORMICA_ASSIGN_OR_RETURN(auto p, Trace::participant(s, acct->org));
  if (!p) return denied("organisation '" + acct->org + "' is not a trace participant");
  return Sender{acct->org, acct->roles};
}

// Every identifier an event names, with whether the event brings it into being.
struct EventIds {
  std::vector<std::pair<std::string, bool>> instances;  // raw id, created
  std::vector<std::pair<std::string, bool>> classes;
  std::vector<std::string> locations;
};

EventIds ids_of(const gs1::Event& e) {
  EventIds out;
  bool add = e.action && *e.action == gs1::Action::kAdd;
  using T = gs1::EventType;
  for (const auto& x : e.epc_list) out.instances.emplace_back(x, e.type == T::kObject && add);
  for (const auto& q : e.quantity_list) out.classes.emplace_back(q.epc_class, e.type == T::kObject && add);
  if (!e.parent_id.empty())
    out.instances.emplace_back(e.parent_id, (e.type == T::kAggregation || e.type == T::kAssociation) && add);
  for (const auto& x : e.child_epcs) out.instances.emplace_back(x, false);
  for (const auto& q : e.child_quantity_list) out.classes.emplace_back(q.epc_class, false);
  for (const auto& x : e.input_epc_list) out.instances.emplace_back(x, false);
  for (const auto& q : e.input_quantity_list) out.classes.emplace_back(q.epc_class, false);
  for (const auto& x : e.output_epc_list) out.instances.emplace_back(x, true);
  for (const auto& q : e.output_quantity_list) out.classes.emplace_back(q.epc_class, true);
  if (!e.read_point.empty()) out.locations.push_back(e.read_point);
  if (!e.biz_location.empty()) out.locations.push_back(e.biz_location);
  return out;
}

Status authorise(const ledger::StateReader& s, const std::string& org, const EventIds& ids) {
  bool at_own_location = false;
  for (const auto& loc : ids.locations) {
    IdInfo info = id_info(loc);
    FORMICA_ASSIGN_OR_RETURN(auto owner, location_owner(s, info));
    if (!owner)
      return denied("location " + loc + " is not registered to any trace participant (org '" + org + "')");
    if (*owner != org)
      return denied("location " + loc + " belongs to organisation '" + *owner + "', not '" + org + "'");
    at_own_location = true;
  }
  auto check = [&](const std::pair<std::string, bool>& id) -> Status {
    IdInfo info = id_info(id.first);
    FORMICA_ASSIGN_OR_RETURN(auto owner, id_owner(s, info));
    if (owner && *owner == org) return ok_status();
    std::string whose = owner ? "organisation '" + *owner + "'" : "no trace participant";
    if (id.second)
      return denied(id.first + " is under a company prefix of " + whose + ": '" + org +
                    "' may only commission its own identifiers");
    if (!at_own_location)
      return denied(id.first + " belongs to " + whose + " and the event names no location of '" + org + "'");
    return ok_status();
  };
  for (const auto& id : ids.instances) FORMICA_TRY(check(id));
  for (const auto& id : ids.classes) FORMICA_TRY(check(id));
  return ok_status();
}

Status set_secrets(ledger::TxContext& ctx, const std::string& org, const std::vector<TraceSecret>& secrets) {
  ModuleStore store(ctx.state, Trace::kName);
  for (const auto& sec : secrets) {
    if (sec.secret_hash.size() != 32) return invalid("secret_hash must be 32 bytes");
    IdInfo info = id_info(sec.item);
    if (!info.gs1) return invalid("secret for '" + sec.item + "': not a GS1 identifier");
    FORMICA_ASSIGN_OR_RETURN(auto owner, id_owner(ctx.state, info));
    if (!owner || *owner != org)
      return denied("secret for " + sec.item +
                    ": only the organisation owning its company prefix may set it");
    FORMICA_ASSIGN_OR_RETURN(auto other, store.get_value<OrgName>(secret_key(sec.secret_hash)));
    if (other && other->org != info.canonical)
      return make_error(ErrorCode::kAlreadyExists, "secret for " + sec.item + " is already another item's");
    FORMICA_ASSIGN_OR_RETURN(auto rec, store.get_value<TraceItemRecord>(item_key(info.canonical)));
    TraceItemRecord item = rec ? *rec : TraceItemRecord{};
    if (!rec) {
      item.id = info.canonical;
      item.org = org;
      item.commissioned_height = ctx.height;
    }
    if (!item.secret_hash.empty() && item.secret_hash != sec.secret_hash)
      return make_error(ErrorCode::kAlreadyExists, "item " + sec.item + " already has a different secret");
    item.secret_hash = sec.secret_hash;
    FORMICA_TRY(store.put_value(item_key(info.canonical), item));
    FORMICA_TRY(store.put_value(secret_key(sec.secret_hash), OrgName{info.canonical}));
  }
  return ok_status();
}

Status capture(ledger::TxContext& ctx, const TraceCapture& p) {
  FORMICA_ASSIGN_OR_RETURN(Sender sender, sender_participant(ctx.state, ctx.sender));
  gs1::ParseLimits limits;
  limits.max_bytes = 1u << 20;
  limits.max_events = kMaxDocumentEvents;
  auto doc = gs1::parse_epcis(p.document, limits);
  if (!doc.ok()) return invalid("EPCIS document: " + doc.error().message);
  if (doc->events.empty()) return invalid("EPCIS document has no events");
  ModuleStore store(ctx.state, Trace::kName);
  std::size_t captured = 0, duplicates = 0, declared = 0;
  for (std::size_t i = 0; i < doc->events.size(); ++i) {
    const auto& entry = doc->events[i];
    const std::string where = "event " + std::to_string(i);
    if (!entry.event) return invalid(where + ": " + entry.error);
    const gs1::Event& ev = *entry.event;
    std::string hash_id = gs1::event_hash_id(gs1::event_prehash(entry.tree, doc->ignored_fields));
    FORMICA_ASSIGN_OR_RETURN(ledger::Hash h, Trace::parse_hash_id(hash_id));
    FORMICA_ASSIGN_OR_RETURN(auto existing, store.get_value<TraceEventRecord>(event_key(h)));
    if (existing) {
      if (ev.error_declaration && existing->error_json.empty()) {
        if (existing->org != sender.org)
          return denied(where + ": only organisation '" + existing->org + "' may declare " + hash_id +
                        " erroneous");
        existing->error_json = declaration_json(*ev.error_declaration).dump();
        existing->error_height = ctx.height;
        FORMICA_TRY(store.put_value(event_key(h), *existing));
        ctx.emit(std::string(Trace::kName), "error_declared", {{"id", hash_id}, {"org", sender.org}});
        ++declared;
      } else {
        ++duplicates;
      }
      continue;
    }
    if (ev.error_declaration)
      return make_error(ErrorCode::kNotFound,
                        where + ": error declaration for " + hash_id + ", which is not on chain");
    EventIds ids = ids_of(ev);
    auto auth = authorise(ctx.state, sender.org, ids);
    if (!auth.ok()) return make_error(auth.error().code, where + ": " + auth.error().message);
    FORMICA_ASSIGN_OR_RETURN(std::string t, Trace::canonical_time(ev.event_time));
    TraceEventRecord rec;
    rec.hash_id = hash_id;
    rec.org = sender.org;
    rec.capturer = ctx.sender;
    rec.height = ctx.height;
    rec.tx_id = ctx.tx_id;
    rec.event_time = t;
    rec.event_json = event_json(ev, entry.tree, t).dump();
    FORMICA_TRY(store.put_value(event_key(h), rec));
    // Indexes (each value once per event).
    std::set<std::pair<char, std::string>> keys;
    for (const auto& [raw, created] : ids.instances) {
      IdInfo info = id_info(raw);
      keys.emplace('e', info.canonical);
      if (created && info.gs1) {
        FORMICA_ASSIGN_OR_RETURN(auto item, store.get_value<TraceItemRecord>(item_key(info.canonical)));
        if (!item) {
          TraceItemRecord r;
          r.id = info.canonical;
          r.org = sender.org;
          r.commissioned_height = ctx.height;
          FORMICA_TRY(store.put_value(item_key(info.canonical), r));
        }
      }
      // The GTIN class of a serialised trade item.
      if (info.gs1 && !info.gs1->keys.empty() && info.gs1->keys[0].ai == "01") {
        gs1::Gs1Id g;
        g.keys.push_back(info.gs1->keys[0]);
        keys.emplace('c', gs1::digital_link_uri(g));
      }
    }
    for (const auto& [raw, created] : ids.classes) keys.emplace('c', id_info(raw).canonical);
    for (const auto& loc : ids.locations) keys.emplace('l', id_info(loc).canonical);
    if (!ev.biz_step.empty()) keys.emplace('b', ev.biz_step);
    keys.emplace('a', "");
    for (const auto& [kind, value] : keys) FORMICA_TRY(index_append(store, kind, value, h));
    ctx.emit(std::string(Trace::kName), "captured",
             {{"id", hash_id}, {"org", sender.org}, {"type", std::string(gs1::event_type_name(ev.type))}});
    ++captured;
  }
  FORMICA_TRY(set_secrets(ctx, sender.org, p.secrets));
  ctx.emit(std::string(Trace::kName), "capture",
           {{"org", sender.org},
            {"captured", std::to_string(captured)},
            {"duplicates", std::to_string(duplicates)},
            {"declared", std::to_string(declared)}});
  return ok_status();
}

Status register_participant(ledger::TxContext& ctx, const TraceRegister& p) {
  FORMICA_ASSIGN_OR_RETURN(auto acct, ledger::Accounts::get_account(ctx.state, ctx.sender));
  if (!acct || !acct->roles.contains(std::string(ledger::kRoleAdmin)))
    return denied("registering a trace participant needs the organisation's admin role");
  const std::string& org = acct->org;
  if (p.display_name.size() > 128) return invalid("display_name is longer than 128 bytes");
  if (p.company_prefixes.size() > 64 || p.glns.size() > 1024) return invalid("too many prefixes or GLNs");
  std::set<std::string> prefixes(p.company_prefixes.begin(), p.company_prefixes.end());
  std::set<std::string> glns(p.glns.begin(), p.glns.end());
  for (const auto& cp : prefixes)
    if (!all_digits(cp) || cp.size() < 4 || cp.size() > 12)
      return invalid("company prefix '" + cp + "' must be 4..12 digits");
  for (const auto& g : glns)
    if (g.size() != 13 || !all_digits(g) || !gs1::has_valid_check_digit(g))
      return invalid("GLN '" + g + "' must be 13 digits with a valid check digit");
  ModuleStore store(ctx.state, Trace::kName);
  FORMICA_ASSIGN_OR_RETURN(auto old, Trace::participant(ctx.state, org));
  if (old) {
    for (const auto& cp : old->company_prefixes)
      if (!prefixes.contains(cp)) store.erase(prefix_key(cp));
    for (const auto& g : old->glns)
      if (!glns.contains(g)) store.erase(gln_key(g));
  }
  for (const auto& cp : prefixes) {
    FORMICA_ASSIGN_OR_RETURN(auto owner, prefix_owner(ctx.state, cp));
    if (owner && *owner != org)
      return make_error(ErrorCode::kAlreadyExists,
                        "company prefix " + cp + " is already organisation '" + *owner + "''s");
    FORMICA_TRY(store.put_value(prefix_key(cp), OrgName{org}));
  }
  for (const auto& g : glns) {
    FORMICA_ASSIGN_OR_RETURN(auto owner, store.get_value<OrgName>(gln_key(g)));
    if (owner && owner->org != org)
      return make_error(ErrorCode::kAlreadyExists,
                        "GLN " + g + " is already organisation '" + owner->org + "''s");
    FORMICA_TRY(store.put_value(gln_key(g), OrgName{org}));
  }
  TraceParticipant rec{
      org,        p.display_name, {prefixes.begin(), prefixes.end()}, {glns.begin(), glns.end()},
      ctx.sender, ctx.height};
  FORMICA_TRY(store.put_value(participant_key(org), rec));
  FORMICA_ASSIGN_OR_RETURN(auto orgs, store.get_value<OrgSet>(kOrgsKey));
  OrgSet set = orgs ? *orgs : OrgSet{};
  set.orgs.insert(org);
  FORMICA_TRY(store.put_value(kOrgsKey, set));
  ctx.emit(std::string(Trace::kName), "participant", {{"org", org}});
  return ok_status();
}

Status claim(ledger::TxContext& ctx, const TraceClaim& p, crypto::HashAlg alg) {
  if (p.secret.empty() || p.secret.size() > 256) return invalid("secret must be 1..256 bytes");
  FORMICA_ASSIGN_OR_RETURN(Bytes h, Trace::secret_hash(alg, p.secret));
  ModuleStore store(ctx.state, Trace::kName);
  FORMICA_ASSIGN_OR_RETURN(auto target, store.get_value<OrgName>(secret_key(h)));
  std::string named;
  if (!p.item.empty()) {
    FORMICA_ASSIGN_OR_RETURN(named, Trace::canonical_id(p.item));
  }
  std::string result;
  std::string item_id;
  if (!target || (!named.empty() && target->org != named)) {
    // A code never commissioned (or another item's): recorded as a counterfeit signal.
    result = target ? "code_of_another_item" : "unknown_code";
    FORMICA_ASSIGN_OR_RETURN(auto n, store.get_value<Count>(unknown_key(h)));
    FORMICA_TRY(store.put_value(unknown_key(h), Count{(n ? n->n : 0) + 1}));
    if (!named.empty()) {
      FORMICA_ASSIGN_OR_RETURN(auto rec, store.get_value<TraceItemRecord>(item_key(named)));
      if (rec) {
        ++rec->bad_code_claims;
        FORMICA_TRY(store.put_value(item_key(named), *rec));
      }
    }
    item_id = named;
  } else {
    FORMICA_ASSIGN_OR_RETURN(auto rec, store.get_value<TraceItemRecord>(item_key(target->org)));
    if (!rec) return make_error(ErrorCode::kInternal, "secret names a missing item");
    ++rec->claims;
    if (rec->claims == 1) {
      rec->first_claim_height = ctx.height;
      rec->first_claimer = ctx.sender;
      result = "genuine";
    } else {
      result = "already_claimed";
    }
    rec->last_claim_height = ctx.height;
    FORMICA_TRY(store.put_value(item_key(target->org), *rec));
    item_id = target->org;
  }
  ctx.emit(std::string(Trace::kName), "claim", {{"item", item_id}, {"result", result}});
  return ok_status();
}

// ---- query parameters -----------------------------------------------------------------------

std::string str_param(const Json& p, const char* k) {
  if (p.is_object() && p.contains(k) && p[k].is_string()) return p[k].get<std::string>();
  return "";
}

Result<std::uint64_t> u64_param(const Json& p, const char* k, std::uint64_t dflt) {
  if (!p.is_object() || !p.contains(k) || p[k].is_null()) return dflt;
  if (p[k].is_number_unsigned()) return p[k].get<std::uint64_t>();
  if (p[k].is_number_integer() && p[k].get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(p[k].get<std::int64_t>());
  if (p[k].is_string() && all_digits(p[k].get<std::string>()) && p[k].get<std::string>().size() < 19)
    return std::stoull(p[k].get<std::string>());
  return invalid(std::string("params.") + k + " must be a non-negative integer");
}

}  // namespace

// ---- public helpers -------------------------------------------------------------------------

Result<std::string> Trace::canonical_id(std::string_view id) {
  if (id.empty()) return invalid("empty identifier");
  return id_info(id).canonical;
}

Result<std::string> Trace::canonical_time(std::string_view text) {
  auto t = utc_ms(text);
  if (!t) return invalid("'" + std::string(text) + "' is not an xsd:dateTime");
  return format_ms(*t);
}

Result<Bytes> Trace::secret_hash(crypto::HashAlg alg, std::string_view secret) {
  FORMICA_ASSIGN_OR_RETURN(auto h, codec::hash_of(alg, kTraceSecretDomain, std::string(secret)));
  return Bytes(h.begin(), h.end());
}

Bytes Trace::event_state_key(const ledger::Hash& h) { return make_key("trace/e/", h); }
Bytes Trace::item_state_key(std::string_view id) { return make_key("trace/i/", {}, id); }

Result<ledger::Hash> Trace::parse_hash_id(std::string_view id) {
  constexpr std::string_view head = "ni:///sha-256;";
  constexpr std::string_view tail = "?ver=CBV2.0";
  if (id.size() != head.size() + 64 + tail.size() || id.substr(0, head.size()) != head ||
      id.substr(head.size() + 64) != tail)
    return invalid("'" + std::string(id) + "' is not a CBV 2.0 event hash ID");
  auto bytes = base::from_hex(id.substr(head.size(), 64));
  if (!bytes.ok() || bytes->size() != 32) return invalid("event hash ID has bad hex");
  ledger::Hash h{};
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

Result<std::optional<TraceParticipant>> Trace::participant(const ledger::StateReader& s,
                                                           std::string_view org) {
  return ModuleReader(s, kName).get_value<TraceParticipant>(participant_key(org));
}

Result<std::optional<TraceEventHit>> Trace::event(const ledger::StateReader& s, std::string_view hash_id) {
  FORMICA_ASSIGN_OR_RETURN(ledger::Hash h, parse_hash_id(hash_id));
  FORMICA_ASSIGN_OR_RETURN(auto raw, ModuleReader(s, kName).get(event_key(h)));
  if (!raw) return std::optional<TraceEventHit>{};
  FORMICA_ASSIGN_OR_RETURN(auto hit, load_hit(s, h));
  return std::optional<TraceEventHit>(std::move(hit));
}

Result<std::optional<TraceItemRecord>> Trace::item(const ledger::StateReader& s, std::string_view id) {
  FORMICA_ASSIGN_OR_RETURN(std::string c, canonical_id(id));
  return ModuleReader(s, kName).get_value<TraceItemRecord>(item_key(c));
}

Result<TraceQueryResult> Trace::events(const ledger::StateReader& s, const TraceQuery& q) {
  if (q.limit == 0 || q.limit > kMaxLimit) return invalid("limit must be 1..1000");
  std::string from, to;
  if (!q.from.empty()) {
    FORMICA_ASSIGN_OR_RETURN(from, canonical_time(q.from));
  }
  if (!q.to.empty()) {
    FORMICA_ASSIGN_OR_RETURN(to, canonical_time(q.to));
  }
  // The most selective index drives the scan; the other filters are applied to each event.
  char t = 'a';
  std::string v;
  std::string epc, cls, loc;
  if (!q.epc.empty()) {
    FORMICA_ASSIGN_OR_RETURN(epc, canonical_id(q.epc));
  }
  if (!q.epc_class.empty()) {
    FORMICA_ASSIGN_OR_RETURN(cls, canonical_id(q.epc_class));
  }
  if (!q.location.empty()) {
    FORMICA_ASSIGN_OR_RETURN(loc, canonical_id(q.location));
  }
  if (!epc.empty()) {
    t = 'e', v = epc;
  } else if (!cls.empty()) {
    t = 'c', v = cls;
  } else if (!loc.empty()) {
    t = 'l', v = loc;
  } else if (!q.biz_step.empty()) {
    t = 'b', v = q.biz_step;
  }
  ModuleReader r(s, kName);
  FORMICA_ASSIGN_OR_RETURN(std::uint64_t n, index_len(r, t, v));
  TraceQueryResult out;
  std::uint64_t scanned = 0;
  std::uint64_t i = q.cursor;
  for (; i < n; ++i) {
    if (out.events.size() >= q.limit || scanned >= q.max_scan) break;
    ++scanned;
    FORMICA_ASSIGN_OR_RETURN(auto hv, r.get_value<HashValue>(index_entry_key(t, v, i)));
    if (!hv) return make_error(ErrorCode::kInternal, "index entry missing");
    FORMICA_ASSIGN_OR_RETURN(TraceEventHit hit, load_hit(s, hv->h));
    const auto& rec = hit.record;
    if (!from.empty() && rec.event_time < from) continue;
    if (!to.empty() && rec.event_time > to) continue;
    if (t != 'b' && !q.biz_step.empty()) {
      auto ej = Json::parse(rec.event_json, nullptr, false);
      if (!ej.is_object() || !ej.contains("biz_step") || ej["biz_step"] != q.biz_step) continue;
    }
    if ((t != 'c' && !cls.empty()) || (t != 'l' && !loc.empty())) {
      // Re-derive the event's identifiers (cheap: the stored JSON).
      auto ej = Json::parse(rec.event_json, nullptr, false);
      bool ok = true;
      if (t != 'l' && !loc.empty()) {
        bool any = false;
        for (const char* k : {"read_point", "biz_location"})
          if (ej.contains(k) && id_info(ej[k].get<std::string>()).canonical == loc) any = true;
        ok = ok && any;
      }
      if (t != 'c' && !cls.empty()) {
        bool any = false;
        for (const char* k :
             {"quantity_list", "child_quantity_list", "input_quantity_list", "output_quantity_list"})
          if (ej.contains(k))
            for (const auto& qe : ej[k])
              if (id_info(qe["epc_class"].get<std::string>()).canonical == cls) any = true;
        for (const char* k : {"epc_list", "child_epcs", "input_epc_list", "output_epc_list"})
          if (ej.contains(k))
            for (const auto& x : ej[k]) {
              IdInfo info = id_info(x.get<std::string>());
              if (info.gs1 && !info.gs1->keys.empty() && info.gs1->keys[0].ai == "01") {
                gs1::Gs1Id g;
                g.keys.push_back(info.gs1->keys[0]);
                if (gs1::digital_link_uri(g) == cls) any = true;
              }
            }
        ok = ok && any;
      }
      if (!ok) continue;
    }
    out.events.push_back(std::move(hit));
  }
  if (i < n) out.next_cursor = i;
  return out;
}

Result<TraceResult> Trace::trace(const ledger::StateReader& s, std::string_view id,
                                 const TraceLimits& limits) {
  if (id.empty()) return invalid("trace needs an identifier");
  TraceResult out;
  FORMICA_ASSIGN_OR_RETURN(out.item, canonical_id(id));
  // A Digital Link naming a lot (01 + 10 [+ 21]) also brings the lot's class-level events.
  if (auto dl = gs1::parse_digital_link(id); dl.ok()) {
    const std::string* gtin = dl->id.find("01");
    const std::string* lot = dl->id.find("10");
    if (gtin && lot) {
      gs1::Gs1Id g;
      g.keys.push_back({"01", *gtin});
      g.keys.push_back({"10", *lot});
      out.lot = gs1::digital_link_uri(g);
      if (out.lot == out.item) out.lot.clear();
    }
  }
  ModuleReader r(s, kName);
  std::map<ledger::Hash, TraceEventHit> seen;
  // Work list: (kind, canonical id, relation, via, time window).
  struct Node {
    char t;
    std::string id;
    std::string relation;
    std::string via;
    std::string from, to;  // window ("" open)
    int dir;               // 0 self, -1 upstream, +1 downstream
  };
  std::vector<Node> work;
  std::set<std::pair<char, std::string>> visited;
  {
    // A GTIN or a lot (01 without 21) is a class; anything else an instance.
    IdInfo info = id_info(out.item);
    bool is_class =
        info.gs1 && !info.gs1->keys.empty() && info.gs1->keys[0].ai == "01" && !info.gs1->find("21");
    work.push_back({is_class ? 'c' : 'e', out.item, "self", out.item, "", "", 0});
  }
  if (!out.lot.empty()) work.push_back({'c', out.lot, "lot", out.lot, "", "", -1});
  std::set<std::string> parents, children, inputs, outputs;
  for (std::size_t w = 0; w < work.size(); ++w) {
    Node node = work[w];
    if (!visited.insert({node.t, node.id}).second) continue;
    if (visited.size() > limits.max_ids) {
      out.truncated = true;
      break;
    }
    FORMICA_ASSIGN_OR_RETURN(std::uint64_t n, index_len(r, node.t, node.id));
    // Aggregation windows of this node inside each parent.
    std::map<std::string, std::pair<std::string, std::string>> windows;
    for (std::uint64_t i = 0; i < n; ++i) {
      if (seen.size() >= limits.max_events) {
        out.truncated = true;
        break;
      }
      FORMICA_ASSIGN_OR_RETURN(auto hv, r.get_value<HashValue>(index_entry_key(node.t, node.id, i)));
      if (!hv) return make_error(ErrorCode::kInternal, "index entry missing");
      FORMICA_ASSIGN_OR_RETURN(TraceEventHit hit, load_hit(s, hv->h));
      const std::string& time = hit.record.event_time;
      if (!node.from.empty() && time < node.from) continue;
      if (!node.to.empty() && time > node.to) continue;
      auto ej = Json::parse(hit.record.event_json, nullptr, false);
      if (!ej.is_object()) return make_error(ErrorCode::kInternal, "stored event JSON does not parse");
      const std::string type = ej.value("type", "");
      const std::string action = ej.value("action", "");
      auto canon_list = [&](const char* k) {
        std::vector<std::string> v;
        if (ej.contains(k))
          for (const auto& x : ej[k]) v.push_back(id_info(x.get<std::string>()).canonical);
        return v;
      };
      auto class_list = [&](const char* k) {
        std::vector<std::string> v;
        if (ej.contains(k))
          for (const auto& x : ej[k]) v.push_back(id_info(x["epc_class"].get<std::string>()).canonical);
        return v;
      };
      auto contains = [&](const std::vector<std::string>& v) {
        return std::find(v.begin(), v.end(), node.id) != v.end();
      };
      if (type == "AggregationEvent" && ej.contains("parent_id")) {
        std::string parent = id_info(ej["parent_id"].get<std::string>()).canonical;
        auto kids = canon_list("child_epcs");
        auto kid_classes = class_list("child_quantity_list");
        if (parent != node.id && (contains(kids) || contains(kid_classes)) && node.dir <= 0) {
          auto& win = windows[parent];
          if (action == "ADD" && (win.first.empty() || time < win.first)) win.first = time;
          if (action == "DELETE") win.second = time;
          if (action == "OBSERVE" && win.first.empty()) win.first = time;
        } else if (parent == node.id && node.relation == "self") {
          for (auto& k : kids) children.insert(k);
        }
      }
      if (type == "TransformationEvent") {
        auto ins = canon_list("input_epc_list"), outs = canon_list("output_epc_list");
        auto in_c = class_list("input_quantity_list"), out_c = class_list("output_quantity_list");
        bool is_out = contains(outs) || contains(out_c), is_in = contains(ins) || contains(in_c);
        if (is_out && node.dir <= 0) {
          for (auto& x : ins) work.push_back({'e', x, "input", node.id, "", time, -1}), inputs.insert(x);
          for (auto& x : in_c) work.push_back({'c', x, "input", node.id, "", time, -1}), inputs.insert(x);
        }
        if (is_in && node.dir >= 0) {
          for (auto& x : outs) work.push_back({'e', x, "output", node.id, time, "", 1}), outputs.insert(x);
          for (auto& x : out_c) work.push_back({'c', x, "output", node.id, time, "", 1}), outputs.insert(x);
        }
      }
      if (!seen.contains(hv->h)) {
        hit.relation = node.relation;
        hit.via = node.id;  // whose events these are (the item, a container, an input, an output)
        seen.emplace(hv->h, std::move(hit));
      }
    }
    for (const auto& [parent, win] : windows) {
      // Containers matter while the node is inside them (from the ADD to the DELETE).
      work.push_back({'e', parent, "parent", node.id, win.first, win.second, node.dir < 0 ? -1 : -1});
      parents.insert(parent);
    }
  }
  for (auto& [h, hit] : seen) out.events.push_back(std::move(hit));
  std::sort(out.events.begin(), out.events.end(), [](const TraceEventHit& a, const TraceEventHit& b) {
    return std::tie(a.record.event_time, a.record.hash_id) < std::tie(b.record.event_time, b.record.hash_id);
  });
  out.parents.assign(parents.begin(), parents.end());
  out.children.assign(children.begin(), children.end());
  out.inputs.assign(inputs.begin(), inputs.end());
  out.outputs.assign(outputs.begin(), outputs.end());
  FORMICA_ASSIGN_OR_RETURN(out.item_record, r.get_value<TraceItemRecord>(item_key(out.item)));
  out.item_state_key = item_state_key(out.item);
  return out;
}

// ---- JSON -----------------------------------------------------------------------------------

Json Trace::hit_json(const TraceEventHit& hit) {
  const auto& r = hit.record;
  Json j = {
      {"hash_id", r.hash_id},
      {"org", r.org},
      {"capturer", ledger::address_text(r.capturer)},
      {"height", r.height},
      {"tx_id", base::to_hex(r.tx_id)},
      {"event_time", r.event_time},
      {"event", Json::parse(r.event_json, nullptr, false)},
      {"error_declaration", r.error_json.empty() ? Json(nullptr) : Json::parse(r.error_json, nullptr, false)},
      {"state_key", base::to_hex(hit.state_key)}};
  if (!hit.relation.empty()) {
    j["relation"] = hit.relation;
    j["via"] = hit.via;
  }
  return j;
}

Json Trace::item_json(const TraceItemRecord& rec) {
  std::string status = "unclaimed";
  if (rec.claims == 1) status = "claimed";
  if (rec.claims > 1) status = "claimed_more_than_once";
  return Json{{"id", rec.id},
              {"org", rec.org},
              {"commissioned_height", rec.commissioned_height},
              {"has_secret", !rec.secret_hash.empty()},
              {"claims", rec.claims},
              {"first_claim_height", rec.first_claim_height},
              {"last_claim_height", rec.last_claim_height},
              {"bad_code_claims", rec.bad_code_claims},
              {"claim_status", rec.secret_hash.empty() ? "no_code" : status},
              {"counterfeit_warning", rec.claims > 1 || rec.bad_code_claims > 0}};
}

Json Trace::trace_json(const TraceResult& r) {
  Json events = Json::array();
  for (const auto& e : r.events) events.push_back(hit_json(e));
  return Json{
      {"item", r.item},          {"lot", r.lot.empty() ? Json(nullptr) : Json(r.lot)},
      {"events", events},        {"parents", r.parents},
      {"children", r.children},  {"inputs", r.inputs},
      {"outputs", r.outputs},    {"item_record", r.item_record ? item_json(*r.item_record) : Json(nullptr)},
      {"truncated", r.truncated}};
}

// ---- module ---------------------------------------------------------------------------------

Status Trace::execute(ledger::TxContext& ctx, std::string_view kind, ByteView payload) {
  if (kind == "register") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<TraceRegister>(kind, payload));
    return register_participant(ctx, p);
  }
  if (kind == "capture") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<TraceCapture>(kind, payload));
    return capture(ctx, p);
  }
  if (kind == "set_secrets") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<TraceSetSecrets>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(Sender sender, sender_participant(ctx.state, ctx.sender));
    return set_secrets(ctx, sender.org, p.secrets);
  }
  if (kind == "claim") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<TraceClaim>(kind, payload));
    return claim(ctx, p, alg_);
  }
  return make_error(ErrorCode::kUnsupported, "trace has no transaction kind '" + std::string(kind) + "'");
}

Result<Json> Trace::query(const ledger::StateReader& s, std::string_view path, const Json& params) const {
  if (path == "participant") {
    std::string org = str_param(params, "org");
    FORMICA_ASSIGN_OR_RETURN(auto p, participant(s, org));
    if (!p) return make_error(ErrorCode::kNotFound, "no trace participant '" + org + "'");
    return Json{{"org", p->org},
                {"display_name", p->display_name},
                {"company_prefixes", p->company_prefixes},
                {"glns", p->glns},
                {"registered_by", ledger::address_text(p->registered_by)},
                {"height", p->height}};
  }
  if (path == "participants") {
    FORMICA_ASSIGN_OR_RETURN(auto orgs, ModuleReader(s, kName).get_value<OrgSet>(kOrgsKey));
    Json a = Json::array();
    if (orgs)
      for (const auto& o : orgs->orgs) a.push_back(o);
    return a;
  }
  if (path == "event") {
    FORMICA_ASSIGN_OR_RETURN(auto hit, event(s, str_param(params, "id")));
    if (!hit) return make_error(ErrorCode::kNotFound, "no event " + str_param(params, "id"));
    return hit_json(*hit);
  }
  if (path == "events") {
    TraceQuery q;
    q.epc = str_param(params, "epc");
    q.epc_class = str_param(params, "class");
    q.location = str_param(params, "location");
    q.biz_step = str_param(params, "biz_step");
    q.from = str_param(params, "from");
    q.to = str_param(params, "to");
    FORMICA_ASSIGN_OR_RETURN(q.cursor, u64_param(params, "cursor", 0));
    FORMICA_ASSIGN_OR_RETURN(q.limit, u64_param(params, "limit", 100));
    if (!q.biz_step.empty() && q.biz_step.find(':') == std::string::npos)
      q.biz_step = "https://ref.gs1.org/cbv/BizStep-" + q.biz_step;
    FORMICA_ASSIGN_OR_RETURN(auto res, events(s, q));
    Json a = Json::array();
    for (const auto& e : res.events) a.push_back(hit_json(e));
    return Json{{"events", a}, {"next_cursor", res.next_cursor ? Json(*res.next_cursor) : Json(nullptr)}};
  }
  if (path == "trace") {
    FORMICA_ASSIGN_OR_RETURN(auto res, trace(s, str_param(params, "id")));
    return trace_json(res);
  }
  if (path == "item") {
    FORMICA_ASSIGN_OR_RETURN(auto rec, item(s, str_param(params, "id")));
    if (!rec) return make_error(ErrorCode::kNotFound, "no item " + str_param(params, "id"));
    return item_json(*rec);
  }
  return make_error(ErrorCode::kNotFound, "trace has no query '" + std::string(path) + "'");
}

}  // namespace formica::apps
