#include "usecase/organization_export.h"

#include <zip.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/id.h"
#include "core/log.h"
#include "storage/organization_records.h"
#include "storage/organizations.h"
#include "usecase/attachments.h"

namespace tandem::usecase {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

bool is_time(const std::string& column) { return column.ends_with("_at"); }

// A cell as JSON: times in RFC 3339, numbers as numbers, text as text.
Json cell_json(const storage::Row& r, std::size_t i, const std::string& column) {
  const auto& v = r.cells[i];
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (auto n = std::get_if<std::int64_t>(&v)) return is_time(column) ? Json(to_rfc3339(from_millis(*n))) : Json(*n);
  return std::get<std::string>(v);
}

// RFC 4180, and a leading = + - @ made inert so that a spreadsheet does not run it as a formula.
std::string csv_cell(const Json& v) {
  if (v.is_null()) return "";
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@') && !v.is_number()) text = "'" + text;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

// A zip written when it is closed, each entry read then from its file on disk: memory stays
// flat however large the export. Text is deflated at level 1 (fast; JSON and CSV shrink most of
// the way at any level); attachments, mostly compressed already, are stored.
class Zip {
 public:
  explicit Zip(const fs::path& path) {
    int error = 0;
    z_ = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  }
  ~Zip() {
    if (z_) zip_discard(z_);
  }
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;

  Result<void> add(const std::string& name, const fs::path& source, bool compress) {
    if (!z_) return fail(Code::internal, "export: the zip cannot be created");
    auto* file = zip_source_file(z_, source.c_str(), 0, -1);
    if (!file) return fail(failure());
    auto index = zip_file_add(z_, name.c_str(), file, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(file);
      return fail(failure());
    }
    if (zip_set_file_compression(z_, zip_uint64_t(index), compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, compress ? 1 : 0) != 0)
      return fail(failure());
    return {};
  }

  Result<void> close() {
    if (!z_) return fail(Code::internal, "export: the zip cannot be created");
    if (zip_close(z_) != 0) return fail(failure());
    z_ = nullptr;
    return {};
  }

 private:
  Error failure() const { return Error(Code::internal, std::string("export: ") + zip_strerror(z_)); }
  zip_t* z_ = nullptr;
};

// A directory removed with everything in it when the export ends, whichever way.
struct Scratch {
  fs::path dir;
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// Writes `<kind>.json` and `<kind>.csv` of one kind of record; how many records.
Result<std::int64_t> write_kind(storage::Connection& c, std::size_t index, const std::string& organization_id, bool staff,
                                const fs::path& dir) {
  const auto& kind = storage::organization_records::kinds()[index];
  const auto& names = kind.columns;
  std::ofstream json(dir / (kind.name + ".json"), std::ios::binary);
  std::ofstream csv(dir / (kind.name + ".csv"), std::ios::binary);
  for (std::size_t i = 0; i < names.size(); ++i) csv << (i ? "," : "") << names[i];
  csv << "\r\n";
  json << "[";
  std::int64_t count = 0;
  TRY(storage::organization_records::each(c, index, organization_id, staff, [&](const storage::Rows& rows) -> Result<void> {
    for (const auto& r : rows) {
      Json record = Json::object();
      for (std::size_t i = 0; i < names.size(); ++i) {
        auto v = cell_json(r, i, names[i]);
        csv << (i ? "," : "") << csv_cell(v);
        record[names[i]] = std::move(v);
      }
      csv << "\r\n";
      json << (count ? ",\n" : "\n") << record.dump(-1, ' ', false, Json::error_handler_t::replace);
      ++count;
    }
    return {};
  }));
  json << "\n]\n";
  if (!json || !csv) return fail(Code::internal, "export: cannot write " + kind.name);
  return count;
}

}  // namespace

Result<ExportFile> export_organization(const Services& s, const identity::Actor& actor, std::string_view organization_id) {
  TRY(authorize(actor, "organization.export"));
  auto now = s.clock.now();
  auto root = fs::path(s.attachments_dir).parent_path() / "exports";
  Scratch scratch{root / new_id("exp", now)};
  std::error_code ec;
  fs::create_directories(scratch.dir, ec);
  if (ec) return fail(Code::unavailable, "The export cannot be written: " + ec.message());

  ExportFile out;
  std::vector<std::pair<std::string, fs::path>> files;  // attachments: name in the zip, file on disk
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, storage::Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    if (org->kind != identity::OrganizationKind::consumer)
      return fail(Code::failed_precondition, "Only a customer organisation is exported.");
    out.file_name = "tandem-export-" + org->id + "-" + to_rfc3339(now).substr(0, 10) + ".zip";
    const auto& kinds = storage::organization_records::kinds();
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      if (kinds[i].staff_only && !actor.staff()) continue;
      ASSIGN_OR_RETURN(auto n, write_kind(c, i, org->id, actor.staff(), scratch.dir));
      out.records += n;
    }
    // The attachments' files, under the organisation's content directory (or the older shared one).
    auto own = organisation_files(s, org->id);
    ASSIGN_OR_RETURN(auto stored, storage::organization_records::files(c, org->id, actor.staff()));
    for (const auto& f : stored) {
      auto path = own / f.sha256.substr(0, 2) / f.sha256;
      if (!fs::exists(path)) path = fs::path(s.attachments_dir) / f.sha256.substr(0, 2) / f.sha256;
      files.emplace_back("attachments/" + f.attachment_id + "-" + f.name, path);
    }
    return {};
  }));

  auto zip_path = root / (scratch.dir.filename().string() + ".zip");
  auto zipped = [&]() -> Result<void> {
    Zip zip(zip_path);
    for (const auto& kind : storage::organization_records::kinds()) {
      if (kind.staff_only && !actor.staff()) continue;
      for (auto ext : {".json", ".csv"}) TRY(zip.add(kind.name + ext, scratch.dir / (kind.name + ext), true));
    }
    for (const auto& [name, path] : files) {
      if (!fs::exists(path)) {
        log_message(LogLevel::warn, "export: the file of " + name + " is missing");
        continue;
      }
      TRY(zip.add(name, path, false));
    }
    return zip.close();
  }();
  if (!zipped) {
    log_message(LogLevel::error, "export of " + std::string(organization_id) + " failed: " + zipped.error().message);
    fs::remove(zip_path, ec);
    return std::unexpected(zipped.error());
  }
  out.path = zip_path.string();
  out.bytes = std::int64_t(fs::file_size(zip_path, ec));
  TRY(s.db.write([&](storage::Connection& c) {
    return record(c, s, actor, {"organization.export", "organization", std::string(organization_id), std::string(organization_id),
                                std::nullopt, std::nullopt});
  }));
  return out;
}

}  // namespace tandem::usecase
