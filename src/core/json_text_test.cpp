#include "core/json_text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tandem {
namespace {

std::string as_json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(JsonString, EscapesWhatJsonRequiresAndKeepsTheRest) {
  EXPECT_EQ(as_json("plain"), "\"plain\"");
  EXPECT_EQ(as_json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(as_json("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(as_json(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(as_json(std::string("a\0b", 3)), "\"a\\u0000b\"");
  EXPECT_EQ(as_json("打印机 é 😀"), "\"打印机 é 😀\"");  // UTF-8 as it is, not \u escapes
  EXPECT_EQ(as_json("/ and \x7f"), "\"/ and \x7f\"");
}

TEST(JsonString, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
  const std::string kReplacement = "\xef\xbf\xbd";
  EXPECT_EQ(as_json("a\xff" "b"), "\"a" + kReplacement + "b\"");
  EXPECT_EQ(as_json("\xc0\xaf"), "\"" + kReplacement + kReplacement + "\"");  // overlong '/'
  EXPECT_EQ(as_json("\xed\xa0\x80"), "\"" + kReplacement + kReplacement + kReplacement + "\"");  // a surrogate
  EXPECT_EQ(as_json("\xf4\x90\x80\x80"), "\"" + kReplacement + kReplacement + kReplacement + kReplacement + "\"");  // past U+10FFFF
  EXPECT_EQ(as_json("\xe6\x89"), "\"" + kReplacement + kReplacement + "\"");  // cut short
  // Whatever the input, the output parses, to the same text where it was UTF-8.
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(char(i));
  auto parsed = nlohmann::json::parse(as_json(bytes + "打印"));
  EXPECT_TRUE(parsed.get<std::string>().ends_with("打印"));
}

}  // namespace
}  // namespace tandem
