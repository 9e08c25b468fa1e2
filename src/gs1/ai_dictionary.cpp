// Reader of the GS1 Barcode Syntax Dictionary format (see the header of the upstream file:
// "AIs [Flags] Specification [Attributes...] [# Title]"). Linters implemented: csum, zero,
// nozeroprefix, yymmdd, yymmd0, yyyymmdd, pieceoftotal, hhmi; the others (ISO code lists,
// coupon structure, IBAN, ...) are not checked and the value's format alone decides.
#include "ai_dictionary.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "formica/gs1/identifiers.h"

namespace formica::gs1::detail {
namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

bool parse_component(std::string tok, AiComponent& c) {
  if (!tok.empty() && tok.front() == '[') {
    c.optional = true;
    tok = tok.substr(1);
    if (!tok.empty() && tok.back() == ']') tok.pop_back();
  }
  auto parts = split(tok, ',');
  const std::string& f = parts[0];
  if (f.size() < 2 || std::string_view("NXYZ").find(f[0]) == std::string_view::npos) return false;
  c.type = f[0];
  if (f.compare(1, 2, "..") == 0) {
    c.min = 1;
    c.max = std::stoul(f.substr(3));
  } else {
    c.min = c.max = std::stoul(f.substr(1));
  }
  c.linters.assign(parts.begin() + 1, parts.end());
  return true;
}

std::vector<AiEntry> build() {
  std::vector<AiEntry> out;
  std::istringstream in{std::string(ai_dictionary_text())};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string title;
    if (auto hash = line.find('#'); hash != std::string::npos) {
      title = line.substr(hash + 1);
      line.resize(hash);
      title.erase(0, title.find_first_not_of(' '));
      title.erase(title.find_last_not_of(' ') + 1);
    }
    std::istringstream words(line);
    std::vector<std::string> toks;
    for (std::string w; words >> w;) toks.push_back(w);
    if (toks.empty()) continue;
    AiEntry e;
    e.title = title;
    std::size_t i = 1;
    if (i < toks.size() &&
        toks[i].find_first_not_of("*!?\"$%&'()+,-./:;<=>@\\^_`{|}~") == std::string::npos) {
      e.dl_attribute = toks[i].find('?') != std::string::npos;
      ++i;
    }
    for (; i < toks.size(); ++i) {
      const std::string& t = toks[i];
      if (t.starts_with("dlpkey")) {
        e.dl_key = true;
        if (t.size() > 7)
          for (const auto& alt : split(t.substr(7), '|')) e.qualifier_paths.push_back(split(alt, ','));
        else
          e.qualifier_paths.push_back({});
      } else if (t.starts_with("req=")) {
        std::vector<std::vector<std::string>> group;
        for (const auto& alt : split(t.substr(4), ',')) group.push_back(split(alt, '+'));
        e.req.push_back(std::move(group));
      } else if (t.starts_with("ex=")) {
        for (const auto& x : split(t.substr(3), ',')) e.ex.push_back(x);
      } else if (t.find('=') == std::string::npos) {
        AiComponent c;
        if (parse_component(t, c)) e.components.push_back(std::move(c));
      }
    }
    const std::string& ais = toks[0];
    if (auto dash = ais.find('-'); dash != std::string::npos) {
      std::string lo = ais.substr(0, dash), hi = ais.substr(dash + 1);
      for (unsigned long v = std::stoul(lo); v <= std::stoul(hi); ++v) {
        AiEntry copy = e;
        copy.ai = std::to_string(v);
        copy.ai.insert(0, lo.size() - std::min(lo.size(), copy.ai.size()), '0');
        out.push_back(std::move(copy));
      }
    } else {
      e.ai = ais;
      out.push_back(std::move(e));
    }
  }
  return out;
}

bool in_set(char type, char c) {
  bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  switch (type) {
    case 'N': return c >= '0' && c <= '9';
    case 'Y': return alnum || c == '#' || c == '-' || c == '/';
    case 'Z': return alnum || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '=';
    default:
      return alnum || (c >= 'a' && c <= 'z') ||
             std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
  }
}

bool valid_date(std::string_view d, bool four_digit_year, bool day_zero_ok) {
  std::size_t y = four_digit_year ? 4 : 2;
  int mm = (d[y] - '0') * 10 + (d[y + 1] - '0');
  int dd = (d[y + 2] - '0') * 10 + (d[y + 3] - '0');
  if (mm < 1 || mm > 12) return false;
  if (dd == 0) return day_zero_ok;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return dd <= kDays[mm - 1];
}

Error bad(const AiEntry& e, std::string why) {
  return make_error(ErrorCode::kVerificationFailed, "AI (" + e.ai + ") " + e.title + ": " + why);
}

}  // namespace

const std::vector<AiEntry>& all_ais() {
  static const std::vector<AiEntry> kTable = build();
  return kTable;
}

const AiEntry* find_ai(std::string_view ai) {
  static const std::map<std::string, const AiEntry*, std::less<>> kIndex = [] {
    std::map<std::string, const AiEntry*, std::less<>> m;
    for (const auto& e : all_ais()) m.emplace(e.ai, &e);
    return m;
  }();
  auto it = kIndex.find(ai);
  return it == kIndex.end() ? nullptr : it->second;
}

Status validate_value(const AiEntry& e, std::string_view value) {
  std::size_t pos = 0;
  for (const auto& c : e.components) {
    std::size_t left = value.size() - pos;
    if (left == 0) {
      if (c.optional) break;
      return bad(e, "too short");
    }
    std::size_t take = c.min == c.max ? c.min : std::min(left, c.max);
    if (left < take)
      return bad(e, "must have " + std::to_string(c.max) + " characters here, got " + std::to_string(left));
    std::string_view part = value.substr(pos, take);
    for (char ch : part)
      if (!in_set(c.type, ch)) return bad(e, std::string("character '") + ch + "' is not allowed");
    for (const auto& l : c.linters) {
      if (l == "csum" && !has_valid_check_digit(part))
        return bad(e, "wrong check digit (expected " +
                          std::string(1, check_digit(part.substr(0, part.size() - 1))) + ")");
      if (l == "zero" && part != "0") return bad(e, "must start with 0");
      if (l == "nozeroprefix" && part.size() > 1 && part[0] == '0') return bad(e, "must not start with 0");
      if ((l == "yymmdd" || l == "yymmd0") && !valid_date(part, false, l == "yymmd0"))
        return bad(e, "'" + std::string(part) + "' is not a valid date");
      if (l == "yyyymmdd" && !valid_date(part, true, false))
        return bad(e, "'" + std::string(part) + "' is not a valid date");
      if (l == "hhmi" &&
          (std::stoi(std::string(part.substr(0, 2))) > 23 || std::stoi(std::string(part.substr(2, 2))) > 59))
        return bad(e, "'" + std::string(part) + "' is not a valid time");
      if (l == "pieceoftotal") {
        int piece = std::stoi(std::string(part.substr(0, 2))),
            total = std::stoi(std::string(part.substr(2, 2)));
        if (piece == 0 || total == 0 || piece > total) return bad(e, "piece must be 1..total");
      }
    }
    pos += take;
  }
  if (pos != value.size()) return bad(e, "too long");
  return ok_status();
}

}  // namespace formica::gs1::detail
