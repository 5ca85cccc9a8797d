#include "domain/migration/csv.h"

#include <gtest/gtest.h>

namespace tandem::migration {
namespace {

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  auto r = parse_csv("\xEF\xBB\xBFticket,body\r\nT-1,\"门禁卡, 刷不开\"\r\nT-2,\"She said \"\"hi\"\"\nthen left\"\nT-3,\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0], (CsvRecord{"ticket", "body"})) << "the byte-order mark is not part of the first name";
  EXPECT_EQ((*r)[1][1], "门禁卡, 刷不开");
  EXPECT_EQ((*r)[2][1], "She said \"hi\"\nthen left");
  EXPECT_EQ((*r)[3], (CsvRecord{"T-3", ""}));
}

TEST(Csv, BlankLinesAreSkippedButAnEmptyQuotedFieldIsARecord) {
  auto r = parse_csv("a\n\n\"\"\nb");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1], (CsvRecord{""}));
  EXPECT_EQ((*r)[2], (CsvRecord{"b"}));
}

TEST(Csv, BrokenQuotingIsMalformedAndSaysWhere) {
  for (auto [text, line] : {std::pair{"a,b\nc,\"open\n", "line 2"}, std::pair{"a\nx\"y\n", "line 2"},
                            std::pair{"a\n\"x\"y\n", "line 2"}}) {
    auto r = parse_csv(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Code::malformed);
    EXPECT_NE(r.error().message.find(line), std::string::npos) << r.error().message;
  }
}

TEST(CsvTable, NamesFieldsByTheHeaderAndListsEveryMissingColumn) {
  auto t = CsvTable::make(*parse_csv("ticket, subject ,extra\nT-1,Hello\n"), {"ticket", "subject"});
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->at(0, "subject"), "Hello") << "names are trimmed";
  EXPECT_EQ(t->at(0, "extra"), "") << "a short row reads empty";
  EXPECT_EQ(t->at(0, "nope"), "");
  EXPECT_EQ(t->line_of(0), 2u);
  auto bad = CsvTable::make(*parse_csv("ticket,ticket\n"), {"ticket", "subject", "kind"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().details.size(), 3u) << "twice, and two missing";
  EXPECT_FALSE(CsvTable::make({}, {"ticket"}));
}

}  // namespace
}  // namespace tandem::migration
