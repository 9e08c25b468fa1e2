#include "formica/codec/xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <memory>
#include <mutex>

namespace formica::codec::xml {
namespace {

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

std::string str(const xmlChar* s) {
  return s == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(s));
}

// Looks for markup declarations outside comments/CDATA is unnecessary: any "<!DOCTYPE" or
// "<!ENTITY" byte sequence is refused outright. Legitimate EPCIS and ISO 20022 messages
// never carry a DTD.
bool has_dtd(std::string_view doc) {
  return doc.find("<!DOCTYPE") != std::string_view::npos || doc.find("<!ENTITY") != std::string_view::npos;
}

struct Builder {
  const Limits& limits;
  std::size_t elements = 0;

  Status build(const xmlNode* node, Element& out, std::size_t depth) {
    if (depth > limits.max_depth)
      return make_error(ErrorCode::kTooLarge, "XML nesting deeper than " + std::to_string(limits.max_depth));
    if (++elements > limits.max_elements)
      return make_error(ErrorCode::kTooLarge,
                        "XML has more than " + std::to_string(limits.max_elements) + " elements");
    out.name = str(node->name);
    out.line = static_cast<int>(xmlGetLineNo(node));
    if (node->ns != nullptr) {
      out.ns = str(node->ns->href);
      out.prefix = str(node->ns->prefix);
    }
    for (const xmlNs* ns = node->nsDef; ns != nullptr; ns = ns->next)
      out.namespaces.push_back({str(ns->prefix), str(ns->href)});
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
      Attribute attr;
      attr.name = str(a->name);
      if (a->ns != nullptr) attr.ns = str(a->ns->href);
      for (const xmlNode* t = a->children; t != nullptr; t = t->next)
        if (t->type == XML_TEXT_NODE) attr.value += str(t->content);
      out.attributes.push_back(std::move(attr));
    }
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
      switch (c->type) {
        case XML_ELEMENT_NODE: {
          out.children.emplace_back();
          FORMICA_TRY(build(c, out.children.back(), depth + 1));
          break;
        }
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE: out.text += str(c->content); break;
        case XML_ENTITY_REF_NODE:
          return make_error(ErrorCode::kUnsupported, "entity references are not allowed");
        default: break;  // comments, processing instructions
      }
    }
    return ok_status();
  }
};

}  // namespace

const Element* Element::child(std::string_view local_name) const {
  for (const auto& c : children)
    if (c.name == local_name) return &c;
  return nullptr;
}

const Element* Element::child(std::string_view ns_uri, std::string_view local_name) const {
  for (const auto& c : children)
    if (c.name == local_name && c.ns == ns_uri) return &c;
  return nullptr;
}

std::vector<const Element*> Element::children_named(std::string_view local_name) const {
  std::vector<const Element*> out;
  for (const auto& c : children)
    if (c.name == local_name) out.push_back(&c);
  return out;
}

const Attribute* Element::attribute(std::string_view local_name) const {
  for (const auto& a : attributes)
    if (a.name == local_name && a.ns.empty()) return &a;
  return nullptr;
}

std::string Element::child_text(std::string_view local_name) const {
  const Element* c = child(local_name);
  return c == nullptr ? std::string() : c->text;
}

Result<Element> parse(std::string_view document, const Limits& limits) {
  if (document.size() > limits.max_bytes)
    return make_error(ErrorCode::kTooLarge,
                      "XML document larger than " + std::to_string(limits.max_bytes) + " bytes");
  if (has_dtd(document))
    return make_error(ErrorCode::kUnsupported, "XML with a DOCTYPE or entity declaration is refused");
  if (document.size() > static_cast<std::size_t>(INT32_MAX))
    return make_error(ErrorCode::kTooLarge, "XML document too large");
  init_libxml();

  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> ctxt(xmlNewParserCtxt(), xmlFreeParserCtxt);
  if (!ctxt) return make_error(ErrorCode::kInternal, "cannot create XML parser");
  // No NOENT (never substitute entities), no DTDLOAD/DTDATTR, no network; errors are returned,
  // not printed. Without XML_PARSE_HUGE libxml2 also caps depth and text node sizes.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlCtxtReadMemory(ctxt.get(), document.data(), static_cast<int>(document.size()), nullptr, nullptr,
                        options),
      xmlFreeDoc);
  if (!doc) {
    const xmlError* err = xmlCtxtGetLastError(ctxt.get());
    std::string msg = "not well-formed XML";
    if (err != nullptr && err->message != nullptr) {
      msg = "XML line " + std::to_string(err->line) + ": " + err->message;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    }
    return make_error(ErrorCode::kMalformed, msg);
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr)
    return make_error(ErrorCode::kUnsupported, "XML with a DOCTYPE is refused");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return make_error(ErrorCode::kMalformed, "XML document has no root element");
  Element out;
  Builder b{limits};
  FORMICA_TRY(b.build(root, out, 1));
  return out;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace formica::codec::xml
