#pragma once
// A safe, namespace-aware XML reader for hostile input (EPCIS XML, ISO 20022 messages).
//
// Safety contract: documents with a DOCTYPE (and so any entity declaration) are refused
// before parsing, so there is no entity expansion and no external entity; the network is
// never used; input size, element depth and element count are bounded (Limits). Parsing is
// done by libxml2; the result is copied into a plain tree so callers never touch libxml2.
// Thread-safe: parse() may be called from several threads at once.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"

namespace formica::codec::xml {

struct Limits {
  std::size_t max_bytes = 16u << 20;     // 16 MiB
  std::size_t max_depth = 64;            // element nesting
  std::size_t max_elements = 1'000'000;  // total elements
};

struct Attribute {
  std::string ns;    // namespace URI, empty when unqualified
  std::string name;  // local name
  std::string value;
};

struct NamespaceDecl {
  std::string prefix;  // empty for the default namespace
  std::string uri;
};

struct Element {
  std::string ns;      // namespace URI, empty when none
  std::string prefix;  // as written, empty when none
  std::string name;    // local name
  std::vector<Attribute> attributes;
  std::vector<NamespaceDecl> namespaces;  // declared on this element
  std::vector<Element> children;          // child elements in document order
  std::string text;                       // the element's own character data (text + CDATA), concatenated
  int line = 0;

  // The first child with this local name (and namespace, when given), or nullptr.
  const Element* child(std::string_view local_name) const;
  const Element* child(std::string_view ns_uri, std::string_view local_name) const;
  std::vector<const Element*> children_named(std::string_view local_name) const;
  // The unqualified attribute with this name, or nullptr.
  const Attribute* attribute(std::string_view local_name) const;
  // The child's text, or "" when the child is absent.
  std::string child_text(std::string_view local_name) const;
};

// Parses a whole document and returns its root element. Errors: kTooLarge (size, depth or
// element count over the limits), kUnsupported (DOCTYPE/entity declarations), kMalformed
// (not well-formed XML, with libxml2's line and message).
Result<Element> parse(std::string_view document, const Limits& limits = {});

// Escapes text for element content or attribute values (&, <, >, ", ').
std::string escape(std::string_view text);

}  // namespace formica::codec::xml
