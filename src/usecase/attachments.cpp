#include "usecase/attachments.h"

#include "domain/tickets/attachment.h"
#include "usecase/ticket_draft.h"
#include "usecase/validation.h"

namespace tandem::usecase {

using namespace drafting;

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
  // Check sight of the ticket before writing anything to disk.
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    TRY(load_ticket(c, actor, ticket_id));
    return {};
  }));
  // The content is written first: a failed transaction leaves an unreferenced file, never a row
  // without its content.
  ASSIGN_OR_RETURN(auto sha, storage::blobs::put(s.attachments_dir, upload.bytes));
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
  ASSIGN_OR_RETURN(auto bytes, storage::blobs::get(s.attachments_dir, found->sha256));
  return Download{std::move(*found), std::move(bytes)};
}

}  // namespace tandem::usecase
