// A stored file handed back (a ticket's attachment, a piece of evidence): always a download,
// never rendered in our origin, whatever its bytes claim to be.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace tandem::http {

Response download_response(std::string content_type, std::string_view file_name, std::string bytes);

}  // namespace tandem::http
