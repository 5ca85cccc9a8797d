#include "core/zip_stream.h"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include <ctime>

// Layouts: PKWARE APPNOTE 6.3.x, §4.3 (records) and §4.5.3 (the ZIP64 extra field).
namespace tandem {
namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kDescriptor = 0x08074b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kZip64End = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kEnd = 0x06054b50;
constexpr std::uint16_t kFlags = 0x0008 | 0x0800;  // sizes in a data descriptor; names in UTF-8
constexpr std::uint32_t kMax32 = 0xffffffff;
constexpr std::uint16_t kMax16 = 0xffff;
constexpr std::size_t kOutBuffer = 256 * 1024;
// ISA-L takes at most 4 GiB a call (avail_in is 32 bits); a gigabyte a call is plenty.
constexpr std::size_t kMaxCall = std::size_t(1) << 30;

void put16(std::string& out, std::uint16_t v) {
  out.push_back(char(v & 0xff));
  out.push_back(char(v >> 8));
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, std::uint16_t(v & 0xffff));
  put16(out, std::uint16_t(v >> 16));
}
void put64(std::string& out, std::uint64_t v) {
  put32(out, std::uint32_t(v & 0xffffffff));
  put32(out, std::uint32_t(v >> 32));
}
std::uint32_t clamp32(std::uint64_t v) { return v >= kMax32 ? kMax32 : std::uint32_t(v); }

}  // namespace

std::uint32_t crc32(std::uint32_t crc, std::string_view data) {
  while (!data.empty()) {
    auto n = std::min(data.size(), kMaxCall);
    crc = crc32_gzip_refl(crc, reinterpret_cast<const unsigned char*>(data.data()), n);
    data.remove_prefix(n);
  }
  return crc;
}

struct Deflater::Stream {
  isal_zstream z{};
  std::vector<std::uint8_t> level_buffer = std::vector<std::uint8_t>(ISAL_DEF_LVL1_DEFAULT);
};

Deflater::Deflater(ByteSink out) : stream_(std::make_unique<Stream>()), out_(std::move(out)), buffer_(kOutBuffer, '\0') {
  isal_deflate_init(&stream_->z);
  stream_->z.level = 1;
  stream_->z.level_buf = stream_->level_buffer.data();
  stream_->z.level_buf_size = std::uint32_t(stream_->level_buffer.size());
  stream_->z.next_out = reinterpret_cast<std::uint8_t*>(buffer_.data());
  stream_->z.avail_out = std::uint32_t(buffer_.size());
}

Deflater::~Deflater() = default;

Result<void> Deflater::drain(bool last) {
  auto& z = stream_->z;
  for (;;) {
    if (isal_deflate(&z) != COMP_OK) return fail(Code::internal, "deflate failed");
    bool full = z.avail_out == 0;
    bool done = last ? z.internal_state.state == ZSTATE_END : z.avail_in == 0;
    if (full || (last && done)) {
      auto n = buffer_.size() - z.avail_out;
      sums_.compressed_size += n;
      TRY(out_(std::string_view(buffer_.data(), n)));
      z.next_out = reinterpret_cast<std::uint8_t*>(buffer_.data());
      z.avail_out = std::uint32_t(buffer_.size());
    }
    if (done) return {};
  }
}

Result<void> Deflater::write(std::string_view data) {
  sums_.crc32 = crc32(sums_.crc32, data);
  sums_.size += data.size();
  auto& z = stream_->z;
  while (!data.empty()) {
    auto n = std::min(data.size(), kMaxCall);
    z.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(data.data()));
    z.avail_in = std::uint32_t(n);
    TRY(drain(false));
    data.remove_prefix(n);
  }
  return {};
}

Result<void> Deflater::finish() {
  auto& z = stream_->z;
  z.next_in = nullptr;
  z.avail_in = 0;
  z.end_of_stream = 1;
  return drain(true);
}

ZipWriter::ZipWriter(ByteSink out, std::int64_t modified) : out_(std::move(out)) {
  std::time_t t = modified;
  std::tm tm{};
  gmtime_r(&t, &tm);
  // MS-DOS time: two-second resolution, years from 1980.
  int year = std::max(tm.tm_year + 1900, 1980);
  dos_time_ = std::uint16_t((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  dos_date_ = std::uint16_t(((year - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

ZipWriter::~ZipWriter() = default;

Result<void> ZipWriter::emit(std::string_view bytes) {
  offset_ += bytes.size();
  return out_(bytes);
}

Result<void> ZipWriter::local_header(const Entry& e) {
  std::string h;
  put32(h, kLocalHeader);
  put16(h, 20);  // version needed: 2.0 (ZIP64, when needed, is in the central directory)
  put16(h, kFlags);
  put16(h, e.method);
  put16(h, dos_time_);
  put16(h, dos_date_);
  put32(h, 0);  // CRC and sizes: in the data descriptor
  put32(h, 0);
  put32(h, 0);
  put16(h, std::uint16_t(e.name.size()));
  put16(h, 0);
  h += e.name;
  return emit(h);
}

Result<void> ZipWriter::descriptor(const EntrySums& sums) {
  std::string d;
  put32(d, kDescriptor);
  put32(d, sums.crc32);
  if (sums.size >= kMax32 || sums.compressed_size >= kMax32) {
    put64(d, sums.compressed_size);
    put64(d, sums.size);
  } else {
    put32(d, std::uint32_t(sums.compressed_size));
    put32(d, std::uint32_t(sums.size));
  }
  return emit(d);
}

Result<void> ZipWriter::begin(const std::string& name, Method method) {
  if (open_) return fail(Code::internal, "zip: an entry is still open");
  if (name.empty() || name.size() > kMax16) return fail(Code::internal, "zip: an entry name must be 1 to 65535 bytes");
  Entry e{name, std::uint16_t(method == Method::deflate ? 8 : 0), {}, offset_};
  TRY(local_header(e));
  entries_.push_back(std::move(e));
  open_ = true;
  stored_ = {};
  deflated_bytes_ = 0;
  if (method == Method::deflate)
    deflater_ = std::make_unique<Deflater>([this](std::string_view bytes) { return emit(bytes); });
  return {};
}

Result<void> ZipWriter::write(std::string_view data) {
  if (!open_) return fail(Code::internal, "zip: no entry is open");
  if (deflater_) return deflater_->write(data);
  stored_.crc32 = crc32(stored_.crc32, data);
  stored_.size += data.size();
  stored_.compressed_size += data.size();
  return emit(data);
}

Result<void> ZipWriter::end() {
  if (!open_) return fail(Code::internal, "zip: no entry is open");
  EntrySums sums = stored_;
  if (deflater_) {
    TRY(deflater_->finish());
    sums = deflater_->sums();
    deflater_.reset();
  }
  entries_.back().sums = sums;
  open_ = false;
  return descriptor(sums);
}

Result<void> ZipWriter::add_deflated(const std::string& name, const EntrySums& sums,
                                     const std::function<Result<void>(const ByteSink&)>& copy) {
  if (open_) return fail(Code::internal, "zip: an entry is still open");
  if (name.empty() || name.size() > kMax16) return fail(Code::internal, "zip: an entry name must be 1 to 65535 bytes");
  Entry e{name, 8, sums, offset_};
  TRY(local_header(e));
  entries_.push_back(std::move(e));
  std::uint64_t copied = 0;
  TRY(copy([&](std::string_view bytes) {
    copied += bytes.size();
    return emit(bytes);
  }));
  if (copied != sums.compressed_size) return fail(Code::internal, "zip: a deflated entry's bytes do not match its size");
  return descriptor(sums);
}

Result<void> ZipWriter::finish() {
  if (open_) return fail(Code::internal, "zip: an entry is still open");
  auto directory_offset = offset_;
  for (const auto& e : entries_) {
    bool big = e.sums.size >= kMax32 || e.sums.compressed_size >= kMax32 || e.offset >= kMax32;
    std::string extra;
    if (big) {  // all three, in this order, as §4.5.3 allows when any is present
      put16(extra, 0x0001);
      put16(extra, 24);
      put64(extra, e.sums.size);
      put64(extra, e.sums.compressed_size);
      put64(extra, e.offset);
    }
    std::string h;
    put32(h, kCentralHeader);
    put16(h, (3 << 8) | (big ? 45 : 20));  // made by: Unix
    put16(h, big ? 45 : 20);
    put16(h, kFlags);
    put16(h, e.method);
    put16(h, dos_time_);
    put16(h, dos_date_);
    put32(h, e.sums.crc32);
    put32(h, big ? kMax32 : std::uint32_t(e.sums.compressed_size));
    put32(h, big ? kMax32 : std::uint32_t(e.sums.size));
    put16(h, std::uint16_t(e.name.size()));
    put16(h, std::uint16_t(extra.size()));
    put16(h, 0);  // comment
    put16(h, 0);  // disk
    put16(h, 0);  // internal attributes
    put32(h, 0100644u << 16);  // external: a regular file, rw-r--r--
    put32(h, big ? kMax32 : std::uint32_t(e.offset));
    h += e.name;
    h += extra;
    TRY(emit(h));
  }
  auto directory_size = offset_ - directory_offset;
  auto count = std::uint64_t(entries_.size());
  bool zip64 = count >= kMax16 || directory_offset >= kMax32 || directory_size >= kMax32;
  std::string tail;
  if (zip64) {
    auto record_offset = offset_;
    put32(tail, kZip64End);
    put64(tail, 44);  // the size of the rest of this record
    put16(tail, (3 << 8) | 45);
    put16(tail, 45);
    put32(tail, 0);
    put32(tail, 0);
    put64(tail, count);
    put64(tail, count);
    put64(tail, directory_size);
    put64(tail, directory_offset);
    put32(tail, kZip64Locator);
    put32(tail, 0);
    put64(tail, record_offset);
    put32(tail, 1);
  }
  put32(tail, kEnd);
  put16(tail, 0);
  put16(tail, 0);
  put16(tail, zip64 ? kMax16 : std::uint16_t(count));
  put16(tail, zip64 ? kMax16 : std::uint16_t(count));
  put32(tail, clamp32(directory_size));
  put32(tail, zip64 ? kMax32 : std::uint32_t(directory_offset));
  put16(tail, 0);
  return emit(tail);
}

}  // namespace tandem
