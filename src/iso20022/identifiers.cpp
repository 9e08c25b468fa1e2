#include "formica/iso20022/identifiers.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace formica::iso20022 {
namespace {

// ISO 3166-1 alpha-2 codes, concatenated and sorted (Debian iso-codes 4.15), plus XK.
constexpr std::string_view kCountries =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCN"
    "COCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHM"
    "HNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMK"
    "MLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURW"
    "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI"
    "VNVUWFWSXKYEYTZAZMZW";

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool upper_or_digit(char c) { return upper(c) || digit(c); }
bool lower_hex(char c) { return digit(c) || (c >= 'a' && c <= 'f'); }

// ISO 7064 mod 97-10 over letters mapped to 10..35, digits as themselves.
int mod97(std::string_view s) {
  int r = 0;
  for (char c : s) {
    int v = digit(c) ? c - '0' : c - 'A' + 10;
    r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
  }
  return r;
}

int number(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), digit); }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

bool is_country_code(std::string_view code) {
  if (code.size() != 2 || !upper(code[0]) || !upper(code[1])) return false;
  for (std::size_t i = 0; i + 1 < kCountries.size(); i += 2)
    if (kCountries.substr(i, 2) == code) return true;
  return false;
}

bool is_valid_bic(std::string_view bic) {
  if (bic.size() != 8 && bic.size() != 11) return false;
  if (!std::all_of(bic.begin(), bic.end(), upper_or_digit)) return false;
  return is_country_code(bic.substr(4, 2));
}

std::string_view bic8(std::string_view bic) { return bic.substr(0, std::min<std::size_t>(8, bic.size())); }

bool is_valid_iban(std::string_view iban) {
  if (iban.size() < 5 || iban.size() > 34) return false;
  if (!is_country_code(iban.substr(0, 2)) || !digit(iban[2]) || !digit(iban[3])) return false;
  if (!std::all_of(iban.begin(), iban.end(), upper_or_digit)) return false;
  std::string rearranged(iban.substr(4));
  rearranged.append(iban.substr(0, 4));
  return mod97(rearranged) == 1;
}

bool is_valid_lei(std::string_view lei) {
  if (lei.size() != 20) return false;
  if (!std::all_of(lei.begin(), lei.end(), upper_or_digit)) return false;
  if (!digit(lei[18]) || !digit(lei[19])) return false;
  return mod97(lei) == 1;
}

bool is_valid_uetr(std::string_view u) {
  if (u.size() != 36) return false;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (u[i] != '-') return false;
    } else if (!lower_hex(u[i])) {
      return false;
    }
  }
  return u[14] == '4' && (u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
}

bool is_valid_iso_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  std::string_view y = d.substr(0, 4), m = d.substr(5, 2), day = d.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(day)) return false;
  int year = number(y), month = number(m), dd = number(day);
  if (year < 1 || month < 1 || month > 12) return false;
  return dd >= 1 && dd <= days_in_month(year, month);
}

bool is_valid_iso_datetime(std::string_view t, DateTimeZone zone) {
  if (t.size() < 19 || t[10] != 'T') return false;
  if (!is_valid_iso_date(t.substr(0, 10))) return false;
  std::string_view time = t.substr(11, 8);
  if (time[2] != ':' || time[5] != ':') return false;
  std::string_view hh = time.substr(0, 2), mm = time.substr(3, 2), ss = time.substr(6, 2);
  if (!all_digits(hh) || !all_digits(mm) || !all_digits(ss)) return false;
  if (number(hh) > 23 || number(mm) > 59 || number(ss) > 59) return false;
  std::string_view rest = t.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t n = 1;
    while (n < rest.size() && digit(rest[n])) ++n;
    if (n == 1) return false;  // a '.' needs at least one digit
    rest.remove_prefix(n);
  }
  if (rest.empty()) return zone == DateTimeZone::kAny;
  if (rest == "Z") return true;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return false;
  std::string_view oh = rest.substr(1, 2), om = rest.substr(4, 2);
  if (!all_digits(oh) || !all_digits(om)) return false;
  int minutes = number(oh) * 60 + number(om);
  return number(om) <= 59 && minutes <= 14 * 60;
}

}  // namespace formica::iso20022
