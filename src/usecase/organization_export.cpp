#include "usecase/organization_export.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "core/id.h"
#include "core/json_text.h"
#include "core/log.h"
#include "storage/organization_records.h"
#include "storage/organizations.h"
#include "usecase/attachments.h"

namespace tandem::usecase {
namespace {

namespace fs = std::filesystem;

// What is written to the zip at a time: large enough that deflate and the sink see few calls.
constexpr std::size_t kFlushBytes = 1 << 20;
constexpr std::size_t kFileChunk = 256 * 1024;

bool is_time(const std::string& column) { return column.ends_with("_at"); }

void append_integer(std::string& out, std::int64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

// RFC 4180, and a leading = + - @ of text made inert so that a spreadsheet does not run it as a
// formula (numbers are numbers, whatever their sign).
void append_csv_text(std::string& out, std::string_view text) {
  bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@');
  // A plain loop: find_first_of calls memchr over the four characters for every byte.
  bool quote = std::ranges::any_of(text, [](char ch) { return ch == ',' || ch == '"' || ch == '\r' || ch == '\n'; });
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  if (!quote) {
    out.append(text);
    return;
  }
  for (char ch : text) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

// Runs tasks one after another on a thread of its own, in the order given, so that deflating and
// sending (a third of an export's work) overlap reading and formatting on the other core. At most
// a few tasks wait, each holding at most a flush of text, so memory stays flat. The first
// failure skips the rest and is returned from every later call.
class Sequential {
 public:
  Sequential() : thread_([this] { run(); }) {}
  ~Sequential() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Sequential(const Sequential&) = delete;
  Sequential& operator=(const Sequential&) = delete;

  Result<void> post(std::function<Result<void>()> task) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kMaxWaiting || error_; });
    if (error_) return std::unexpected(*error_);
    queue_.push_back(std::move(task));
    changed_.notify_all();
    return {};
  }

  // Waits until every task posted has run.
  Result<void> wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.empty() && !running_; });
    if (error_) return std::unexpected(*error_);
    return {};
  }

 private:
  static constexpr std::size_t kMaxWaiting = 4;

  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, nothing left
      auto task = std::move(queue_.front());
      queue_.pop_front();
      running_ = true;
      bool skip = error_.has_value();
      lock.unlock();
      Result<void> r;
      try {
        if (!skip) r = task();
      } catch (const std::exception& e) {  // an exception here would end the process
        log_message(LogLevel::error, std::string("export: ") + e.what());
        r = fail(Code::internal, "The export failed.");
      }
      lock.lock();
      running_ = false;
      if (!r && !error_) error_ = r.error();
      changed_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<Result<void>()>> queue_;
  bool running_ = false;
  bool closing_ = false;
  std::optional<Error> error_;
  std::thread thread_;
};

// A file of the export deflated into the scratch directory while the store is read, and copied
// into the zip afterwards.
struct DeflatedFile {
  std::string name;  // in the zip
  fs::path path;
  EntrySums sums;
};

// Text deflated into a scratch file as it comes.
class ScratchDeflater {
 public:
  explicit ScratchDeflater(fs::path path)
      : path_(std::move(path)), file_(path_, std::ios::binary), deflater_([this](std::string_view bytes) -> Result<void> {
          file_.write(bytes.data(), std::streamsize(bytes.size()));
          if (!file_) return fail(Code::unavailable, "export: cannot write its scratch file");
          return {};
        }) {}
  Result<void> write(std::string_view text) { return deflater_.write(text); }
  Result<DeflatedFile> finish(std::string name) {
    TRY(deflater_.finish());
    file_.close();
    if (!file_) return fail(Code::unavailable, "export: cannot write its scratch file");
    return DeflatedFile{std::move(name), path_, deflater_.sums()};
  }

 private:
  fs::path path_;
  std::ofstream file_;
  Deflater deflater_;
};

// One kind of record into `<kind>.json` and `<kind>.csv`, both from one pass over the store and
// deflated into scratch files on `worker`, in order, while this thread reads and formats.
class KindWriter {
 public:
  KindWriter(Sequential& worker, const storage::RecordKind& kind, const fs::path& scratch)
      : worker_(worker), kind_(kind), json_(scratch / (kind.name + ".json.deflate")), csv_(scratch / (kind.name + ".csv.deflate")) {
    json_text_ = "[";
    for (std::size_t i = 0; i < kind_.columns.size(); ++i) {
      if (i) csv_text_.push_back(',');
      csv_text_ += kind_.columns[i];
    }
    csv_text_ += "\r\n";
  }
  // The worker's tasks refer to this writer: none may outlive it.
  ~KindWriter() { (void)worker_.wait(); }
  KindWriter(const KindWriter&) = delete;
  KindWriter& operator=(const KindWriter&) = delete;

  Result<void> rows(const storage::Rows& rows) {
    const auto& names = kind_.columns;
    for (const auto& r : rows) {
      json_text_ += count_ ? ",\n{" : "\n{";
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) {
          json_text_.push_back(',');
          csv_text_.push_back(',');
        }
        append_json_string(json_text_, names[i]);
        json_text_.push_back(':');
        const auto& v = r.cells[i];
        if (std::holds_alternative<std::monostate>(v)) {
          json_text_ += "null";
        } else if (auto n = std::get_if<std::int64_t>(&v)) {
          if (is_time(names[i])) {
            auto time = to_rfc3339(from_millis(*n));
            append_json_string(json_text_, time);
            csv_text_ += time;
          } else {
            append_integer(json_text_, *n);
            append_integer(csv_text_, *n);
          }
        } else {
          const auto& text = std::get<std::string>(v);
          append_json_string(json_text_, text);
          append_csv_text(csv_text_, text);
        }
      }
      json_text_.push_back('}');
      csv_text_ += "\r\n";
      ++count_;
      TRY(flush(false));
    }
    return {};
  }

  // Ends both files, adding them to `files`; how many records.
  Result<std::int64_t> end(std::vector<DeflatedFile>& files) {
    json_text_ += "\n]\n";
    TRY(flush(true));
    TRY(worker_.post([this, &files]() -> Result<void> {
      ASSIGN_OR_RETURN(auto json, json_.finish(kind_.name + ".json"));
      ASSIGN_OR_RETURN(auto csv, csv_.finish(kind_.name + ".csv"));
      files.push_back(std::move(json));
      files.push_back(std::move(csv));
      return {};
    }));
    TRY(worker_.wait());
    return count_;
  }

 private:
  Result<void> flush(bool all) {
    if (all || json_text_.size() >= kFlushBytes)
      TRY(worker_.post([this, text = std::exchange(json_text_, {})] { return json_.write(text); }));
    if (all || csv_text_.size() >= kFlushBytes)
      TRY(worker_.post([this, text = std::exchange(csv_text_, {})] { return csv_.write(text); }));
    return {};
  }

  Sequential& worker_;
  const storage::RecordKind& kind_;
  ScratchDeflater json_, csv_;
  std::string json_text_, csv_text_;
  std::int64_t count_ = 0;
};

// A directory removed with everything in it when the export ends, whichever way.
struct Scratch {
  fs::path dir;
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// Copies a file into `out` a chunk at a time.
Result<void> copy_file(const fs::path& path, const ByteSink& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Code::unavailable, "export: cannot read " + path.filename().string());
  std::string chunk(kFileChunk, '\0');
  while (in) {
    in.read(chunk.data(), std::streamsize(chunk.size()));
    if (auto n = in.gcount(); n > 0) TRY(out(std::string_view(chunk.data(), std::size_t(n))));
  }
  if (in.bad()) return fail(Code::unavailable, "export: cannot read " + path.filename().string());
  return {};
}

// An uploaded file's name as a name in the zip: no directories of its own, so that unpacking the
// archive writes nothing outside `attachments/`.
std::string entry_name(std::string name) {
  for (auto& ch : name)
    if (ch == '/' || ch == '\\') ch = '_';
  return name;
}

Result<void> add_file(ZipWriter& zip, const std::string& name, const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    log_message(LogLevel::warn, "export: the file of " + name + " is missing");
    return {};
  }
  // Attachments are mostly compressed already (images, PDFs, archives): stored as they are.
  TRY(zip.begin(name, ZipWriter::Method::store));
  TRY(copy_file(path, [&](std::string_view bytes) { return zip.write(bytes); }));
  return zip.end();
}

}  // namespace

Result<Export> prepare_export(const Services& s, const identity::Actor& actor, std::string_view organization_id) {
  TRY(authorize(actor, "organization.export"));
  ASSIGN_OR_RETURN(auto org, s.db.read([&](storage::Connection& c) {
    return storage::organizations::find(c, storage::Scope::for_actor(actor), organization_id);
  }));
  if (!org) return fail(Code::not_found, "No such organisation.");
  if (org->kind != identity::OrganizationKind::consumer) return fail(Code::failed_precondition, "Only a customer organisation is exported.");
  auto now = s.clock.now();
  Export out;
  out.file_name = "tandem-export-" + org->id + "-" + to_rfc3339(now).substr(0, 10) + ".zip";
  out.write = [&s, actor, org_id = org->id, now](const ByteSink& sink) -> Result<std::int64_t> {
    Scratch scratch{fs::path(s.attachments_dir).parent_path() / "exports" / new_id("exp", now)};
    std::error_code ec;
    fs::create_directories(scratch.dir, ec);
    if (ec) return fail(Code::unavailable, "The export cannot be written: " + ec.message());
    std::int64_t records = 0;
    std::vector<DeflatedFile> deflated;
    std::vector<std::pair<std::string, fs::path>> files;  // attachments: name in the zip, file on disk
    Sequential worker;
    TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
      const auto& kinds = storage::organization_records::kinds();
      for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (kinds[i].staff_only && !actor.staff()) continue;
        KindWriter kind(worker, kinds[i], scratch.dir);
        TRY(storage::organization_records::each(c, i, org_id, actor.staff(), [&](const storage::Rows& rows) { return kind.rows(rows); }));
        ASSIGN_OR_RETURN(auto n, kind.end(deflated));
        records += n;
      }
      // The attachments' files, under the organisation's content directory (or the older shared one).
      auto own = organisation_files(s, org_id);
      ASSIGN_OR_RETURN(auto stored, storage::organization_records::files(c, org_id, actor.staff()));
      for (const auto& f : stored) {
        auto path = own / f.sha256.substr(0, 2) / f.sha256;
        std::error_code missing;
        if (!fs::exists(path, missing)) path = fs::path(s.attachments_dir) / f.sha256.substr(0, 2) / f.sha256;
        files.emplace_back("attachments/" + f.attachment_id + "-" + entry_name(f.name), path);
      }
      return {};
    }));
    // The read ends before the first byte is sent: a slow client holds no connection of the
    // store, only this worker. The files are content-addressed and never change, so they need
    // not be read in the snapshot.
    ZipWriter zip(sink, std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    for (const auto& f : deflated)
      TRY(zip.add_deflated(f.name, f.sums, [&](const ByteSink& out) { return copy_file(f.path, out); }));
    for (const auto& [name, path] : files) TRY(add_file(zip, name, path));
    TRY(zip.finish());
    TRY(s.db.write([&](storage::Connection& c) {
      return record(c, s, actor, {"organization.export", "organization", org_id, org_id, std::nullopt, std::nullopt});
    }));
    return records;
  };
  return out;
}

}  // namespace tandem::usecase
