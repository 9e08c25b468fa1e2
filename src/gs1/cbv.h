#pragma once
// Core Business Vocabulary 2.0 terms and the expansions every EPCIS syntax needs: bare JSON-LD
// words ("shipping"), CURIEs ("cbv:BizStep-shipping", "gs1:Temperature") and EPCIS 1.x URNs
// ("urn:epcglobal:cbv:bizstep:shipping") all become the CBV 2.0 web URI.

#include <optional>
#include <string>
#include <string_view>

namespace formica::gs1::cbv {

inline constexpr std::string_view kCbv = "https://ref.gs1.org/cbv/";
inline constexpr std::string_view kGs1Voc = "https://gs1.org/voc/";
inline constexpr std::string_view kEpcis = "https://ref.gs1.org/epcis/";
inline constexpr std::string_view kCbvMda = "urn:epcglobal:cbv:mda";

// The vocabularies with a fixed term list.
enum class Vocab : unsigned char {
  kBizStep,          // BizStep-
  kDisposition,      // Disp-
  kBizTransType,     // BTT-
  kSourceDestType,   // SDT-
  kErrorReason,      // ER-
  kMeasurementType,  // gs1: measurement types
  kAlertType,        // gs1: sensor alert types
  kComponent,        // Comp-
};

// The full URI of a bare term when it is a standard term of `vocab`, else nullopt.
std::optional<std::string> expand_bare(Vocab vocab, std::string_view term);
// True when `uri` is the web URI of a standard term of `vocab` (e.g. ".../BizStep-shipping").
// Returns nullopt when `uri` is not in the vocabulary's namespace at all (a user vocabulary).
std::optional<bool> is_standard_uri(Vocab vocab, std::string_view uri);

// "gs1:X", "cbv:X" -> full URI; anything else unchanged.
std::string expand_curie(std::string_view value);
// urn:epcglobal:cbv:{bizstep,disp,btt,sdt,er}: -> https://ref.gs1.org/cbv/{BizStep,Disp,BTT,SDT,ER}-
// (replaces every occurrence, as the reference event-hash algorithm does).
std::string urn_to_web_uri(std::string_view value);

}  // namespace formica::gs1::cbv
