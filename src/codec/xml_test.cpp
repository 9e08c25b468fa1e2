#include "formica/codec/xml.h"

#include <gtest/gtest.h>

#include <chrono>

namespace formica::codec::xml {
namespace {

TEST(Xml, ParsesNamespacesAttributesAndText) {
  auto r = parse(R"(<?xml version="1.0"?>
<a:Doc xmlns:a="urn:x" xmlns="urn:default" v="1"><Item id="7">hello <![CDATA[<raw>]]></Item><a:B/></a:Doc>)");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->name, "Doc");
  EXPECT_EQ(r->ns, "urn:x");
  EXPECT_EQ(r->prefix, "a");
  EXPECT_EQ(r->namespaces.size(), 2u);
  ASSERT_NE(r->attribute("v"), nullptr);
  EXPECT_EQ(r->attribute("v")->value, "1");
  const Element* item = r->child("urn:default", "Item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->text, "hello <raw>");
  EXPECT_EQ(item->attribute("id")->value, "7");
  EXPECT_NE(r->child("urn:x", "B"), nullptr);
  EXPECT_EQ(r->child("urn:default", "B"), nullptr);
}

TEST(Xml, RefusesBillionLaughsQuickly) {
  std::string doc = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
  for (int i = 1; i < 10; ++i)
    doc += "<!ENTITY lol" + std::to_string(i) + " \"&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) +
           ";&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";\">";
  doc += "]><lolz>&lol9;</lolz>";
  auto r = parse(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kUnsupported);
}

TEST(Xml, RefusesExternalEntity) {
  auto r = parse(R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kUnsupported);
  // An undeclared entity reference without a DTD is not well-formed.
  EXPECT_FALSE(parse("<x>&e;</x>").ok());
}

TEST(Xml, RefusesDeepNestingQuickly) {
  std::string doc;
  for (int i = 0; i < 100000; ++i) doc += "<a>";
  for (int i = 0; i < 100000; ++i) doc += "</a>";
  auto start = std::chrono::steady_clock::now();
  auto r = parse(doc);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  std::string ok_doc;
  for (int i = 0; i < 60; ++i) ok_doc += "<a>";
  for (int i = 0; i < 60; ++i) ok_doc += "</a>";
  EXPECT_TRUE(parse(ok_doc).ok());
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "<a>";
  for (int i = 0; i < 70; ++i) deep += "</a>";
  auto d = parse(deep);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.code(), ErrorCode::kTooLarge);
}

TEST(Xml, RefusesOversizeBeforeParsing) {
  std::string big(17u << 20, ' ');
  auto r = parse(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kTooLarge);
}

TEST(Xml, ReportsMalformedWithLine) {
  auto r = parse("<a>\n<b></a>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kMalformed);
  EXPECT_NE(r.error().message.find("line"), std::string::npos);
  EXPECT_FALSE(parse("").ok());
  EXPECT_FALSE(parse("not xml").ok());
}

TEST(Xml, Escapes) { EXPECT_EQ(escape("a<b&\"c'>"), "a&lt;b&amp;&quot;c&apos;&gt;"); }

}  // namespace
}  // namespace formica::codec::xml
