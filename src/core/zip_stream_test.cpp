// The streaming zip writer (OFF-2), read back with libzip — a reader we did not write.
#include "core/zip_stream.h"

#include <gtest/gtest.h>

#include <random>

#include "api/zip_files.h"

namespace tandem {
namespace {

ByteSink into(std::string& bytes) {
  return [&bytes](std::string_view piece) -> Result<void> {
    bytes.append(piece);
    return {};
  };
}

std::string sample_text(std::size_t bytes, unsigned seed) {
  std::mt19937 random(seed);
  static const std::string words[] = {"打印机", "printer", "jam", "卡纸", "ticket", "\"quoted\"", "line\r\n", "é"};
  std::string out;
  while (out.size() < bytes) out += words[random() % std::size(words)] + " ";
  return out;
}

TEST(Crc32, IsTheZipChecksum) {
  EXPECT_EQ(crc32(0, "123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(crc32(0, "1234"), "56789"), 0xCBF43926u);  // in pieces, the same
  EXPECT_EQ(crc32(0, ""), 0u);
}

TEST(ZipWriter, EveryKindOfEntryReadsBackExactly) {
  std::string bytes;
  ZipWriter zip(into(bytes), 1'765'000'000);
  auto text = sample_text(3'000'000, 7);
  std::string binary(100'000, '\0');
  std::mt19937 random(3);
  for (auto& ch : binary) ch = char(random());

  ASSERT_TRUE(zip.begin("tickets.json", ZipWriter::Method::deflate));
  for (std::size_t at = 0; at < text.size(); at += 65'536) ASSERT_TRUE(zip.write(std::string_view(text).substr(at, 65'536)));
  ASSERT_TRUE(zip.end());
  ASSERT_TRUE(zip.begin("attachments/a-图片.bin", ZipWriter::Method::store));
  ASSERT_TRUE(zip.write(binary));
  ASSERT_TRUE(zip.end());
  ASSERT_TRUE(zip.begin("empty.csv", ZipWriter::Method::deflate));
  ASSERT_TRUE(zip.end());
  // Deflated beforehand into a buffer (an export's CSV goes to a scratch file), then copied.
  std::string deflated;
  Deflater csv(into(deflated));
  auto csv_text = sample_text(500'000, 11);
  ASSERT_TRUE(csv.write(csv_text));
  ASSERT_TRUE(csv.finish());
  ASSERT_TRUE(zip.add_deflated("tickets.csv", csv.sums(), [&](const ByteSink& out) { return out(deflated); }));
  ASSERT_TRUE(zip.finish());
  EXPECT_EQ(zip.bytes_written(), bytes.size());

  auto read = testing::read_zip(bytes);
  ASSERT_TRUE(read.opened) << "libzip refused the archive";
  EXPECT_EQ(read.entries, 4);
  EXPECT_EQ(read.files["tickets.json"], text);
  EXPECT_EQ(read.files["attachments/a-图片.bin"], binary);
  EXPECT_EQ(read.files["empty.csv"], "");
  EXPECT_EQ(read.files["tickets.csv"], csv_text);
  EXPECT_EQ(read.methods["tickets.json"], ZIP_CM_DEFLATE);
  EXPECT_EQ(read.methods["attachments/a-图片.bin"], ZIP_CM_STORE);
  // Text compresses: the archive is much smaller than what it holds.
  EXPECT_LT(bytes.size(), (text.size() + csv_text.size()) / 3 + binary.size());
}

TEST(ZipWriter, MoreThan65535EntriesUseTheZip64EndRecords) {
  std::string bytes;
  ZipWriter zip(into(bytes), 0);
  constexpr int kEntries = 70'000;
  for (int i = 0; i < kEntries; ++i) {
    ASSERT_TRUE(zip.begin("f" + std::to_string(i), ZipWriter::Method::store));
    ASSERT_TRUE(zip.write(std::to_string(i)));
    ASSERT_TRUE(zip.end());
  }
  ASSERT_TRUE(zip.finish());
  auto read = testing::read_zip(bytes);
  ASSERT_TRUE(read.opened);
  EXPECT_EQ(read.entries, kEntries);
  EXPECT_EQ(read.files["f0"], "0");
  EXPECT_EQ(read.files["f69999"], "69999");
}

TEST(ZipWriter, ASinkThatFailsStopsTheWriterWithItsError) {
  int calls = 0;
  ZipWriter zip(
      [&](std::string_view) -> Result<void> {
        if (++calls > 2) return fail(Code::unavailable, "the client went away");
        return {};
      },
      0);
  ASSERT_TRUE(zip.begin("a.txt", ZipWriter::Method::store));
  ASSERT_TRUE(zip.write("x"));
  auto r = zip.write("y");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::unavailable);
}

TEST(ZipWriter, EntriesAreWrittenOneAtATime) {
  std::string bytes;
  ZipWriter zip(into(bytes), 0);
  EXPECT_FALSE(zip.write("nothing open"));
  EXPECT_FALSE(zip.end());
  EXPECT_FALSE(zip.begin(std::string(70'000, 'n'), ZipWriter::Method::store));
  EXPECT_TRUE(bytes.empty());
  ASSERT_TRUE(zip.begin("a", ZipWriter::Method::deflate));
  EXPECT_FALSE(zip.begin("b", ZipWriter::Method::store));
  EXPECT_FALSE(zip.finish());
}

}  // namespace
}  // namespace tandem
