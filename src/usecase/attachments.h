// Attachments on tickets (issue "Service desk core" §4): uploaded by anyone who may comment,
// internal ones by staff only; downloaded with the rights of the ticket (and of internal notes).
#pragma once

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

}  // namespace tandem::usecase
