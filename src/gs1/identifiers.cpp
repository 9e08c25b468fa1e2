// EPC URIs of the GS1 Tag Data Standard 2.x (§6, §7 and §12) for the GS1 key schemes, with
// the GS1 mod-10 check digit. Hand-written because no Debian package implements TDS URIs.
#include "formica/gs1/identifiers.h"

#include <array>

namespace formica::gs1 {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// GS1 AI encodable character set 82 (General Specifications figure 7.11-1).
bool is_cset82(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

// Characters an EPC URI component may carry unescaped (TDS table I.3.1-1).
bool epc_plain(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!'()*+,-.:;=_").find(c) != std::string_view::npos;
}

// Splits into at most `max_parts`: the last part keeps any further separators (a serial may
// contain '.', TDS leaves it unescaped in the final component).
std::vector<std::string> split(std::string_view s, char sep, std::size_t max_parts) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t p = out.size() + 1 == max_parts ? std::string_view::npos : s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

Error bad(std::string_view uri, std::string why) {
  return make_error(ErrorCode::kMalformed, "EPC URI '" + std::string(uri) + "': " + why);
}

struct Scheme {
  std::string_view name;
  EpcForm form;
  std::size_t fields;         // dot-separated fields after the scheme
  std::size_t digits_12or13;  // total digits of the first two fields (0 = variable, alphanumeric ref)
};

constexpr std::array kSchemes = {
    Scheme{"sgtin", EpcForm::kId, 3, 13},    Scheme{"sscc", EpcForm::kId, 2, 17},
    Scheme{"sgln", EpcForm::kId, 3, 12},     Scheme{"grai", EpcForm::kId, 3, 12},
    Scheme{"giai", EpcForm::kId, 2, 0},      Scheme{"gsrn", EpcForm::kId, 2, 17},
    Scheme{"gsrnp", EpcForm::kId, 2, 17},    Scheme{"gdti", EpcForm::kId, 3, 12},
    Scheme{"sgcn", EpcForm::kId, 3, 12},     Scheme{"cpi", EpcForm::kId, 3, 0},
    Scheme{"ginc", EpcForm::kId, 2, 0},      Scheme{"gsin", EpcForm::kId, 2, 16},
    Scheme{"itip", EpcForm::kId, 5, 13},     Scheme{"upui", EpcForm::kId, 3, 13},
    Scheme{"pgln", EpcForm::kId, 2, 12},     Scheme{"lgtin", EpcForm::kClass, 3, 13},
    Scheme{"sgtin", EpcForm::kIdPat, 3, 13}, Scheme{"grai", EpcForm::kIdPat, 3, 12},
    Scheme{"gdti", EpcForm::kIdPat, 3, 12},  Scheme{"sgcn", EpcForm::kIdPat, 3, 12},
    Scheme{"cpi", EpcForm::kIdPat, 3, 0},    Scheme{"itip", EpcForm::kIdPat, 5, 13},
    Scheme{"upui", EpcForm::kIdPat, 3, 13},
};

// Unescapes a component and checks it against CSET 82 and a maximum length.
Result<std::string> plain_field(std::string_view uri, std::string_view what, std::string_view text,
                                std::size_t min_len, std::size_t max_len, bool cset39 = false) {
  for (char c : text)
    if (!epc_plain(c) && c != '%')
      return bad(uri, std::string(what) + " has a character that must be escaped");
  FORMICA_ASSIGN_OR_RETURN(std::string plain, epc_unescape(text));
  for (char c : plain)
    if (!cset39 && !is_cset82(c)) return bad(uri, std::string(what) + " has a character outside GS1 CSET 82");
  if (plain.size() < min_len || plain.size() > max_len)
    return bad(uri, std::string(what) + " must have " + std::to_string(min_len) + ".." +
                        std::to_string(max_len) + " characters");
  return plain;
}

std::string with_check(const std::string& body) { return body + check_digit(body); }

}  // namespace

char check_digit(std::string_view digits) {
  // Weights 3,1,3,1,... from the rightmost digit of the body.
  unsigned sum = 0;
  bool three = true;
  for (std::size_t i = digits.size(); i-- > 0;) {
    sum += static_cast<unsigned>(digits[i] - '0') * (three ? 3u : 1u);
    three = !three;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool has_valid_check_digit(std::string_view key) {
  if (key.size() < 2 || !all_digits(key)) return false;
  return check_digit(key.substr(0, key.size() - 1)) == key.back();
}

const std::string* Gs1Id::find(std::string_view ai) const {
  for (const auto& k : keys)
    if (k.ai == ai) return &k.value;
  return nullptr;
}

std::string epc_escape(std::string_view plain) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(plain.size());
  for (char c : plain) {
    if (epc_plain(c)) {
      out.push_back(c);
    } else {
      auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

Result<std::string> epc_unescape(std::string_view escaped) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(escaped.size());
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '%') {
      out.push_back(escaped[i]);
      continue;
    }
    if (i + 2 >= escaped.size()) return make_error(ErrorCode::kMalformed, "truncated percent escape");
    int hi = hex(escaped[i + 1]), lo = hex(escaped[i + 2]);
    if (hi < 0 || lo < 0) return make_error(ErrorCode::kMalformed, "bad percent escape");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

Result<EpcUri> parse_epc_uri(std::string_view uri) {
  EpcUri out;
  std::string_view rest;
  if (uri.starts_with("urn:epc:id:")) {
    out.form = EpcForm::kId;
    rest = uri.substr(11);
  } else if (uri.starts_with("urn:epc:class:")) {
    out.form = EpcForm::kClass;
    rest = uri.substr(14);
  } else if (uri.starts_with("urn:epc:idpat:")) {
    out.form = EpcForm::kIdPat;
    rest = uri.substr(14);
  } else {
    return bad(uri, "not an EPC URI (urn:epc:id:, urn:epc:class: or urn:epc:idpat:)");
  }
  std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return bad(uri, "missing scheme");
  out.scheme = std::string(rest.substr(0, colon));
  const Scheme* scheme = nullptr;
  for (const auto& s : kSchemes)
    if (s.name == out.scheme && s.form == out.form) scheme = &s;
  if (scheme == nullptr) return bad(uri, "unknown or unsupported scheme '" + out.scheme + "'");
  out.parts = split(rest.substr(colon + 1), '.', scheme->fields);
  if (out.parts.size() != scheme->fields)
    return bad(uri, "expected " + std::to_string(scheme->fields) + " dot-separated fields");
  const auto& p = out.parts;
  const std::string& gcp = p[0];
  if (gcp.size() < 6 || gcp.size() > 12 || !all_digits(gcp))
    return bad(uri, "the GS1 Company Prefix must be 6..12 digits");
  out.gcp_length = gcp.size();
  if (scheme->digits_12or13 != 0) {
    if (!all_digits(p[1]) || gcp.size() + p[1].size() != scheme->digits_12or13)
      return bad(uri, "company prefix and reference must have " + std::to_string(scheme->digits_12or13) +
                          " digits together");
  }
  bool pattern = out.form == EpcForm::kIdPat;
  if (pattern && p.back() != "*") return bad(uri, "a pattern URI must end with '*'");
  auto& keys = out.id.keys;
  auto gtin_of = [&]() { return with_check(p[1].substr(0, 1) + gcp + p[1].substr(1)); };
  const std::string& s = out.scheme;
  if (s == "sgtin" || s == "lgtin" || s == "upui") {
    keys.push_back({"01", gtin_of()});
    if (!pattern) {
      std::size_t max = s == "upui" ? 28 : 20;
      FORMICA_ASSIGN_OR_RETURN(std::string v, plain_field(uri, "serial", p[2], 1, max));
      keys.push_back({s == "sgtin" ? "21" : s == "lgtin" ? "10" : "235", std::move(v)});
    }
  } else if (s == "sscc") {
    keys.push_back({"00", with_check(p[1].substr(0, 1) + gcp + p[1].substr(1))});
  } else if (s == "sgln") {
    keys.push_back({"414", with_check(gcp + p[1])});
    FORMICA_ASSIGN_OR_RETURN(std::string ext, plain_field(uri, "extension", p[2], 1, 20));
    if (ext != "0") keys.push_back({"254", std::move(ext)});
  } else if (s == "grai") {
    std::string v = with_check("0" + gcp + p[1]);
    if (!pattern) {
      FORMICA_ASSIGN_OR_RETURN(std::string serial, plain_field(uri, "serial", p[2], 1, 16));
      v += serial;
    }
    keys.push_back({"8003", std::move(v)});
  } else if (s == "giai" || s == "ginc") {
    FORMICA_ASSIGN_OR_RETURN(std::string ref, plain_field(uri, "reference", p[1], 1, 30 - gcp.size()));
    keys.push_back({s == "giai" ? "8004" : "401", gcp + ref});
  } else if (s == "gsrn" || s == "gsrnp" || s == "gsin") {
    keys.push_back({s == "gsrn" ? "8018" : s == "gsrnp" ? "8017" : "402", with_check(gcp + p[1])});
  } else if (s == "gdti" || s == "sgcn") {
    std::string v = with_check(gcp + p[1]);
    if (!pattern) {
      if (s == "sgcn" && (!all_digits(p[2]) || p[2].size() > 12))
        return bad(uri, "a coupon serial must be 0..12 digits");
      FORMICA_ASSIGN_OR_RETURN(std::string serial, plain_field(uri, "serial", p[2], 0, 17));
      v += serial;
    }
    keys.push_back({s == "gdti" ? "253" : "255", std::move(v)});
  } else if (s == "cpi") {
    FORMICA_ASSIGN_OR_RETURN(std::string ref,
                             plain_field(uri, "component/part reference", p[1], 1, 30 - gcp.size(), true));
    for (char c : ref)
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-' || c == '#' || c == '/'))
        return bad(uri, "a component/part reference allows 0-9, A-Z, '-', '#' and '/' only");
    keys.push_back({"8010", gcp + ref});
    if (!pattern) {
      if (p[2].empty() || p[2].size() > 12 || !all_digits(p[2]))
        return bad(uri, "a CPI serial must be 1..12 digits");
      keys.push_back({"8011", p[2]});
    }
  } else if (s == "itip") {
    if (p[2].size() != 2 || p[3].size() != 2 || !all_digits(p[2]) || !all_digits(p[3]))
      return bad(uri, "piece and total must be two digits each");
    keys.push_back({"8006", gtin_of() + p[2] + p[3]});
    if (!pattern) {
      FORMICA_ASSIGN_OR_RETURN(std::string serial, plain_field(uri, "serial", p[4], 1, 20));
      keys.push_back({"21", std::move(serial)});
    }
  } else if (s == "pgln") {
    keys.push_back({"417", with_check(gcp + p[1])});
  }
  return out;
}

Result<std::string> to_epc_uri(const Gs1Id& id, std::size_t gcp_length) {
  if (id.keys.empty()) return make_error(ErrorCode::kInvalidArgument, "no GS1 key");
  if (gcp_length < 6 || gcp_length > 12)
    return make_error(ErrorCode::kInvalidArgument, "GS1 Company Prefix length must be 6..12");
  const std::string& ai = id.keys[0].ai;
  const std::string& v = id.keys[0].value;
  const std::size_t L = gcp_length;
  auto need = [&](std::size_t min_len) -> Status {
    if (v.size() < min_len || v.size() < L + 1)
      return make_error(ErrorCode::kInvalidArgument, "key " + ai + " is too short for the prefix length");
    return ok_status();
  };
  auto qual = [&](std::string_view q) -> const std::string* { return id.find(q); };
  // The company prefix sits at offset 1 in GTIN, SSCC, ITIP and GRAI values, at 0 elsewhere.
  std::size_t gcp_at = (ai == "01" || ai == "00" || ai == "8006" || ai == "8003") ? 1 : 0;
  if (v.size() < gcp_at + L)
    return make_error(ErrorCode::kInvalidArgument, "key " + ai + " is too short for the prefix length");
  for (std::size_t i = gcp_at; i < gcp_at + L; ++i)
    if (v[i] < '0' || v[i] > '9')
      return make_error(ErrorCode::kInvalidArgument,
                        "the GS1 Company Prefix of key " + ai + " is not numeric");
  // GTIN-shaped keys: indicator, company prefix, item reference (without the check digit).
  auto gtin_fields = [&](const std::string& g) {
    return g.substr(1, L) + "." + g.substr(0, 1) + g.substr(1 + L, 12 - L);
  };
  if (ai == "01") {
    FORMICA_TRY(need(14));
    if (const auto* s = qual("21")) return "urn:epc:id:sgtin:" + gtin_fields(v) + "." + epc_escape(*s);
    if (const auto* t = qual("235")) return "urn:epc:id:upui:" + gtin_fields(v) + "." + epc_escape(*t);
    if (const auto* l = qual("10")) return "urn:epc:class:lgtin:" + gtin_fields(v) + "." + epc_escape(*l);
    return "urn:epc:idpat:sgtin:" + gtin_fields(v) + ".*";
  }
  if (ai == "8006") {
    FORMICA_TRY(need(18));
    std::string head = gtin_fields(v.substr(0, 14)) + "." + v.substr(14, 2) + "." + v.substr(16, 2);
    if (const auto* s = qual("21")) return "urn:epc:id:itip:" + head + "." + epc_escape(*s);
    return "urn:epc:idpat:itip:" + head + ".*";
  }
  if (ai == "00") {
    FORMICA_TRY(need(18));
    return "urn:epc:id:sscc:" + v.substr(1, L) + "." + v.substr(0, 1) + v.substr(1 + L, 16 - L);
  }
  if (ai == "414") {
    FORMICA_TRY(need(13));
    const auto* ext = qual("254");
    if (ext != nullptr && *ext == "0")
      return make_error(ErrorCode::kInvalidArgument,
                        "GLN extension 0 has no distinct SGLN (it means no extension)");
    return "urn:epc:id:sgln:" + v.substr(0, L) + "." + v.substr(L, 12 - L) + "." +
           (ext ? epc_escape(*ext) : "0");
  }
  if (ai == "417") {
    FORMICA_TRY(need(13));
    return "urn:epc:id:pgln:" + v.substr(0, L) + "." + v.substr(L, 12 - L);
  }
  if (ai == "8003") {
    FORMICA_TRY(need(14));
    std::string head = v.substr(1, L) + "." + v.substr(1 + L, 12 - L);
    if (v.size() > 14) return "urn:epc:id:grai:" + head + "." + epc_escape(v.substr(14));
    return "urn:epc:idpat:grai:" + head + ".*";
  }
  if (ai == "8004" || ai == "401") {
    FORMICA_TRY(need(L + 1));
    return std::string(ai == "8004" ? "urn:epc:id:giai:" : "urn:epc:id:ginc:") + v.substr(0, L) + "." +
           epc_escape(v.substr(L));
  }
  if (ai == "8017" || ai == "8018") {
    FORMICA_TRY(need(18));
    return std::string(ai == "8018" ? "urn:epc:id:gsrn:" : "urn:epc:id:gsrnp:") + v.substr(0, L) + "." +
           v.substr(L, 17 - L);
  }
  if (ai == "402") {
    FORMICA_TRY(need(17));
    return "urn:epc:id:gsin:" + v.substr(0, L) + "." + v.substr(L, 16 - L);
  }
  if (ai == "253" || ai == "255") {
    FORMICA_TRY(need(13));
    std::string head = v.substr(0, L) + "." + v.substr(L, 12 - L);
    std::string scheme = ai == "253" ? "gdti" : "sgcn";
    if (v.size() > 13) return "urn:epc:id:" + scheme + ":" + head + "." + epc_escape(v.substr(13));
    return "urn:epc:idpat:" + scheme + ":" + head + ".*";
  }
  if (ai == "8010") {
    FORMICA_TRY(need(L + 1));
    std::string head = v.substr(0, L) + "." + epc_escape(v.substr(L));
    if (const auto* s = qual("8011")) return "urn:epc:id:cpi:" + head + "." + *s;
    return "urn:epc:idpat:cpi:" + head + ".*";
  }
  return make_error(ErrorCode::kInvalidArgument, "GS1 key AI " + ai + " has no EPC URI form");
}

}  // namespace formica::gs1
