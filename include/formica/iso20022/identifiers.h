#pragma once
// Identifier and date formats used in ISO 20022 payments, each checked by its standard's
// algorithm: BIC (ISO 9362), IBAN (ISO 13616, mod 97), LEI (ISO 17442, ISO 7064 mod 97-10),
// UETR (UUID v4, lowercase as SWIFT gpi and CBPR+ require), country (ISO 3166-1 alpha-2),
// ISODate and ISODateTime (XML Schema date/dateTime with a real calendar day).
// Every function is total: any input gives true/false, never an abort.

#include <string_view>

namespace formica::iso20022 {

bool is_country_code(std::string_view code);  // ISO 3166-1 alpha-2, plus XK (used in BICs)

// 8 or 11 characters: 4 institution (A-Z0-9), 2 country (a listed country), 2 location
// (A-Z0-9), optional 3 branch (A-Z0-9).
bool is_valid_bic(std::string_view bic);
// The 8-character institution+country+location part of a BIC ("AAAAGB2L" for "AAAAGB2LXXX"),
// used to compare a BIC8 with a BIC11 of the same institution's head office.
std::string_view bic8(std::string_view bic);

bool is_valid_iban(std::string_view iban);  // country, 2 check digits, up to 30 A-Z0-9, mod 97 == 1
bool is_valid_lei(std::string_view lei);    // 18 A-Z0-9 + 2 digits, mod 97 == 1
// xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lowercase hex only.
bool is_valid_uetr(std::string_view uetr);

// YYYY-MM-DD with a real calendar date (leap years), years 0001-9999.
bool is_valid_iso_date(std::string_view date);

enum class DateTimeZone { kAny, kRequired };
// YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh:mm]; offsets within +-14:00. With kRequired the
// zone designator must be present (CBPR+ requires UTC or an explicit offset).
bool is_valid_iso_datetime(std::string_view text, DateTimeZone zone = DateTimeZone::kAny);

}  // namespace formica::iso20022
