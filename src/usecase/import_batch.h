// OFF-3: what an import reads from a file, whatever its format, before it is put in the store
// (usecase/importer.cpp). Internal to the import's readers.
#pragma once

#include <zip.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "storage/tickets.h"
#include "usecase/importer.h"

namespace tandem::usecase::importing {

struct IncomingOrganization {
  std::string source_id, name;
  std::int64_t created_at = 0, updated_at = 0;
};

struct IncomingPerson {
  std::string source_id, organization;  // the organisation's source id
  std::string email, name, language = "en", time_zone = "UTC";
  std::vector<identity::Role> roles{identity::Role::user};
  std::vector<std::pair<std::string, std::string>> identities;  // kind, value (besides the e-mail)
  std::optional<std::string> external_id;
  bool active = true;
  std::int64_t created_at = 0, updated_at = 0;
};

struct IncomingEvent {
  std::string source_id, kind, actor;  // actor: a person's source id, or a local user id
  std::int64_t seq = 0;                // its place in the timeline; 0: after the one before
  tickets::Channel channel = tickets::Channel::portal;
  bool internal = false;
  std::string body, data = "{}";
  std::int64_t created_at = 0;
};

struct IncomingFile {
  std::string source_id, event, name, content_type, entry;  // entry: where the bytes are in the file
  std::string bytes;                                        // or the bytes themselves
  bool internal = false;
  std::string uploaded_by;
  std::int64_t created_at = 0;
};

struct IncomingTicket {
  std::string source_id, organization;
  storage::Ticket ticket;  // requester, on_behalf_of, watchers: source ids still
  std::vector<IncomingEvent> events;
  std::vector<IncomingFile> files;
};

struct IncomingLink {
  std::string from, to, kind, by;
  std::int64_t created_at = 0;
};

struct Batch {
  std::string source;  // where the records come from: "tandem:<organisation id>", "csv"
  bool keep_ids = false;
  std::vector<IncomingOrganization> organizations;
  std::vector<IncomingPerson> people;
  std::vector<IncomingTicket> tickets;
  std::vector<IncomingLink> links;
  std::vector<ImportProblem> problems;  // rejected while reading
};

// A zip read entry by entry.
class ZipReader {
 public:
  explicit ZipReader(const std::filesystem::path& path) {
    int error = 0;
    z_ = zip_open(path.c_str(), ZIP_RDONLY, &error);
  }
  ~ZipReader() {
    if (z_) zip_discard(z_);
  }
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;
  bool open() const { return z_ != nullptr; }
  bool has(const std::string& name) const { return z_ && zip_name_locate(z_, name.c_str(), 0) >= 0; }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (zip_int64_t i = 0; z_ && i < zip_get_num_entries(z_, 0); ++i)
      if (const char* n = zip_get_name(z_, zip_uint64_t(i), 0)) out.emplace_back(n);
    return out;
  }
  Result<std::string> read(const std::string& name) const {
    zip_stat_t st;
    if (zip_stat(z_, name.c_str(), 0, &st) != 0) return fail(Code::invalid_argument, "The export has no " + name + ".");
    auto* f = zip_fopen(z_, name.c_str(), 0);
    if (!f) return fail(Code::invalid_argument, "The export's " + name + " cannot be read.");
    std::string out(st.size, '\0');
    auto n = zip_fread(f, out.data(), st.size);
    zip_fclose(f);
    if (n < 0 || zip_uint64_t(n) != st.size) return fail(Code::invalid_argument, "The export's " + name + " is damaged.");
    return out;
  }

 private:
  zip_t* z_ = nullptr;
};

// Request Tracker 5's REST2 answers, saved one per file as tests/fixtures/rt5/README.md shows
// (ticket-<id>.json, ticket-<id>-history.json, transaction-<id>.json, attachment-<id>.json,
// user-<id>.json, queue-<id>.json), all of their people going to `organization`.
Result<Batch> read_rt(const ZipReader& zip, const std::string& organization);

}  // namespace tandem::usecase::importing
