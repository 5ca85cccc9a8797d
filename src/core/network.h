// Where outbound calls may go (DESK-5 webhooks): an administrator names a receiver by URL, and
// without a guard that URL could reach what only the server itself should — its loopback, the
// provider's private network, a cloud's metadata service. These are the addresses refused unless
// the operator allows the local network (TANDEM_WEBHOOK_LOCAL_NETWORK).
#pragma once

#include <optional>
#include <string_view>

struct sockaddr;

namespace tandem {

// Loopback, private (RFC 1918, fc00::/7), shared (100.64/10), link-local (169.254/16 — where
// metadata services live — and fe80::/10), unspecified, multicast, broadcast, and the IPv4-mapped
// and NAT64-less compatible IPv6 forms of those IPv4 addresses.
bool in_local_network(const sockaddr& address);

// For a URL's host (brackets around IPv6 allowed): whether an address literal — or the name
// "localhost" — is in the local network; nullopt for any other name, decided once it resolves.
std::optional<bool> host_in_local_network(std::string_view host);

// The host of an http(s) URL as written: after the scheme and any user info, before the port
// and path; IPv6 keeps its brackets. Empty when there is none.
std::string_view url_host(std::string_view url);

}  // namespace tandem
