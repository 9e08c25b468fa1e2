// Field formats judged by their standards' algorithms rather than by XSD facets alone.
#include "formica/iso20022/amount.h"
#include "formica/iso20022/currency.h"
#include "formica/iso20022/identifiers.h"
#include "rules.h"

namespace formica::iso20022::detail {
namespace {

std::string quoted(std::string_view v) { return "'" + std::string(v.substr(0, 80)) + "'"; }

void check_currency(const TypedValue& v, Findings& out) {
  auto info = find_currency(v.value);
  if (!info) {
    out.add("CCY-CODE", v.path + " " + quoted(v.value) + " is not an ISO 4217 currency code", v.path,
            v.element->line);
  } else if (info->kind == CurrencyKind::kCommodity) {
    out.add("CCY-COMMODITY", v.path + " " + quoted(v.value) + " is a commodity code, not allowed in CBPR+",
            v.path, v.element->line);
  } else if (info->kind == CurrencyKind::kNonCurrency) {
    out.add("CCY-NOT-CURRENCY",
            v.path + " " + quoted(v.value) + " is an ISO 4217 unit or test code, not a currency", v.path,
            v.element->line);
  }
}

void check_amount(const TypedValue& v, Findings& out) {
  auto d = parse_amount(v.value);
  if (!d) {
    out.add("AMT-FORMAT", v.path + " " + quoted(v.value) + ": " + d.error().message, v.path, v.element->line);
    return;
  }
  const auto* ccy = v.element->attribute("Ccy");
  if (ccy == nullptr) return;  // XSD-MISSING reports the absent attribute
  auto info = find_currency(ccy->value);
  if (!info || info->minor_units < 0) return;  // CCY-* reports the currency itself
  if (d->written_fraction_digits > info->minor_units)
    out.add("AMT-DECIMALS",
            v.path + " " + quoted(v.value) + " has " + std::to_string(d->written_fraction_digits) +
                " decimals; " + ccy->value + " has " + std::to_string(info->minor_units),
            v.path, v.element->line);
}

}  // namespace

void check_typed_values(const std::vector<TypedValue>& values, Findings& out) {
  for (const auto& v : values) {
    const int line = v.element->line;
    const std::string& t = v.type;
    if (t == "BICFIDec2014Identifier" || t == "AnyBICDec2014Identifier") {
      if (!is_valid_bic(v.value))
        out.add("BIC-FORMAT", v.path + " " + quoted(v.value) + " is not a valid BIC (ISO 9362)", v.path,
                line);
    } else if (t == "IBAN2007Identifier") {
      if (!is_valid_iban(v.value))
        out.add("IBAN-CHECKSUM", v.path + " " + quoted(v.value) + " is not a valid IBAN (ISO 13616 mod 97)",
                v.path, line);
    } else if (t == "LEIIdentifier") {
      if (!is_valid_lei(v.value))
        out.add("LEI-CHECKSUM", v.path + " " + quoted(v.value) + " is not a valid LEI (ISO 17442 mod 97)",
                v.path, line);
    } else if (t == "UUIDv4Identifier") {
      if (!is_valid_uetr(v.value))
        out.add("UETR-FORMAT", v.path + " " + quoted(v.value) + " is not a lowercase UUID v4", v.path, line);
    } else if (t == "CountryCode") {
      if (!is_country_code(v.value))
        out.add("COUNTRY-CODE", v.path + " " + quoted(v.value) + " is not an ISO 3166 country code", v.path,
                line);
    } else if (t == "ISODate") {
      if (!is_valid_iso_date(v.value))
        out.add("DATE-FORMAT", v.path + " " + quoted(v.value) + " is not a calendar date YYYY-MM-DD", v.path,
                line);
    } else if (t == "ISODateTime") {
      if (!is_valid_iso_datetime(v.value, DateTimeZone::kRequired))
        out.add("DATETIME-FORMAT",
                v.path + " " + quoted(v.value) + " is not an ISO date-time with Z or a UTC offset", v.path,
                line);
    } else if (t == "ActiveCurrencyCode" || t == "ActiveOrHistoricCurrencyCode") {
      check_currency(v, out);
    } else if (t == "ActiveCurrencyAndAmount_SimpleType" ||
               t == "ActiveOrHistoricCurrencyAndAmount_SimpleType") {
      check_amount(v, out);
    }
  }
}

}  // namespace formica::iso20022::detail
