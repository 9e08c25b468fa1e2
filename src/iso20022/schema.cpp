#include "schema.h"

#include <algorithm>
#include <cstdlib>

#include "formica/iso20022/identifiers.h"

namespace formica::iso20022::detail {
namespace {

using codec::xml::Element;

constexpr std::string_view kXs = "http://www.w3.org/2001/XMLSchema";

std::string attr(const Element& e, std::string_view name) {
  const auto* a = e.attribute(name);
  return a == nullptr ? std::string() : a->value;
}

std::string_view strip_prefix(std::string_view qname) {
  auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

Result<std::size_t> occurs(const Element& e, std::string_view name) {
  std::string v = attr(e, name);
  if (v.empty()) return std::size_t{1};
  if (v == "unbounded") return kUnbounded;
  std::size_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return make_error(ErrorCode::kUnsupported, "bad occurs value '" + v + "'");
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

Result<Particle> particle(const Element& e) {
  if (e.name != "element") return make_error(ErrorCode::kUnsupported, "unsupported particle xs:" + e.name);
  Particle p;
  p.name = attr(e, "name");
  p.type = std::string(strip_prefix(attr(e, "type")));
  FORMICA_ASSIGN_OR_RETURN(p.min, occurs(e, "minOccurs"));
  FORMICA_ASSIGN_OR_RETURN(p.max, occurs(e, "maxOccurs"));
  return p;
}

Result<ComplexType> read_complex(const Element& e) {
  ComplexType t;
  for (const auto& c : e.children) {
    if (c.ns != kXs) continue;
    if (c.name == "sequence" || c.name == "choice") {
      t.kind = c.name == "sequence" ? ComplexType::Kind::kSequence : ComplexType::Kind::kChoice;
      for (const auto& p : c.children) {
        if (p.name == "any") {
          t.any = true;
          continue;
        }
        FORMICA_ASSIGN_OR_RETURN(auto part, particle(p));
        t.particles.push_back(std::move(part));
      }
    } else if (c.name == "simpleContent") {
      const Element* ext = c.child("extension");
      if (ext == nullptr) return make_error(ErrorCode::kUnsupported, "simpleContent without extension");
      t.kind = ComplexType::Kind::kSimpleContent;
      t.simple_base = std::string(strip_prefix(attr(*ext, "base")));
      for (const auto& a : ext->children)
        if (a.name == "attribute")
          t.attributes.push_back(
              {attr(a, "name"), std::string(strip_prefix(attr(a, "type"))), attr(a, "use") == "required"});
    } else if (c.name != "annotation") {
      return make_error(ErrorCode::kUnsupported, "unsupported complexType content xs:" + c.name);
    }
  }
  return t;
}

Result<SimpleType> read_simple(const Element& e) {
  const Element* r = e.child("restriction");
  if (r == nullptr) return make_error(ErrorCode::kUnsupported, "simpleType without restriction");
  SimpleType t;
  const std::string base_attr = attr(*r, "base");
  std::string_view base = strip_prefix(base_attr);
  if (base == "string")
    t.base = Builtin::kString;
  else if (base == "decimal")
    t.base = Builtin::kDecimal;
  else if (base == "date")
    t.base = Builtin::kDate;
  else if (base == "dateTime")
    t.base = Builtin::kDateTime;
  else if (base == "time")
    t.base = Builtin::kTime;
  else if (base == "boolean")
    t.base = Builtin::kBoolean;
  else if (base == "base64Binary")
    t.base = Builtin::kBase64;
  else
    return make_error(ErrorCode::kUnsupported, "unsupported simple base " + std::string(base));
  for (const auto& f : r->children) {
    std::string v = attr(f, "value");
    auto num = [&] { return std::strtoul(v.c_str(), nullptr, 10); };
    if (f.name == "enumeration") {
      t.enumeration.push_back(v);
    } else if (f.name == "pattern") {
      try {
        t.patterns.emplace_back(v, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error&) {
        return make_error(ErrorCode::kUnsupported, "pattern '" + v + "' does not compile");
      }
      t.pattern_text.push_back(v);
    } else if (f.name == "minLength") {
      t.min_length = num();
    } else if (f.name == "maxLength") {
      t.max_length = num();
    } else if (f.name == "length") {
      t.min_length = t.max_length = num();
    } else if (f.name == "totalDigits") {
      t.total_digits = static_cast<int>(num());
    } else if (f.name == "fractionDigits") {
      t.fraction_digits = static_cast<int>(num());
    } else if (f.name == "minInclusive") {
      t.non_negative = v == "0";
    }
  }
  return t;
}

// UTF-8 characters (code points), which is what XSD lengths count.
std::size_t char_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_decimal(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  std::size_t digits = 0, dots = 0;
  for (char c : s) {
    if (c == '.')
      ++dots;
    else if (c >= '0' && c <= '9')
      ++digits;
    else
      return false;
  }
  return digits > 0 && dots <= 1;
}

// xs:base64Binary: the alphabet, whitespace allowed, '=' padding only at the end.
bool is_base64(std::string_view s) {
  std::size_t n = 0, pad = 0;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    bool alpha =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=')
      ++pad;
    else if (!alpha || pad > 0)
      return false;
    ++n;
  }
  return n % 4 == 0 && pad <= 2;
}

bool is_time(std::string_view s) {
  // hh:mm:ss[.f][zone]: reuse the dateTime check on a fixed date.
  return is_valid_iso_datetime("2000-01-01T" + std::string(s));
}

void add(std::vector<Finding>& out, std::string rule, std::string text, const std::string& path, int line) {
  out.push_back({std::move(rule), std::move(text), path, line});
}

void check_simple(const SimpleType& t, std::string_view type_name, std::string_view raw, const Element& e,
                  const std::string& path, std::vector<Finding>& out) {
  std::string_view v = t.base == Builtin::kString ? raw : trim(raw);
  std::string shown(v.substr(0, 80));
  auto bad = [&](std::string why) {
    add(out, "XSD-FORMAT", path + " '" + shown + "' " + why + " (" + std::string(type_name) + ")", path,
        e.line);
  };
  switch (t.base) {
    case Builtin::kString: break;
    case Builtin::kDecimal:
      if (!is_decimal(v)) return bad("is not a decimal");
      if (t.non_negative && !v.empty() && v[0] == '-') return bad("is negative");
      break;
    case Builtin::kDate:
      if (!is_valid_iso_date(v)) return bad("is not an ISO date");
      break;
    case Builtin::kDateTime:
      if (!is_valid_iso_datetime(v)) return bad("is not an ISO date-time");
      break;
    case Builtin::kTime:
      if (!is_time(v)) return bad("is not an ISO time");
      break;
    case Builtin::kBoolean:
      if (v != "true" && v != "false" && v != "1" && v != "0") return bad("is not a boolean");
      break;
    case Builtin::kBase64:
      if (!is_base64(v)) return bad("is not base64");
      break;
  }
  if (!t.enumeration.empty() &&
      std::find(t.enumeration.begin(), t.enumeration.end(), v) == t.enumeration.end())
    return bad("is not an allowed code");
  std::size_t len = char_length(v);
  if (t.min_length && len < *t.min_length) return bad("is shorter than " + std::to_string(*t.min_length));
  if (t.max_length && len > *t.max_length) return bad("is longer than " + std::to_string(*t.max_length));
  // libstdc++'s regex recurses per character: never hand it long input.
  if (!t.patterns.empty() && v.size() > 256) return bad("is too long for its pattern");
  for (std::size_t i = 0; i < t.patterns.size(); ++i)
    if (!std::regex_match(v.begin(), v.end(), t.patterns[i]))
      return bad("does not match " + t.pattern_text[i]);
  if (t.base == Builtin::kDecimal && (t.total_digits || t.fraction_digits)) {
    std::string_view digits = v;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
    auto dot = digits.find('.');
    std::string_view ip = digits.substr(0, dot);
    std::string_view fp = dot == std::string_view::npos ? std::string_view() : digits.substr(dot + 1);
    while (!ip.empty() && ip.front() == '0') ip.remove_prefix(1);
    while (!fp.empty() && fp.back() == '0') fp.remove_suffix(1);
    if (t.fraction_digits && static_cast<int>(fp.size()) > *t.fraction_digits)
      return bad("has more than " + std::to_string(*t.fraction_digits) + " fraction digits");
    if (t.total_digits && static_cast<int>(ip.size() + fp.size()) > *t.total_digits)
      return bad("has more than " + std::to_string(*t.total_digits) + " digits");
  }
}

bool has_text(const Element& e) { return !trim(e.text).empty(); }

}  // namespace

Result<Schema> Schema::load(std::string_view xsd_text) {
  FORMICA_ASSIGN_OR_RETURN(auto root, codec::xml::parse(xsd_text));
  if (root.ns != kXs || root.name != "schema")
    return make_error(ErrorCode::kMalformed, "not an XML Schema document");
  Schema s;
  s.target_namespace_ = attr(root, "targetNamespace");
  for (const auto& c : root.children) {
    if (c.ns != kXs) continue;
    std::string name = attr(c, "name");
    if (c.name == "element" && s.root_type_.empty()) {
      s.root_type_ = std::string(strip_prefix(attr(c, "type")));
    } else if (c.name == "complexType") {
      FORMICA_ASSIGN_OR_RETURN(auto t, read_complex(c));
      s.complex_.emplace(name, std::move(t));
    } else if (c.name == "simpleType") {
      FORMICA_ASSIGN_OR_RETURN(auto t, read_simple(c));
      s.simple_.emplace(name, std::move(t));
    }
  }
  if (s.root_type_.empty()) return make_error(ErrorCode::kMalformed, "schema has no global element");
  return s;
}

const ComplexType* Schema::complex_type(std::string_view name) const {
  auto it = complex_.find(name);
  return it == complex_.end() ? nullptr : &it->second;
}

const SimpleType* Schema::simple_type(std::string_view name) const {
  auto it = simple_.find(name);
  return it == simple_.end() ? nullptr : &it->second;
}

bool has_dedicated_rule(std::string_view t) {
  static constexpr std::string_view kTypes[] = {"BICFIDec2014Identifier",
                                                "AnyBICDec2014Identifier",
                                                "IBAN2007Identifier",
                                                "LEIIdentifier",
                                                "UUIDv4Identifier",
                                                "CountryCode",
                                                "ISODate",
                                                "ISODateTime",
                                                "ActiveCurrencyCode",
                                                "ActiveOrHistoricCurrencyCode",
                                                "ActiveCurrencyAndAmount_SimpleType",
                                                "ActiveOrHistoricCurrencyAndAmount_SimpleType"};
  return std::find(std::begin(kTypes), std::end(kTypes), t) != std::end(kTypes);
}

void check_structure(const Schema& schema, std::string_view ns, const Element& e, std::string_view type_name,
                     const std::string& path, std::vector<Finding>& out, std::vector<TypedValue>& values) {
  if (const SimpleType* st = schema.simple_type(type_name)) {
    if (!e.children.empty()) add(out, "XSD-UNEXPECTED", path + " must hold text, not elements", path, e.line);
    if (has_dedicated_rule(type_name))
      values.push_back({&e, std::string(type_name),
                        std::string(st->base == Builtin::kString ? e.text : trim(e.text)), path});
    else
      check_simple(*st, type_name, e.text, e, path, out);
    return;
  }
  const ComplexType* ct = schema.complex_type(type_name);
  if (ct == nullptr) {
    add(out, "XSD-UNEXPECTED", path + " has unknown type " + std::string(type_name), path, e.line);
    return;
  }
  if (ct->kind == ComplexType::Kind::kSimpleContent) {
    if (!e.children.empty()) add(out, "XSD-UNEXPECTED", path + " must hold text, not elements", path, e.line);
    for (const auto& decl : ct->attributes) {
      const auto* a = e.attribute(decl.name);
      if (a == nullptr) {
        if (decl.required)
          add(out, "XSD-MISSING", path + " lacks its required attribute " + decl.name, path, e.line);
        continue;
      }
      std::string apath = path + "/@" + decl.name;
      if (has_dedicated_rule(decl.type))
        values.push_back({&e, decl.type, a->value, apath});
      else if (const SimpleType* at = schema.simple_type(decl.type))
        check_simple(*at, decl.type, a->value, e, apath, out);
    }
    for (const auto& a : e.attributes)
      if (a.ns.empty() && std::none_of(ct->attributes.begin(), ct->attributes.end(),
                                       [&](const AttributeDecl& d) { return d.name == a.name; }))
        add(out, "XSD-UNEXPECTED", path + " has an undeclared attribute " + a.name, path, e.line);
    std::string base = ct->simple_base;
    if (has_dedicated_rule(base))
      values.push_back({&e, base, std::string(trim(e.text)), path});
    else if (const SimpleType* bt = schema.simple_type(base))
      check_simple(*bt, base, e.text, e, path, out);
    return;
  }
  if (has_text(e)) add(out, "XSD-UNEXPECTED", path + " must not hold text", path, e.line);
  std::vector<std::size_t> counts(ct->particles.size(), 0);
  for (const auto& c : e.children) {
    std::string cpath = path + "/" + c.name;
    auto it = std::find_if(ct->particles.begin(), ct->particles.end(),
                           [&](const Particle& p) { return p.name == c.name; });
    if (it == ct->particles.end() || c.ns != ns) {
      if (!ct->any) add(out, "XSD-UNEXPECTED", cpath + " is not allowed here", cpath, c.line);
      continue;
    }
    std::size_t i = static_cast<std::size_t>(it - ct->particles.begin());
    if (++counts[i] == it->max + 1 && it->max != kUnbounded)
      add(out, "XSD-CARDINALITY",
          cpath + " occurs more than " + std::to_string(it->max) + (it->max == 1 ? " time" : " times"), cpath,
          c.line);
    check_structure(schema, ns, c, it->type, cpath, out, values);
  }
  if (ct->kind == ComplexType::Kind::kChoice) {
    std::size_t present = static_cast<std::size_t>(
        std::count_if(counts.begin(), counts.end(), [](std::size_t n) { return n > 0; }));
    if (present == 0 && !ct->particles.empty())
      add(out, "XSD-MISSING", path + " needs one of its alternatives", path, e.line);
    else if (present > 1)
      add(out, "XSD-CHOICE", path + " holds more than one alternative of a choice", path, e.line);
    return;
  }
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] < ct->particles[i].min)
      add(out, "XSD-MISSING", path + "/" + ct->particles[i].name + " is mandatory", path, e.line);
}

}  // namespace formica::iso20022::detail
