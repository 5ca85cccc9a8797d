// A zip written front to back into a sink as it is made (OFF-2: an organisation's export is
// sent while it is read, with flat memory). Each entry's CRC and sizes follow its data in a data
// descriptor; ZIP64 records appear only where an offset, a size or the count of entries needs
// them, so ordinary archives open everywhere. Deflate and CRC-32 are ISA-L's (docs/adr/0010).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem {

// Where bytes go; an error stops the writer (a client gone, a full disk).
using ByteSink = std::function<Result<void>(std::string_view)>;

// What a zip entry records of its data.
struct EntrySums {
  std::uint32_t crc32 = 0;
  std::uint64_t size = 0;             // of the data
  std::uint64_t compressed_size = 0;  // as stored
};

std::uint32_t crc32(std::uint32_t crc, std::string_view data);

// A raw deflate stream (RFC 1951) of what is written, at ISA-L's fastest level, into `out`.
class Deflater {
 public:
  explicit Deflater(ByteSink out);
  ~Deflater();
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  Result<void> write(std::string_view data);
  // Ends the stream; no write after it.
  Result<void> finish();
  const EntrySums& sums() const { return sums_; }

 private:
  Result<void> drain(bool last);
  struct Stream;
  std::unique_ptr<Stream> stream_;
  ByteSink out_;
  std::string buffer_;
  EntrySums sums_;
};

class ZipWriter {
 public:
  enum class Method { store, deflate };
  // `modified`: seconds since 1970 (UTC), the time every entry carries.
  ZipWriter(ByteSink out, std::int64_t modified);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  Result<void> begin(const std::string& name, Method method);
  Result<void> write(std::string_view data);
  Result<void> end();
  // An entry deflated earlier (by a Deflater, into a file): `copy` writes its compressed bytes,
  // exactly `sums.compressed_size` of them, to the sink it is given.
  Result<void> add_deflated(const std::string& name, const EntrySums& sums,
                            const std::function<Result<void>(const ByteSink&)>& copy);
  // The central directory; the archive is complete after it.
  Result<void> finish();
  std::uint64_t bytes_written() const { return offset_; }

 private:
  struct Entry {
    std::string name;
    std::uint16_t method = 0;
    EntrySums sums;
    std::uint64_t offset = 0;  // of its local header
  };
  Result<void> emit(std::string_view bytes);
  Result<void> local_header(const Entry& e);
  Result<void> descriptor(const EntrySums& sums);

  ByteSink out_;
  std::uint16_t dos_time_ = 0, dos_date_ = 0;
  std::uint64_t offset_ = 0;
  std::vector<Entry> entries_;
  bool open_ = false;  // an entry begun and not ended
  EntrySums stored_;   // sums of the open entry when stored
  std::unique_ptr<Deflater> deflater_;
  std::uint64_t deflated_bytes_ = 0;  // compressed bytes of the open entry
};

}  // namespace tandem
