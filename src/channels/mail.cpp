#include "channels/mail.h"

#include <cerrno>
#include <memory>

#include "channels/gmime.h"
#include "core/crypto.h"
#include "core/log.h"
#include "domain/markup/sanitizer.h"
#include "domain/tickets/attachment.h"

namespace tandem::channels {
namespace {

using gmime::Ref;
using GString_ = gmime::Text;

std::string text_of(const char* s) { return s ? std::string(s) : std::string(); }

void init_gmime() { gmime::init(); }

// Mail labels its charset loosely: GB2312 mail holds GBK characters, Big5 mail HKSCS ones,
// ISO-8859-1 mail Windows-1252 quotes. Each is read as the superset that contains it.
std::string iconv_name(std::string charset) {
  for (auto& ch : charset) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  if (charset == "gb2312" || charset == "gbk" || charset == "x-gbk" || charset == "cp936" || charset == "euc-cn" || charset == "gb18030")
    return "GB18030";
  if (charset == "big5" || charset == "x-big5" || charset == "cn-big5" || charset == "big5-hkscs") return "BIG5-HKSCS";
  if (charset == "iso-8859-1" || charset == "latin1" || charset == "us-ascii" || charset == "ascii") return "WINDOWS-1252";
  if (charset == "ks_c_5601-1987" || charset == "euc-kr") return "CP949";
  return charset;
}

// `bytes` in `charset` as UTF-8. A byte the charset does not know becomes U+FFFD and the rest
// is read on, so one bad byte never costs the text; a charset iconv does not know is read as
// Windows-1252.
std::string to_utf8(const std::string& bytes, const std::string& charset) {
  auto name = iconv_name(charset.empty() ? "utf-8" : charset);
  if (name == "utf-8" || name == "utf8") {
    if (g_utf8_validate(bytes.data(), gssize(bytes.size()), nullptr)) return bytes;
    GString_ valid(g_utf8_make_valid(bytes.data(), gssize(bytes.size())));
    return text_of(valid.get());
  }
  GIConv cd = g_iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<GIConv>(-1)) cd = g_iconv_open("UTF-8", "WINDOWS-1252");
  if (cd == reinterpret_cast<GIConv>(-1)) return to_utf8(bytes, "utf-8");
  std::string out;
  char buffer[4096];
  auto* in = const_cast<char*>(bytes.data());
  gsize in_left = bytes.size();
  while (true) {
    char* at = buffer;
    gsize out_left = sizeof buffer;
    auto done = g_iconv(cd, in_left > 0 ? &in : nullptr, in_left > 0 ? &in_left : nullptr, &at, &out_left);
    out.append(buffer, std::size_t(at - buffer));
    if (done != gsize(-1)) {
      if (in_left == 0) break;
      continue;
    }
    if (errno == E2BIG) continue;  // the buffer is full: empty it and go on
    if (in_left == 0) break;
    out += "\xEF\xBF\xBD";  // EILSEQ, or EINVAL at the end: the byte is not text in this charset
    ++in;
    --in_left;
  }
  g_iconv_close(cd);
  return g_utf8_validate(out.data(), gssize(out.size()), nullptr) ? out : to_utf8(out, "utf-8");
}

// A part's content with its transfer encoding (base64, quoted-printable) undone.
std::string content_of(GMimePart* part) {
  auto* wrapper = g_mime_part_get_content(part);
  if (!wrapper) return "";
  Ref<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, mem.get());
  auto* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return array ? std::string(reinterpret_cast<const char*>(array->data), array->len) : std::string();
}

std::string mime_type_of(GMimeObject* object) {
  auto* type = g_mime_object_get_content_type(object);
  if (!type) return "text/plain";
  GString_ name(g_mime_content_type_get_mime_type(type));
  std::string out = text_of(name.get());
  for (auto& ch : out) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::vector<std::string> message_ids(const char* header) {
  std::vector<std::string> out;
  if (!header) return out;
  auto* refs = g_mime_references_parse(nullptr, header);
  if (!refs) return out;
  for (int i = 0; i < g_mime_references_length(refs); ++i) out.push_back(text_of(g_mime_references_get_message_id(refs, i)));
  g_mime_references_free(refs);
  return out;
}

void addresses(InternetAddressList* list, std::vector<std::string>& out, std::string* first_name = nullptr, std::string* first = nullptr) {
  if (!list) return;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    auto* address = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    auto addr = text_of(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)));
    if (first && first->empty()) {
      *first = addr;
      if (first_name) *first_name = text_of(internet_address_get_name(address));
    }
    out.push_back(std::move(addr));
  }
}

struct Walk {
  std::string plain, html;
  std::vector<usecase::MailFile> files;
  int alternative_depth = 0;  // inside multipart/alternative: one text of several says it all
};

void walk(GMimeObject* object, Walk& w) {
  if (GMIME_IS_MULTIPART(object)) {
    auto* multipart = GMIME_MULTIPART(object);
    bool alternative = mime_type_of(object) == "multipart/alternative";
    w.alternative_depth += alternative;
    for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) walk(g_mime_multipart_get_part(multipart, i), w);
    w.alternative_depth -= alternative;
    return;
  }
  if (GMIME_IS_MESSAGE_PART(object)) {
    // A forwarded message attached whole stays one file.
    auto* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (!inner) return;
    GString_ bytes(g_mime_object_to_string(GMIME_OBJECT(inner), nullptr));
    auto subject = text_of(g_mime_message_get_subject(inner));
    w.files.push_back({tickets::safe_file_name((subject.empty() ? "message" : subject) + ".eml"), "message/rfc822", text_of(bytes.get())});
    return;
  }
  if (!GMIME_IS_PART(object)) return;
  auto* part = GMIME_PART(object);
  auto type = mime_type_of(object);
  auto* disposition = g_mime_object_get_content_disposition(object);
  bool attachment = disposition && g_mime_content_disposition_is_attachment(disposition);
  auto name = text_of(g_mime_part_get_filename(part));
  if (GMIME_IS_TEXT_PART(object) && !attachment && name.empty() && (type == "text/plain" || type == "text/html")) {
    auto text = to_utf8(content_of(part), text_of(g_mime_text_part_get_charset(GMIME_TEXT_PART(object))));
    auto& into = type == "text/plain" ? w.plain : w.html;
    // Within an alternative the first of each kind says it all; elsewhere (text, an image, more
    // text) every part is the sender's.
    if (into.empty()) into = std::move(text);
    else if (w.alternative_depth == 0) into += (type == "text/plain" ? "\n\n" : "") + text;
    return;
  }
  // Everything else is a file: attachments, inline images, winmail.dat (application/ms-tnef).
  auto bytes = content_of(part);
  if (bytes.empty()) return;  // an empty part is no file
  if (name.empty()) name = "part-" + std::to_string(w.files.size() + 1) + (type == "text/calendar" ? ".ics" : "");
  w.files.push_back({tickets::safe_file_name(name), type, std::move(bytes)});
}

}  // namespace

std::optional<usecase::IncomingMail> read_mail(std::string_view raw) {
  init_gmime();
  Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  Ref<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message) return std::nullopt;
  usecase::IncomingMail m;
  auto* object = GMIME_OBJECT(message.get());
  m.message_id = text_of(g_mime_message_get_message_id(message.get()));
  if (m.message_id.empty() || m.message_id.size() > 500) m.message_id = "sha256:" + sha256_hex(raw);
  m.in_reply_to = message_ids(g_mime_object_get_header(object, "In-Reply-To"));
  m.references = message_ids(g_mime_object_get_header(object, "References"));
  std::vector<std::string> from;
  addresses(g_mime_message_get_from(message.get()), from, &m.from_name, &m.from_address);
  addresses(g_mime_message_get_to(message.get()), m.recipients);
  addresses(g_mime_message_get_cc(message.get()), m.recipients);
  addresses(g_mime_message_get_reply_to(message.get()), m.recipients);
  m.subject = text_of(g_mime_message_get_subject(message.get()));
  if (!g_utf8_validate(m.subject.data(), gssize(m.subject.size()), nullptr)) m.subject = to_utf8(m.subject, "windows-1252");
  auto* headers = g_mime_object_get_header_list(object);
  for (int i = 0; headers && i < g_mime_header_list_get_count(headers); ++i) {
    auto* h = g_mime_header_list_get_header_at(headers, i);
    m.headers.emplace_back(text_of(g_mime_header_get_name(h)), text_of(g_mime_header_get_value(h)));
  }
  m.content_type = mime_type_of(object);
  m.authentication_results = text_of(g_mime_object_get_header(object, "Authentication-Results"));
  if (auto* body = g_mime_message_get_mime_part(message.get())) {
    Walk w;
    walk(body, w);
    m.text = !w.plain.empty() ? w.plain : markup::html_to_text(w.html);
    m.attachments = std::move(w.files);
  }
  // Lines as people see them: CRLF from the wire becomes LF.
  std::string text;
  for (std::size_t i = 0; i < m.text.size(); ++i)
    if (!(m.text[i] == '\r' && i + 1 < m.text.size() && m.text[i + 1] == '\n')) text += m.text[i];
  m.text = std::move(text);
  return m;
}

MailgateResult mailgate(const usecase::Services& s, std::string_view raw, const std::optional<std::string>& channel_id,
                        std::size_t attachment_limit) {
  auto channel = usecase::mail_channel(s, channel_id);
  if (!channel) {
    // A channel named wrongly is the configuration's fault, and mail must not be lost meanwhile.
    return {kMailTryLater, "mailgate: " + channel.error().message};
  }
  auto mail = read_mail(raw);
  if (!mail) {
    auto logged = usecase::log_refused_delivery(s, *channel, 422, "invalid", "not an RFC 5322 message (" + std::to_string(raw.size()) + " bytes)");
    if (!logged) return {kMailTryLater, "mailgate: " + logged.error().message};
    return {kMailTaken, "mailgate: not a message; logged and dropped"};
  }
  auto filed = usecase::file_mail(s, *channel, *mail, attachment_limit);
  if (!filed) {
    auto code = filed.error().code;
    // What a retry cannot mend (a text too long for a ticket) is logged and taken; the rest —
    // a busy or unreachable store — is the MTA's to try again.
    if (code == Code::invalid_argument || code == Code::not_found || code == Code::permission_denied) {
      auto logged = usecase::log_refused_delivery(s, *channel, 422, "invalid", filed.error().message);
      if (logged) return {kMailTaken, "mailgate: " + mail->message_id + " refused: " + filed.error().message};
    }
    return {kMailTryLater, "mailgate: " + mail->message_id + ": " + filed.error().message};
  }
  return {kMailTaken, "mailgate: " + mail->message_id + " " + filed->outcome + (filed->ticket_id ? " " + *filed->ticket_id : "") + ": " +
                          filed->reason};
}

}  // namespace tandem::channels
