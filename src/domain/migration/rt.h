// OFF-3: what a Request Tracker's words mean here. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/tickets/ticket.h"

namespace tandem::migration {

// RFC 4648 base64 (REST2 sends attachment content so), line breaks allowed; nullopt for anything
// else.
std::optional<std::string> decode_base64(std::string_view text);

// An RT ticket status as a state of the incident workflow: new → new, open → in_progress,
// stalled → waiting_for_user, resolved → resolved, rejected → cancelled; nullopt for deleted (not
// imported) and anything unknown.
std::optional<std::string> incident_state_from_rt(std::string_view status);

// The channel a message came through, from the X-RT-Interface header of its MIME headers
// (Email, REST, Web, CLI…): email for Email, api for REST and CLI, portal otherwise.
tickets::Channel channel_from_rt_headers(std::string_view headers);

// RT's "never" (1970-01-01T00:00:00Z) as no time at all.
bool is_rt_unset_time(std::string_view text);

}  // namespace tandem::migration
