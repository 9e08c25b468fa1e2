// GS1 Digital Link URI syntax 1.2 (uncompressed form). Hand-written: no Debian package parses
// Digital Links; the AI rules come from the GS1 Barcode Syntax Dictionary (ai_dictionary.h).
#include "formica/gs1/digital_link.h"

#include <algorithm>
#include <set>

#include "ai_dictionary.h"

namespace formica::gs1 {
namespace {

using detail::AiEntry;
using detail::find_ai;

Error not_uri(std::string why) { return make_error(ErrorCode::kMalformed, "not a URI: " + why); }
Error invalid(std::string why) { return make_error(ErrorCode::kVerificationFailed, std::move(why)); }

Result<std::string> percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) return not_uri("bad percent-escape");
    out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '.' || c == '_' || c == '~';
    if (plain) {
      out.push_back(c);
    } else {
      auto u = static_cast<unsigned char>(c);
      out += {'%', kHex[u >> 4], kHex[u & 15]};
    }
  }
  return out;
}

// Convenience short names of GS1 Digital Link 1.0 ("/gtin/…"), still accepted by resolvers.
std::string_view alias_ai(std::string_view seg) {
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"gtin", "01"},    {"itip", "8006"}, {"cpid", "8010"}, {"gln", "414"},   {"party", "417"},
      {"gsrnp", "8017"}, {"gsrn", "8018"}, {"gcn", "255"},   {"sscc", "00"},   {"gdti", "253"},
      {"ginc", "401"},   {"gsin", "402"},  {"grai", "8003"}, {"giai", "8004"}, {"cpv", "22"},
      {"lot", "10"},     {"ser", "21"},    {"glnx", "254"}};
  for (auto [name, ai] : kAliases)
    if (seg == name) return ai;
  return seg;
}

bool numeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Qualifiers must follow one of the key's qualifier paths, in its order, each at most once.
Status check_qualifiers(const AiEntry& key, const std::vector<AiValue>& keys) {
  if (keys.size() == 1) return ok_status();
  std::string first_problem;
  for (const auto& path : key.qualifier_paths) {
    std::size_t at = 0;
    bool ok = true;
    for (std::size_t i = 1; i < keys.size() && ok; ++i) {
      auto it = std::find(path.begin() + static_cast<std::ptrdiff_t>(at), path.end(), keys[i].ai);
      if (it == path.end()) {
        ok = false;
        if (std::find(path.begin(), path.end(), keys[i].ai) != path.end() && first_problem.empty())
          first_problem = "key qualifier " + keys[i].ai + " is misplaced: " + key.ai + " takes " +
                          join(path) + " in this order";
      } else {
        at = static_cast<std::size_t>(it - path.begin()) + 1;
      }
    }
    if (ok) return ok_status();
  }
  if (!first_problem.empty()) return invalid(first_problem);
  for (std::size_t i = 1; i < keys.size(); ++i) {
    bool known = false;
    for (const auto& path : key.qualifier_paths)
      known = known || std::find(path.begin(), path.end(), keys[i].ai) != path.end();
    if (!known) {
      std::vector<std::string> all;
      for (const auto& path : key.qualifier_paths) all.insert(all.end(), path.begin(), path.end());
      return invalid("AI " + keys[i].ai + " is not a key qualifier of " + key.ai +
                     (all.empty() ? " (which takes none)" : " (allowed: " + join(all) + ")"));
    }
  }
  return invalid("key qualifiers " + keys[1].ai + " … do not form one qualifier path of " + key.ai);
}

// req= and ex= rules of the dictionary over every AI of the link.
Status check_associations(const std::vector<AiValue>& all) {
  auto present = [&](std::string_view ai) {
    return std::any_of(all.begin(), all.end(), [&](const AiValue& v) { return v.ai == ai; });
  };
  for (const auto& v : all) {
    const AiEntry* e = find_ai(v.ai);
    for (const auto& group : e->req) {
      bool satisfied = std::any_of(group.begin(), group.end(), [&](const std::vector<std::string>& alt) {
        return std::all_of(alt.begin(), alt.end(), [&](const std::string& ai) { return present(ai); });
      });
      if (!satisfied) {
        std::vector<std::string> alts;
        for (const auto& alt : group) {
          std::string a;
          for (const auto& x : alt) a += (a.empty() ? "" : "+") + x;
          alts.push_back(a);
        }
        return invalid("AI " + v.ai + " requires one of: " + join(alts));
      }
    }
    for (const auto& x : e->ex)
      for (const auto& other : all)
        if (other.ai != v.ai && other.ai.starts_with(x))
          return invalid("AI " + v.ai + " cannot be used together with AI " + other.ai);
  }
  return ok_status();
}

}  // namespace

Result<DigitalLink> parse_digital_link(std::string_view uri) {
  for (char c : uri)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return not_uri("contains spaces or control characters");
  std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return not_uri("no scheme");
  DigitalLink dl;
  for (std::size_t i = 0; i < colon; ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(uri[i])));
    bool ok =
        (c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return not_uri("bad scheme");
    dl.scheme.push_back(c);
  }
  if (dl.scheme != "http" && dl.scheme != "https") return invalid("a Digital Link is an http or https URI");
  std::string_view rest = uri.substr(colon + 1);
  if (!rest.starts_with("//")) return not_uri("no authority (//host)");
  rest.remove_prefix(2);
  std::size_t host_end = rest.find_first_of("/?#");
  dl.host = std::string(rest.substr(0, host_end));
  if (dl.host.empty()) return not_uri("empty host");
  rest = host_end == std::string_view::npos ? std::string_view() : rest.substr(host_end);
  std::size_t frag = rest.find('#');
  if (frag != std::string_view::npos) {
    dl.fragment = std::string(rest.substr(frag + 1));
    rest = rest.substr(0, frag);
  }
  std::string_view query;
  if (std::size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::vector<std::string> seg;
  if (!rest.empty()) {
    std::string_view path = rest.substr(1);
    if (path.ends_with("/")) path.remove_suffix(1);
    std::size_t start = 0;
    while (!path.empty()) {
      std::size_t p = path.find('/', start);
      FORMICA_ASSIGN_OR_RETURN(
          std::string s, percent_decode(path.substr(start, p == std::string_view::npos ? p : p - start)));
      seg.push_back(std::move(s));
      if (p == std::string_view::npos) break;
      start = p + 1;
    }
  }
  // The primary key is the first path segment naming a Digital Link key such that the rest of
  // the path is AI/value pairs; anything before it is the resolver's own path.
  std::size_t at = seg.size();
  for (std::size_t i = 0; i < seg.size(); ++i) {
    const AiEntry* e = find_ai(alias_ai(seg[i]));
    if (e != nullptr && e->dl_key && (seg.size() - i) % 2 == 0) {
      at = i;
      break;
    }
  }
  if (at == seg.size()) return invalid("no GS1 primary key in the path (expected /<key AI>/<value>)");
  for (std::size_t i = 0; i < at; ++i) dl.path_prefix += "/" + seg[i];
  for (std::size_t i = at; i < seg.size(); i += 2) {
    std::string ai(alias_ai(seg[i]));
    const AiEntry* e = find_ai(ai);
    if (e == nullptr) return invalid(numeric(ai) ? "unknown AI " + ai : "'" + ai + "' is not an AI");
    std::string value = seg[i + 1];
    if (ai == "01" && numeric(value) && (value.size() == 8 || value.size() == 12 || value.size() == 13))
      value.insert(0, 14 - value.size(), '0');  // GTIN-8/12/13 written without padding
    dl.id.keys.push_back({ai, std::move(value)});
  }
  const AiEntry* key = find_ai(dl.id.keys[0].ai);
  FORMICA_TRY(check_qualifiers(*key, dl.id.keys));
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    std::string_view pair =
        query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    start = amp == std::string_view::npos ? query.size() : amp + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    FORMICA_ASSIGN_OR_RETURN(std::string name, percent_decode(pair.substr(0, eq)));
    FORMICA_ASSIGN_OR_RETURN(
        std::string value,
        percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1)));
    if (!numeric(name)) {
      dl.other_params.emplace_back(std::move(name), std::move(value));
      continue;
    }
    const AiEntry* e = find_ai(name);
    if (e == nullptr) return invalid("unknown AI " + name + " in the query string");
    for (const auto& path : key->qualifier_paths)
      if (std::find(path.begin(), path.end(), name) != path.end())
        return invalid("key qualifier " + name + " is misplaced: it belongs in the path after /" + key->ai +
                       "/");
    if (e->dl_key) return invalid("AI " + name + " is a primary key and cannot be a data attribute");
    if (!e->dl_attribute) return invalid("AI " + name + " is not permitted as a Digital Link data attribute");
    dl.attributes.push_back({std::move(name), std::move(value)});
  }
  std::vector<AiValue> all = dl.id.keys;
  all.insert(all.end(), dl.attributes.begin(), dl.attributes.end());
  std::set<std::string_view> seen;
  for (const auto& v : all)
    if (!seen.insert(v.ai).second) return invalid("AI " + v.ai + " appears twice");
  for (const auto& v : all) FORMICA_TRY(detail::validate_value(*find_ai(v.ai), v.value));
  FORMICA_TRY(check_associations(all));
  return dl;
}

std::string digital_link_uri(const Gs1Id& id) {
  std::string out = "https://id.gs1.org";
  for (const auto& k : id.keys) out += "/" + k.ai + "/" + percent_encode(k.value);
  return out;
}

std::string canonical_uri(const DigitalLink& dl) {
  std::string out = digital_link_uri(dl.id);
  char sep = '?';
  for (const auto& a : dl.attributes) {
    out += sep + a.ai + "=" + percent_encode(a.value);
    sep = '&';
  }
  return out;
}

std::string_view ai_title(std::string_view ai) {
  const AiEntry* e = find_ai(ai);
  return e == nullptr ? std::string_view() : std::string_view(e->title);
}

Status validate_ai_value(std::string_view ai, std::string_view value) {
  const AiEntry* e = find_ai(ai);
  if (e == nullptr) return make_error(ErrorCode::kNotFound, "unknown AI " + std::string(ai));
  return detail::validate_value(*e, value);
}

}  // namespace formica::gs1
