#include "formica/iso20022/identifiers.h"

#include <gtest/gtest.h>

#include "formica/iso20022/currency.h"

namespace formica::iso20022 {
namespace {

TEST(Bic, Iso9362Structure) {
  EXPECT_TRUE(is_valid_bic("DEUTDEFF"));
  EXPECT_TRUE(is_valid_bic("DEUTDEFF500"));
  EXPECT_TRUE(is_valid_bic("BRDEROBU"));
  EXPECT_FALSE(is_valid_bic("ZZZZ99"));        // too short
  EXPECT_FALSE(is_valid_bic("WRONGUS33XXX"));  // 12 characters
  EXPECT_FALSE(is_valid_bic("DEUTQQFF"));      // QQ is no country
  EXPECT_FALSE(is_valid_bic("deutdeff"));      // lowercase
  EXPECT_FALSE(is_valid_bic("DEUT-EFF"));
  EXPECT_EQ(bic8("DEUTDEFF500"), "DEUTDEFF");
}

TEST(Iban, Mod97) {
  EXPECT_TRUE(is_valid_iban("GB29NWBK60161331926819"));
  EXPECT_TRUE(is_valid_iban("DE89370400440532013000"));
  EXPECT_FALSE(is_valid_iban("GB29NWBK60161331926818"));  // the "dodgy" sample's IBAN
  EXPECT_FALSE(is_valid_iban("QQ29NWBK60161331926819"));
  EXPECT_FALSE(is_valid_iban("GB29 NWBK 6016 1331 9268 19"));
  EXPECT_FALSE(is_valid_iban(""));
}

TEST(Lei, Iso17442) {
  EXPECT_TRUE(is_valid_lei("529900T8BM49AURSDO55"));
  EXPECT_TRUE(is_valid_lei("V459EV5XD3WK5MR0HW37"));
  EXPECT_FALSE(is_valid_lei("529900T8BM49AURSDO56"));
  EXPECT_FALSE(is_valid_lei("THIS_IS_NOT_A_LEI"));
}

TEST(Uetr, LowercaseUuidV4) {
  EXPECT_TRUE(is_valid_uetr("174c245f-2682-4291-ad67-2a41e530cd27"));
  EXPECT_TRUE(is_valid_uetr("00000000-0000-4000-9a9f-b1fbbdfd7d68"));
  EXPECT_FALSE(is_valid_uetr("174C245F-2682-4291-AD67-2A41E530CD27"));  // uppercase
  EXPECT_FALSE(is_valid_uetr("174c245f-2682-1291-ad67-2a41e530cd27"));  // version 1
  EXPECT_FALSE(is_valid_uetr("174c245f-2682-4291-cd67-2a41e530cd27"));  // variant c
  EXPECT_FALSE(is_valid_uetr("174c245f26824291ad672a41e530cd27"));
}

TEST(Dates, CalendarAndZones) {
  EXPECT_TRUE(is_valid_iso_date("2024-02-29"));
  EXPECT_FALSE(is_valid_iso_date("2026-02-29"));
  EXPECT_FALSE(is_valid_iso_date("1900-02-29"));
  EXPECT_TRUE(is_valid_iso_date("2000-02-29"));
  EXPECT_FALSE(is_valid_iso_date("2026-13-01"));
  EXPECT_FALSE(is_valid_iso_date("2026-1-01"));
  EXPECT_TRUE(is_valid_iso_datetime("2025-08-08T07:26:33.351+00:00", DateTimeZone::kRequired));
  EXPECT_TRUE(is_valid_iso_datetime("2025-06-01T10:00:00Z", DateTimeZone::kRequired));
  EXPECT_TRUE(is_valid_iso_datetime("2014-11-12T11:45:26.371"));
  EXPECT_FALSE(is_valid_iso_datetime("2014-11-12T11:45:26.371", DateTimeZone::kRequired));
  EXPECT_FALSE(is_valid_iso_datetime("2025-06-01T24:00:00Z"));
  EXPECT_FALSE(is_valid_iso_datetime("2025-06-01T10:00:00+15:00"));
  EXPECT_FALSE(is_valid_iso_datetime("2025-06-01T10:00:00."));
  EXPECT_FALSE(is_valid_iso_datetime("2025-06-01 10:00:00Z"));
}

TEST(Currency, Iso4217Table) {
  ASSERT_TRUE(find_currency("EUR"));
  EXPECT_EQ(find_currency("EUR")->minor_units, 2);
  EXPECT_EQ(find_currency("JPY")->minor_units, 0);
  EXPECT_EQ(find_currency("KWD")->minor_units, 3);
  EXPECT_EQ(find_currency("CLF")->minor_units, 4);
  EXPECT_EQ(find_currency("XAU")->kind, CurrencyKind::kCommodity);
  EXPECT_EQ(find_currency("XDR")->kind, CurrencyKind::kNonCurrency);
  EXPECT_FALSE(find_currency("ABC"));
  EXPECT_FALSE(find_currency("eur"));
  EXPECT_FALSE(find_currency("HRK"));  // withdrawn 2023
  EXPECT_TRUE(is_settlement_currency("RON"));
  for (const char* c : {"XAU", "XAG", "XPD", "XPT", "XTS", "XXX"})
    EXPECT_FALSE(is_settlement_currency(c)) << c;
  EXPECT_TRUE(is_country_code("RO"));
  EXPECT_TRUE(is_country_code("XK"));
  EXPECT_FALSE(is_country_code("QQ"));
  EXPECT_FALSE(is_country_code("O"));
}

}  // namespace
}  // namespace formica::iso20022
