#include "usecase/attachments.h"

#include <mutex>
#include <shared_mutex>

#include "domain/tickets/attachment.h"
#include "storage/requirement_evidence.h"
#include "usecase/ticket_draft.h"
#include "usecase/validation.h"

namespace tandem::usecase {

using namespace drafting;

std::filesystem::path organisation_files(const Services& s, const std::string& organization_id) {
  return std::filesystem::path(s.attachments_dir) / organization_id;
}

Result<storage::Attachment> add_attachment(const Services& s, const Actor& actor, std::string_view ticket_id, const Upload& upload,
                                           tk::Channel arrived_through) {
  TRY(authorize(actor, "ticket.comment"));
  bool internal = upload.visibility == Visibility::internal;
  if (internal) TRY(authorize(actor, "ticket.note"));
  if (upload.bytes.empty()) {
    Problems p;
    p.add("file", "is empty");
    return fail(p.error());
  }
  // No sweep decides on a file between its writing and its row's commit.
  std::shared_lock uploading(*s.attachment_files);
  // Check sight of the ticket before writing anything to disk.
  ASSIGN_OR_RETURN(auto seen, s.db.read([&](storage::Connection& c) { return load_ticket(c, actor, ticket_id); }));
  // The content is written first: a failed transaction leaves an unreferenced file, never a row
  // without its content.
  ASSIGN_OR_RETURN(auto sha, storage::blobs::put(organisation_files(s, seen.organization_id), upload.bytes));
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<storage::Attachment> {
    ASSIGN_OR_RETURN(auto t, load_ticket(c, actor, ticket_id, storage::Lock::for_update));
    storage::Attachment a;
    a.id = new_id("att", s.clock.now());
    a.ticket_id = t.id;
    a.sha256 = sha;
    a.name = tk::safe_file_name(upload.client_name);
    a.size = std::int64_t(upload.bytes.size());
    a.content_type = tk::sniff_content_type(upload.bytes);
    a.internal = internal;
    a.uploaded_by = actor.user_id;
    TimelineDraft draft(s, actor, t, arrived_through, outbox);
    auto& event = draft.add("attachment", upload.visibility, a.name,
                            Json{{"attachment_id", a.id}, {"name", a.name}, {"size", a.size}, {"content_type", a.content_type}});
    a.event_id = event.id;
    a.created_at = draft.now();
    auto before = canonical(t);
    t.updated_at = draft.now();
    TRY(storage::ticket_store::touch(c, t));
    TRY(draft.append_all(c));
    TRY(storage::attachments::insert(c, a));
    TRY(record(c, s, actor, {"ticket.attachment", "ticket", t.id, t.organization_id, before,
                             canonical(t) + "attachment=" + a.id + "\nsha256=" + a.sha256 + "\n"}));
    return a;
  });
}

Result<Download> get_attachment(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "ticket.read"));
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) {
    return storage::attachments::find(c, Scope::for_actor(actor), id);
  }));
  if (!found) return fail(Code::not_found, "No such attachment.");
  auto bytes = storage::blobs::get(organisation_files(s, found->organization_id), found->sha256);
  // Files stored before organisations had directories of their own are in the shared one.
  if (!bytes && bytes.error().code == Code::not_found) bytes = storage::blobs::get(s.attachments_dir, found->sha256);
  if (!bytes) return std::unexpected(bytes.error());
  return Download{std::move(*found), std::move(*bytes)};
}

Result<storage::StagedUpload> stage_upload(const Services& s, const Actor& actor, std::string_view client_name,
                                           std::string_view bytes) {
  TRY(authorize(actor, "ticket.create"));
  if (bytes.empty()) {
    Problems p;
    p.add("file", "is empty");
    return fail(p.error());
  }
  auto now = to_millis(s.clock.now());
  auto since = now - kStagedUploadLifeMs;
  ASSIGN_OR_RETURN(auto pending, s.db.read([&](storage::Connection& c) {
    return storage::staged_uploads::count_own(c, actor.user_id, since);
  }));
  if (pending >= kMaxStagedUploads)
    return fail(Code::rate_limited, "You have uploaded " + std::to_string(kMaxStagedUploads) +
                                        " files for requests in the last day; submit them with a request first.");
  std::shared_lock uploading(*s.attachment_files);
  ASSIGN_OR_RETURN(auto sha, storage::blobs::put(organisation_files(s, actor.organization_id), bytes));
  storage::StagedUpload u{new_id("upl", s.clock.now()),
                          actor.organization_id,
                          actor.user_id,
                          sha,
                          tk::safe_file_name(std::string(client_name)),
                          std::int64_t(bytes.size()),
                          tk::sniff_content_type(bytes),
                          now};
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::staged_uploads::insert(c, u));
    return record(c, s, actor, {"upload.stage", "upload", u.id, u.organization_id, std::nullopt,
                                "upload\nid=" + u.id + "\nsha256=" + u.sha256 + "\n"});
  }));
  return u;
}

Result<std::vector<RequestFile>> find_request_files(const Services& s, const Actor& actor,
                                                    const std::vector<std::pair<std::string, std::string>>& ids_by_field,
                                                    const std::string& organization_id, std::string_view language) {
  std::vector<RequestFile> out;
  Problems p;
  auto since = to_millis(s.clock.now()) - kStagedUploadLifeMs;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    for (const auto& [field, id] : ids_by_field) {
      ASSIGN_OR_RETURN(auto found, storage::staged_uploads::find_own(c, actor.user_id, id, since));
      if (!found) {
        p.add("answers." + field, (language == "zh-CN" ? "没有您上传的此文件（上传后一天内有效）：" : "no upload of yours made in the last day: ") + id);
        continue;
      }
      RequestFile f{field, std::move(*found), {}};
      f.attachment.id = new_id("att", s.clock.now());
      f.attachment.sha256 = f.upload.sha256;
      f.attachment.name = f.upload.name;
      f.attachment.size = f.upload.size;
      f.attachment.content_type = f.upload.content_type;
      f.attachment.uploaded_by = f.upload.uploaded_by;
      out.push_back(std::move(f));
    }
    return {};
  }));
  if (p.any()) return fail(p.error());
  // Each organisation's files apart: content uploaded by staff is copied to the request's.
  for (const auto& f : out) {
    if (f.upload.organization_id == organization_id) continue;
    ASSIGN_OR_RETURN(auto bytes, storage::blobs::get(organisation_files(s, f.upload.organization_id), f.upload.sha256));
    TRY(storage::blobs::put(organisation_files(s, organization_id), bytes));
  }
  return out;
}

Result<void> attach_request_files(storage::Connection& c, const Actor& actor, const std::vector<RequestFile>& files) {
  for (const auto& f : files) {
    ASSIGN_OR_RETURN(bool taken, storage::staged_uploads::take(c, actor.user_id, f.upload.id));
    if (!taken)
      return fail(Code::conflict, "The upload " + f.upload.id + " was taken by another request meanwhile; upload it again.");
    TRY(storage::attachments::insert(c, f.attachment));
  }
  return {};
}

namespace {

// A content file removed when no attachment, upload or evidence refers to it; whether it was.
// Holds `Services::attachment_files` exclusively while it decides, so that an upload about to
// refer to the content is not robbed of it.
Result<bool> remove_if_unused(const Services& s, const storage::blobs::StoredFile& file) {
  std::unique_lock deciding(*s.attachment_files);
  if (!file.sha256.empty()) {
    ASSIGN_OR_RETURN(bool in_use, s.db.read([&](storage::Connection& c) -> Result<bool> {
      ASSIGN_OR_RETURN(bool attached, storage::attachments::content_in_use(c, file.organization_id, file.sha256));
      if (attached || file.organization_id.empty()) return attached;
      return storage::requirement_evidence::content_in_use(c, file.organization_id, file.sha256);
    }));
    if (in_use) return false;
  }
  TRY(storage::blobs::remove(file));
  return true;
}

}  // namespace

Result<std::int64_t> remove_unused_files(const Services& s, const std::vector<std::pair<std::string, std::string>>& contents) {
  std::int64_t removed = 0;
  for (const auto& [organization_id, sha256] : contents) {
    auto dir = organisation_files(s, organization_id);
    storage::blobs::StoredFile file{dir / sha256.substr(0, 2) / sha256, organization_id, sha256, 0};
    std::error_code ec;
    if (!std::filesystem::exists(file.path, ec)) continue;
    ASSIGN_OR_RETURN(bool gone, remove_if_unused(s, file));
    removed += gone;
  }
  return removed;
}

Result<FileSweep> sweep_attachment_files(const Services& s, std::stop_token stop, std::chrono::seconds grace) {
  // Uploads no request took within their day go first, so that their content is unreferenced.
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::staged_uploads::remove_older_than(c, to_millis(s.clock.now()) - kStagedUploadLifeMs));
    return {};
  }));
  ASSIGN_OR_RETURN(auto files, storage::blobs::list(s.attachments_dir));
  FileSweep sweep;
  auto written_before = std::filesystem::file_time_type::clock::now() - grace;
  for (const auto& file : files) {
    if (stop.stop_requested()) break;
    std::error_code ec;
    if (grace.count() > 0 && std::filesystem::last_write_time(file.path, ec) > written_before && !ec) {
      ++sweep.kept;
      continue;
    }
    ASSIGN_OR_RETURN(bool removed, remove_if_unused(s, file));
    if (!removed) {
      ++sweep.kept;
      continue;
    }
    ++sweep.removed;
    sweep.bytes_removed += file.size;
  }
  return sweep;
}

}  // namespace tandem::usecase
