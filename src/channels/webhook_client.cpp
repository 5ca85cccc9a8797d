#include "channels/webhook_client.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <memory>
#include <mutex>

#include "core/network.h"

namespace tandem::channels {
namespace {

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// Decides on the address the name resolved to, as it is connected: a name that resolves into
// the local network (or changes its answer between a check and the connection) is caught here.
struct Guard {
  bool local_network_allowed = false;
  bool refused = false;
};

curl_socket_t open_socket(void* clientp, curlsocktype, curl_sockaddr* address) {
  auto* guard = static_cast<Guard*>(clientp);
  if (!guard->local_network_allowed && in_local_network(address->addr)) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace

CurlWebhookSender::CurlWebhookSender(bool local_network_allowed)
    : local_network_allowed_(local_network_allowed) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

usecase::PostOutcome CurlWebhookSender::post(const usecase::OutboundPost& request) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) return {0, "the HTTP client could not start"};
  curl_slist* raw = nullptr;
  for (const auto& [name, value] : request.headers)
    raw = curl_slist_append(raw, (name + ": " + value).c_str());
  raw = curl_slist_append(raw, "Expect:");  // no 100-continue round trip for larger bodies
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw, curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = {};
  auto* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   long(std::min<std::int64_t>(request.timeout.count(), 5000)));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  // No proxy from the environment: the local-network guard must see the receiver's address, not
  // a proxy's.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "Tandem-Webhook/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  Guard guard{local_network_allowed_ || request.local_network_allowed};
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &guard);
  auto code = curl_easy_perform(h);
  if (guard.refused && code != CURLE_OK)
    return {0, "the receiver's address is in the local network, which webhooks do not reach "
               "unless allowed (TANDEM_WEBHOOK_LOCAL_NETWORK=true for all; an outbound webhook's own local_network)"};
  if (code != CURLE_OK)
    return {0, error[0] ? std::string(error) : std::string(curl_easy_strerror(code))};
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  return {status, ""};
}

}  // namespace tandem::channels
