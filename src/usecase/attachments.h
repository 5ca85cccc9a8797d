// Attachments on tickets (issue "Service desk core" §4): uploaded by anyone who may comment,
// internal ones by staff only; downloaded with the rights of the ticket (and of internal notes).
#pragma once

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/attachments.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace tandem::usecase {

// Where an organisation's files are: each organisation's apart (storage/attachments.h).
std::filesystem::path organisation_files(const Services& s, const std::string& organization_id);

struct Upload {
  std::string client_name;  // sanitised with tickets::safe_file_name
  std::string_view bytes;
  storage::Visibility visibility = storage::Visibility::public_;
};
Result<storage::Attachment> add_attachment(const Services& s, const identity::Actor& actor, std::string_view ticket_id,
                                           const Upload& upload, tickets::Channel arrived_through);

struct Download {
  storage::Attachment attachment;
  std::string bytes;
};
Result<Download> get_attachment(const Services& s, const identity::Actor& actor, std::string_view id);

// REL-2: a file for a catalog request's form, uploaded before the request exists (POST
// /api/v1/uploads). It is its uploader's alone, for a day, and at most kMaxStagedUploads a day.
inline constexpr std::int64_t kStagedUploadLifeMs = 24 * 3600 * 1000;
inline constexpr std::int64_t kMaxStagedUploads = 50;
Result<storage::StagedUpload> stage_upload(const Services& s, const identity::Actor& actor, std::string_view client_name,
                                           std::string_view bytes);

// The uploads a request's answers name, on their way to being attachments of its ticket.
struct RequestFile {
  std::string field;  // the form field's key
  storage::StagedUpload upload;
  storage::Attachment attachment;  // id, name, size and type set; ticket and event when attached
};
// Before the request's transaction: the actor's own uploads by id (a missing one is a problem of
// "answers.<field>", in `language`), their content in `organization_id`'s files — copied there
// when the uploader is of another organisation (staff acting for a user). The caller holds
// `Services::attachment_files` shared until the request is committed.
Result<std::vector<RequestFile>> find_request_files(const Services& s, const identity::Actor& actor,
                                                    const std::vector<std::pair<std::string, std::string>>& ids_by_field,
                                                    const std::string& organization_id, std::string_view language);
// In the request's transaction, after its ticket is written: takes each upload — refusing one
// that another request took meanwhile — and writes its attachment.
Result<void> attach_request_files(storage::Connection& c, const identity::Actor& actor, const std::vector<RequestFile>& files);

// OFF-1: the content files of these (organisation, sha256) pairs removed where nothing refers to
// them any more (an erased person's uploads); how many.
Result<std::int64_t> remove_unused_files(const Services& s, const std::vector<std::pair<std::string, std::string>>& contents);

struct FileSweep {
  std::int64_t removed = 0;
  std::uintmax_t bytes_removed = 0;
  std::int64_t kept = 0;
};
// Removes uploads for requests older than their day, then content files no attachment, upload
// or evidence (requirements.h) refers to — left when an upload's transaction failed after its
// file was written, or by those uploads — and temporary files of uploads that never finished.
// An upload holds `Services::attachment_files` shared from writing its file until its row is committed;
// the sweep holds it exclusively while it decides on a file, so it never removes content an
// upload is about to refer to. Run it in the serving process: it is the one that uploads.
// Stops between files when `stop` is requested.
// `grace`: files written more recently are left, as another process (`tandem mailgate`, an
// import) may be about to refer to them in a transaction not yet committed; the in-process lock
// cannot see those.
Result<FileSweep> sweep_attachment_files(const Services& s, std::stop_token stop = {}, std::chrono::seconds grace = std::chrono::seconds(0));

}  // namespace tandem::usecase
