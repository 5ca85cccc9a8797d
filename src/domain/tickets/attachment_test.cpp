#include "domain/tickets/attachment.h"

#include <gtest/gtest.h>

namespace tandem::tickets {
namespace {

struct NameCase {
  std::string given, kept;
};
class SafeFileName : public ::testing::TestWithParam<NameCase> {};

TEST_P(SafeFileName, KeepsOnlyASafeLastComponent) { EXPECT_EQ(safe_file_name(GetParam().given), GetParam().kept); }

INSTANTIATE_TEST_SUITE_P(
    Names, SafeFileName,
    ::testing::Values(NameCase{"report.pdf", "report.pdf"}, NameCase{"../../etc/passwd", "passwd"},
                      NameCase{"C:\\Users\\me\\截图.png", "截图.png"}, NameCase{"..hidden", "hidden"},
                      NameCase{"  spaced name.txt  ", "spaced name.txt"}, NameCase{"line\r\nbreak\t.txt", "linebreak.txt"},
                      NameCase{"quote\".txt", "quote.txt"}, NameCase{"", "attachment"}, NameCase{"../", "attachment"},
                      NameCase{"bad\xff.txt", "bad_.txt"}, NameCase{"rtl\u202Egnp.exe", "rtlgnp.exe"}));

TEST(SafeFileNameLength, IsCutAtACharacterBoundary) {
  std::string long_name;
  for (int i = 0; i < 100; ++i) long_name += "文";
  auto kept = safe_file_name(long_name);
  EXPECT_LE(kept.size(), 200u);
  EXPECT_EQ(kept.size() % 3, 0u);
}

TEST(SniffContentType, TrustsTheBytesNotTheName) {
  EXPECT_EQ(sniff_content_type("\x89PNG\r\n\x1a\n...."), "image/png");
  EXPECT_EQ(sniff_content_type("\xff\xd8\xff\xe0"), "image/jpeg");
  EXPECT_EQ(sniff_content_type("GIF89a"), "image/gif");
  EXPECT_EQ(sniff_content_type(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(sniff_content_type("%PDF-1.7"), "application/pdf");
  EXPECT_EQ(sniff_content_type("PK\x03\x04"), "application/zip");
  EXPECT_EQ(sniff_content_type("日志：打印机卡纸\n"), "text/plain; charset=utf-8");
  EXPECT_EQ(sniff_content_type("<html><script>alert(1)</script></html>"), "text/plain; charset=utf-8") << "never text/html";
  EXPECT_EQ(sniff_content_type(std::string("\x00\x01\x02", 3)), "application/octet-stream");
  EXPECT_EQ(sniff_content_type("\xff\xfe bad"), "application/octet-stream");
}

TEST(ContentDisposition, GivesAnAsciiFallbackAndTheUtf8Name) {
  EXPECT_EQ(content_disposition("a b.pdf"), "attachment; filename=\"a b.pdf\"; filename*=UTF-8''a%20b.pdf");
  EXPECT_EQ(content_disposition("截图.png"), "attachment; filename=\"______.png\"; filename*=UTF-8''%E6%88%AA%E5%9B%BE.png");
}

TEST(Utf8Length, CountsCharactersNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("好的"), 2u) << "six bytes";
  EXPECT_EQ(utf8_length("a😀"), 2u) << "four bytes are one character";
}

}  // namespace
}  // namespace tandem::tickets
