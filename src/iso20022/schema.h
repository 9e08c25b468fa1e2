#pragma once
// Internal: the subset of W3C XML Schema that the ISO 20022 message schemas use (complex types
// made of one xs:sequence or xs:choice of elements with minOccurs/maxOccurs, simple content
// with attributes, simple types restricting xs:string/decimal/date/dateTime/time/boolean with
// enumeration, pattern, length, digit and minInclusive facets, and xs:any). ISO's generated
// schemas use nothing else, so an interpreter for this subset validates them completely,
// except element order (see check_structure).

#include <cstddef>
#include <map>
#include <optional>
// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> when building with
// sanitizers at -O1 (GCC bug 105562); the warning is about the library, not this code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"
#include "formica/codec/xml.h"
#include "formica/iso20022/finding.h"

namespace formica::iso20022::detail {

enum class Builtin { kString, kDecimal, kDate, kDateTime, kTime, kBoolean, kBase64 };

struct SimpleType {
  Builtin base = Builtin::kString;
  std::vector<std::string> enumeration;
  std::vector<std::string> pattern_text;
  std::vector<std::regex> patterns;  // all must match the whole value
  std::optional<std::size_t> min_length, max_length;
  std::optional<int> total_digits, fraction_digits;
  bool non_negative = false;  // minInclusive 0
};

inline constexpr std::size_t kUnbounded = static_cast<std::size_t>(-1);

struct Particle {
  std::string name;
  std::string type;
  std::size_t min = 1;
  std::size_t max = 1;
};

struct AttributeDecl {
  std::string name;
  std::string type;
  bool required = false;
};

struct ComplexType {
  enum class Kind { kSequence, kChoice, kSimpleContent } kind = Kind::kSequence;
  std::vector<Particle> particles;
  bool any = false;         // xs:any: further elements of any kind are allowed
  std::string simple_base;  // kSimpleContent: the simple type of the text
  std::vector<AttributeDecl> attributes;
};

class Schema {
 public:
  // Loads an ISO 20022 XSD. Errors: kMalformed (not XML), kUnsupported (a construct outside
  // the subset above, or a pattern std::regex cannot compile).
  static Result<Schema> load(std::string_view xsd_text);

  const std::string& target_namespace() const { return target_namespace_; }
  const std::string& root_type() const { return root_type_; }  // type of the first global element
  const ComplexType* complex_type(std::string_view name) const;
  const SimpleType* simple_type(std::string_view name) const;

 private:
  std::string target_namespace_;
  std::string root_type_;
  std::map<std::string, ComplexType, std::less<>> complex_;
  std::map<std::string, SimpleType, std::less<>> simple_;
};

// A simple value found during the walk whose type has a dedicated rule (BIC, IBAN, LEI,
// UETR, country, dates, amounts and currencies); the rules, not the facets, judge those.
struct TypedValue {
  const codec::xml::Element* element;
  std::string type;   // the XSD type name, e.g. "BICFIDec2014Identifier"
  std::string value;  // text, trimmed for non-string types
  std::string path;
};

// Validates `element` (whose type is `type_name`) and its descendants: every child is declared
// by its parent's type and lies in `ns`, occurs between minOccurs and maxOccurs times, exactly
// one alternative of a choice is present, simple values satisfy their facets, required
// attributes are present. Element order within a sequence is deliberately NOT enforced: the
// CBPR+ fixtures that the project treats as valid list InstdAmt after ChrgBr and an
// originator's PstlAdr after Id. Findings go to `out`; typed values to `values`.
void check_structure(const Schema& schema, std::string_view ns, const codec::xml::Element& element,
                     std::string_view type_name, const std::string& path, std::vector<Finding>& out,
                     std::vector<TypedValue>& values);

// Whether the named simple type is judged by a dedicated rule rather than by its facets.
bool has_dedicated_rule(std::string_view type_name);

}  // namespace formica::iso20022::detail
