// Attachments on tickets (issue "Service desk core" §4): uploaded by anyone who may comment,
// internal ones by staff only; downloaded with the rights of the ticket (and of internal notes).
#pragma once

#include <stop_token>
#include <string>
#include <string_view>

#include "storage/attachments.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace tandem::usecase {

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

struct FileSweep {
  std::int64_t removed = 0;
  std::uintmax_t bytes_removed = 0;
  std::int64_t kept = 0;
};
// Removes content files no attachment refers to — left when an upload's transaction failed
// after its file was written — and temporary files of uploads that never finished. An upload
// holds `Services::attachment_files` shared from writing its file until its row is committed;
// the sweep holds it exclusively while it decides on a file, so it never removes content an
// upload is about to refer to. Run it in the serving process: it is the one that uploads.
// Stops between files when `stop` is requested.
Result<FileSweep> sweep_attachment_files(const Services& s, std::stop_token stop = {});

}  // namespace tandem::usecase
