// CBV 2.0 event hash ID. The rules are those of the CBV 2.0 standard (§8.9) as the reference
// implementation (github.com/RalphTro/epcis-event-hash-generator, MIT) applies them; where the
// two differ, the reference wins, because a hash ID is only useful when every party computes the
// same one. The notable points, each pinned by a test vector:
//  - standard fields come in the canonical property order; equal names are sorted as strings;
//  - a field that still holds unconsumed children (e.g. a sensorReport attribute the order does
//    not name) appears again, with its ancestors, in the sorted tail;
//  - bizTransactionList, sourceList, destinationList and ilmd join the user extensions in the
//    sorted tail; a typed item reads "type=<T><name>=<id>";
//  - errorDeclaration, eventID and recordTime are not hashed.
#include "formica/gs1/event_hash.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>

#include "cbv.h"
#include "formica/base/encoding.h"
#include "formica/crypto/hash.h"
#include "formica/gs1/identifiers.h"
#include "timestamp.h"

namespace formica::gs1 {
namespace {

struct Prop {
  std::string_view name;
  std::span<const Prop> sub;
};

constexpr Prop kEpc[] = {{"epc", {}}};
constexpr Prop kQuantity[] = {{"epcClass", {}}, {"quantity", {}}, {"uom", {}}};
constexpr Prop kQuantityList[] = {{"quantityElement", kQuantity}};
constexpr Prop kPersistent[] = {{"set", {}}, {"unset", {}}};
constexpr Prop kId[] = {{"id", {}}};
constexpr Prop kMetadata[] = {{"time", {}},
                              {"startTime", {}},
                              {"endTime", {}},
                              {"deviceID", {}},
                              {"deviceMetadata", {}},
                              {"rawData", {}},
                              {"dataProcessingMethod", {}},
                              {"bizRules", {}}};
constexpr Prop kReport[] = {{"type", {}},
                            {"exception", {}},
                            {"deviceID", {}},
                            {"deviceMetadata", {}},
                            {"rawData", {}},
                            {"dataProcessingMethod", {}},
                            {"time", {}},
                            {"microorganism", {}},
                            {"chemicalSubstance", {}},
                            {"value", {}},
                            {"component", {}},
                            {"stringValue", {}},
                            {"booleanValue", {}},
                            {"hexBinaryValue", {}},
                            {"uriValue", {}},
                            {"minValue", {}},
                            {"maxValue", {}},
                            {"meanValue", {}},
                            {"sDev", {}},
                            {"percRank", {}},
                            {"percValue", {}},
                            {"uom", {}},
                            {"coordinateReferenceSystem", {}}};
constexpr Prop kSensorElement[] = {{"sensorMetadata", kMetadata}, {"sensorReport", kReport}};
constexpr Prop kSensorList[] = {{"sensorElement", kSensorElement}};
constexpr Prop kEvent[] = {
    {"eventTime", {}},
    {"eventTimeZoneOffset", {}},
    {"certificationInfo", {}},
    {"epcList", kEpc},
    {"parentID", {}},
    {"inputEPCList", kEpc},
    {"childEPCs", kEpc},
    {"quantityList", kQuantityList},
    {"childQuantityList", kQuantityList},
    {"inputQuantityList", kQuantityList},
    {"outputEPCList", kEpc},
    {"outputQuantityList", kQuantityList},
    {"action", {}},
    {"transformationID", {}},
    {"bizStep", {}},
    {"disposition", {}},
    {"persistentDisposition", kPersistent},
    {"readPoint", kId},
    {"bizLocation", kId},
    {"sensorElementList", kSensorList},
};

std::string strip(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

bool is_time_name(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("time") != std::string::npos && lower.find("offset") == std::string::npos;
}

std::string time_value(const std::string& text) {
  auto t = parse_date_time(text);
  return t ? format_utc_ms(t->utc_ms) : text;
}

// Decimal numbers as Python's float() reads them and str() prints them: integral values as
// integers, others in the shortest round-trip form ("12.10" -> "12.1", "1.0" -> "1").
std::optional<std::string> numeric(const std::string& text) {
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  std::size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ptr != s.data() + s.size() || ec != std::errc() || !std::isfinite(d)) return std::nullopt;
  if (neg) d = -d;
  char buf[512];
  if (d == 0) return std::string("0");
  if (std::trunc(d) == d) {
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, 0);
    return std::string(buf, r.ptr);
  }
  if (std::fabs(d) < 1e-4) {  // Python's repr switches to exponent notation below 1e-4
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    return std::string(buf, r.ptr);
  }
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

// Percent-encodes the characters the reference's Digital Link writer encodes.
std::string dl_encode(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '!': out += "%21"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '*': out += "%2A"; break;
      case '+': out += "%2B"; break;
      case ',': out += "%2C"; break;
      case ':': out += "%3A"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> epc_to_digital_link(std::string_view uri) {
  auto parsed = parse_epc_uri(uri);
  if (!parsed.ok()) return std::nullopt;
  const EpcUri& e = *parsed;
  const auto& p = e.parts;
  const std::string& key = e.id.keys[0].value;
  std::string out = "https://id.gs1.org/";
  const std::string& s = e.scheme;
  bool pat = e.form == EpcForm::kIdPat;
  if (s == "sgtin" || s == "upui" || s == "lgtin") {
    out += "01/" + key;
    if (!pat) out += (s == "sgtin" ? "/21/" : s == "upui" ? "/235/" : "/10/") + dl_encode(p[2]);
  } else if (s == "sscc") {
    out += "00/" + key;
  } else if (s == "sgln") {
    out += "414/" + key;
    if (p[2] != "0") out += "/254/" + dl_encode(p[2]);
  } else if (s == "grai") {
    out += "8003/" + key.substr(0, 14) + (pat ? "" : dl_encode(p[2]));
  } else if (s == "giai" || s == "ginc") {
    out += (s == "giai" ? "8004/" : "401/") + p[0] + dl_encode(p[1]);
  } else if (s == "gsrn" || s == "gsrnp" || s == "gsin" || s == "pgln") {
    out += (s == "gsrn" ? "8018/" : s == "gsrnp" ? "8017/" : s == "gsin" ? "402/" : "417/") + key;
  } else if (s == "gdti" || s == "sgcn") {
    out += (s == "gdti" ? "253/" : "255/") + key.substr(0, 13) + (pat ? "" : dl_encode(p[2]));
  } else if (s == "cpi") {
    out += "8010/" + dl_encode(p[0] + p[1]);
    if (!pat) out += "/8011/" + p[2];
  } else if (s == "itip") {
    out += "8006/" + key;
    if (!pat) out += "/21/" + dl_encode(p[4]);
  } else {
    return std::nullopt;
  }
  return out;
}

bool digits_only(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Characters the reference allows in the alphanumeric parts of a canonical Digital Link.
bool dl_chars(std::string_view s, std::size_t max_len) {
  if (s.size() > max_len) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              std::string_view("\"'-.;<=>?_").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool digits_n(std::string_view s, std::size_t n) { return s.size() == n && digits_only(s); }

bool valid_canonical(const std::vector<std::string>& seg) {
  const std::string& k = seg[0];
  const std::string& v = seg[1];
  std::size_t n = seg.size();
  auto one_qualifier = [&](std::initializer_list<std::pair<std::string_view, std::size_t>> allowed) {
    if (n == 2) return true;
    if (n != 4) return false;
    for (auto [ai, max] : allowed)
      if (seg[2] == ai) return dl_chars(seg[3], max);
    return false;
  };
  if (k == "00") return n == 2 && digits_n(v, 18);
  if (k == "01") return digits_n(v, 14) && one_qualifier({{"21", 20}, {"10", 20}, {"235", 28}});
  if (k == "253")
    return n == 2 && v.size() >= 13 && digits_n(v.substr(0, 13), 13) && dl_chars(v.substr(13), 17);
  if (k == "255") return n == 2 && v.size() >= 13 && v.size() <= 25 && digits_only(v);
  if (k == "401" || k == "8004") return n == 2 && dl_chars(v, 30);
  if (k == "402") return n == 2 && digits_n(v, 17);
  if (k == "414") return digits_n(v, 13) && one_qualifier({{"254", 20}});
  if (k == "417") return n == 2 && digits_n(v, 13);
  if (k == "8003")
    return n == 2 && v.size() >= 14 && digits_n(v.substr(0, 14), 14) && dl_chars(v.substr(14), 16);
  if (k == "8006") return digits_n(v, 18) && one_qualifier({{"21", 20}, {"10", 20}});
  if (k == "8010") {
    if (v.size() > 30) return false;
    for (char c : v)
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '#' || c == '-' || c == '/'))
        return false;
    return n == 2 || (n == 4 && seg[2] == "8011" && seg[3].size() <= 12 && digits_only(seg[3]));
  }
  if (k == "8017" || k == "8018") return n == 2 && digits_n(v, 18);
  return false;
}

std::optional<std::string> normalise_digital_link(std::string_view uri) {
  std::string_view rest;
  if (uri.starts_with("https://"))
    rest = uri.substr(8);
  else if (uri.starts_with("http://"))
    rest = uri.substr(7);
  else
    return std::nullopt;
  std::size_t path_at = rest.find('/');
  if (path_at == std::string_view::npos) return std::nullopt;
  std::string_view path = rest.substr(path_at + 1);
  path = path.substr(0, std::min(path.find('?'), path.find('#')));
  std::vector<std::string> seg;
  for (std::size_t start = 0;;) {
    std::size_t p = path.find('/', start);
    seg.emplace_back(path.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"gtin", "01"},    {"itip", "8006"}, {"cpid", "8010"}, {"gln", "414"},   {"party", "417"},
      {"gsrnp", "8017"}, {"gsrn", "8018"}, {"gcn", "255"},   {"sscc", "00"},   {"gdti", "253"},
      {"ginc", "401"},   {"gsin", "402"},  {"grai", "8003"}, {"giai", "8004"}, {"cpv", "22"},
      {"lot", "10"},     {"ser", "21"}};
  for (auto& s : seg)
    for (auto [from, to] : kAliases)
      if (s == from) s = std::string(to);
  static constexpr std::string_view kKeys[] = {"00",  "01",   "253",  "255",  "401",  "402",  "414",
                                               "417", "8003", "8004", "8006", "8010", "8017", "8018"};
  std::size_t at = seg.size();
  for (std::string_view key : kKeys) {
    for (std::size_t i = 0; i + 1 < seg.size() && at == seg.size(); ++i) {
      const std::string& v = seg[i + 1];
      if (seg[i] == key && v.size() >= 5 && digits_only(std::string_view(v).substr(0, 4))) at = i;
    }
    if (at != seg.size()) break;
  }
  if (at == seg.size()) return std::nullopt;
  seg.erase(seg.begin(), seg.begin() + static_cast<std::ptrdiff_t>(at));
  if (seg.size() % 2 != 0) return std::nullopt;
  for (const auto& s : seg)
    if (s.empty()) return std::nullopt;
  if (seg[0] == "01" && digits_only(seg[1]) && seg[1].size() < 14 &&
      (seg[1].size() == 13 || seg[1].size() == 12 || seg[1].size() == 8))
    seg[1].insert(0, 14 - seg[1].size(), '0');
  auto drop = [&](std::string_view ai) {
    for (std::size_t i = 2; i + 1 < seg.size(); i += 2)
      if (seg[i] == ai) {
        seg.erase(seg.begin() + static_cast<std::ptrdiff_t>(i),
                  seg.begin() + static_cast<std::ptrdiff_t>(i + 2));
        return;
      }
  };
  if (seg[0] == "01" || seg[0] == "8006") {
    drop("22");
    bool has21 = false;
    for (std::size_t i = 2; i < seg.size(); i += 2) has21 = has21 || seg[i] == "21";
    if (has21) drop("10");
  }
  if (!valid_canonical(seg)) return std::nullopt;
  std::string out = "https://id.gs1.org";
  for (const auto& s : seg) out += "/" + s;
  return out;
}

// --- pre-hash -------------------------------------------------------------------------------

bool is_typed_item(const Field& f) {
  if (f.name != "bizTransaction" && f.name != "source" && f.name != "destination") return false;
  return f.child("type") != nullptr;
}

std::string generic(const std::vector<Field>& children);

std::string generic_one(const Field& c) {
  std::string out;
  std::vector<Field> rest;
  if (is_typed_item(c)) {
    std::string type;
    for (const auto& g : c.children) {
      if (g.name == "type" && type.empty())
        type = "type=" + canonical_value(strip(g.value));
      else
        rest.push_back(g);
    }
    out = type + c.name;
  } else {
    out = c.name;
    rest = c.children;
  }
  std::string text = strip(c.value);
  if (!text.empty()) out += "=" + canonical_value(text);
  return out + generic(rest);
}

std::string generic(const std::vector<Field>& children) {
  std::vector<std::string> values;
  values.reserve(children.size());
  bool sort = true;
  for (const auto& c : children) {
    values.push_back(generic_one(c));
    if ((c.name == "bizTransaction" || c.name == "source" || c.name == "destination") && !is_typed_item(c))
      sort = false;  // the reference keeps untyped business transactions in document order
  }
  if (sort) std::sort(values.begin(), values.end());
  std::string out;
  for (auto& v : values) out += v;
  return out;
}

// Extensions inside readPoint, bizLocation, sensorElement, sensorMetadata and sensorReport are
// appended after their parent's standard fields. As in the reference, an element counts as an
// extension when its namespace ends with '/', and the event level itself is left alone.
std::vector<Field> gather_extensions(std::vector<Field>& children) {
  std::vector<Field> out;
  if (children.size() <= 1) return out;
  for (const auto& c : children)
    if (c.name.find("eventTime") != std::string::npos || c.name.find("action") != std::string::npos)
      return out;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < children.size(); ++i) {
    bool extension =
        children[i].name.find('{') != std::string::npos && children[i].name.find("/}") != std::string::npos;
    if (extension)
      out.push_back(std::move(children[i]));
    else if (kept++ != i)
      children[kept - 1] = std::move(children[i]);
  }
  children.resize(kept);
  return out;
}

std::string ordered(std::vector<Field>& children, std::span<const Prop> order);

std::string child_string(Field& c, std::span<const Prop> sub) {
  std::string grand = sub.empty() ? std::string() : ordered(c.children, sub);
  std::string text;
  if (!c.value.empty()) {
    std::string t = strip(c.value);
    t = is_time_name(c.name) ? time_value(t) : canonical_value(t);
    if (!t.empty()) text = "=" + t;
  }
  if (text.empty() && grand.empty()) return "";
  return c.name + text + grand;
}

std::string ordered(std::vector<Field>& children, std::span<const Prop> order) {
  std::vector<Field> extensions = gather_extensions(children);
  std::string out;
  std::vector<std::string> values;
  for (const Prop& p : order) {
    values.clear();
    // Consumed children (those left without unread grandchildren) are dropped; compacting in
    // one pass keeps long lists (an epcList of a full pallet) linear.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < children.size(); ++i) {
      bool keep = true;
      if (children[i].name == p.name) {
        std::string s = child_string(children[i], p.sub);
        if (!s.empty()) values.push_back(std::move(s));
        keep = !children[i].children.empty();
      }
      if (keep && kept++ != i) children[kept - 1] = std::move(children[i]);
    }
    children.resize(kept);
    std::sort(values.begin(), values.end());
    for (auto& v : values) out += v;
  }
  if (!extensions.empty()) out += generic(extensions);
  return out;
}

}  // namespace

std::string canonical_value(std::string_view text) {
  std::string t = cbv::urn_to_web_uri(text);
  if (auto n = numeric(t)) t = std::move(*n);
  if (auto dl = canonical_digital_link(t)) return *dl;
  return t;
}

std::optional<std::string> canonical_digital_link(std::string_view uri) {
  if (uri.starts_with("urn:epc:")) return epc_to_digital_link(uri);
  return normalise_digital_link(uri);
}

std::string event_prehash(const Field& event, const std::vector<std::string>& ignored_fields) {
  std::vector<Field> children = event.children;
  std::string out = "eventType=" + event.name + ordered(children, kEvent);
  std::vector<Field> rest;
  for (auto& c : children) {
    if (c.name == "recordTime" || c.name == "eventID" || c.name == "type" || c.name == "errorDeclaration")
      continue;
    if (std::find(ignored_fields.begin(), ignored_fields.end(), c.name) != ignored_fields.end()) continue;
    rest.push_back(std::move(c));
  }
  return out + generic(rest);
}

std::string event_hash_id(std::string_view prehash) {
  return "ni:///sha-256;" + base::to_hex(crypto::sha256(as_bytes(prehash))) + "?ver=CBV2.0";
}

std::vector<Result<std::string>> document_hash_ids(const Document& doc) {
  std::vector<Result<std::string>> out;
  out.reserve(doc.events.size());
  for (const auto& e : doc.events) {
    if (e.event)
      out.emplace_back(event_hash_id(event_prehash(e.tree, doc.ignored_fields)));
    else
      out.emplace_back(make_error(ErrorCode::kVerificationFailed, e.error));
  }
  return out;
}

}  // namespace formica::gs1
