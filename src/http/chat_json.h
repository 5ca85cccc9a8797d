// REL-3: chats, their messages and what a chat socket is told, as JSON — shared by the routes
// that read chats afterwards and the WebSocket that carries them live (server.cpp).
#pragma once

#include "http/dto.h"
#include "http/json_body.h"
#include "usecase/chat.h"

namespace tandem::http {

Json chat_message_json(const usecase::ChatMessageView& m);
// A chat as its parties see it; with the transcript when the view holds one.
Json chat_json(const usecase::ChatView& v, bool with_messages);
// One frame of the chat socket: {"type":"message","chat_id","message"} or {"type":"chat","chat"}.
std::string chat_frame(const usecase::ChatDelivery& d);
// {"type":"error","error":{…}}: what a socket's client sent was refused; nothing changed.
std::string chat_error_frame(const Error& e, std::string_view language);

}  // namespace tandem::http
