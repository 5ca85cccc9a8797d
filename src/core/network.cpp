#include "core/network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>

namespace tandem {
namespace {

bool local_v4(std::uint32_t a) {  // host byte order
  auto in = [a](std::uint32_t net, int bits) {
    return bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits));
  };
  return in(0x00000000, 8)      // "this network", unspecified
         || in(0x0A000000, 8)   // 10/8
         || in(0x64400000, 10)  // 100.64/10, shared address space
         || in(0x7F000000, 8)   // loopback
         || in(0xA9FE0000, 16)  // link-local, metadata services
         || in(0xAC100000, 12)  // 172.16/12
         || in(0xC0A80000, 16)  // 192.168/16
         || in(0xC0000000, 24)  // 192.0.0/24, protocol assignments
         || in(0xC6120000, 15)  // 198.18/15, benchmarking
         || in(0xE0000000, 4)   // multicast
         || in(0xF0000000, 4);  // reserved and broadcast
}

bool local_v6(const in6_addr& a) {
  const auto* b = a.s6_addr;
  static constexpr std::array<std::uint8_t, 16> kZero{};
  if (std::memcmp(b, kZero.data(), 12) == 0) {  // ::, ::1 and the deprecated IPv4-compatible form
    std::uint32_t v4 = (std::uint32_t(b[12]) << 24) | (b[13] << 16) | (b[14] << 8) | b[15];
    return v4 <= 1 || local_v4(v4);
  }
  static constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped.data(), 12) == 0)
    return local_v4((std::uint32_t(b[12]) << 24) | (b[13] << 16) | (b[14] << 8) | b[15]);
  return (b[0] & 0xfe) == 0xfc                       // fc00::/7, unique local
         || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)  // fe80::/10, link-local
         || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)  // fec0::/10, old site-local
         || b[0] == 0xff;                            // multicast
}

}  // namespace

bool in_local_network(const sockaddr& address) {
  if (address.sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, &address, sizeof in);
    return local_v4(ntohl(in.sin_addr.s_addr));
  }
  if (address.sa_family == AF_INET6) {
    sockaddr_in6 in;
    std::memcpy(&in, &address, sizeof in);
    return local_v6(in.sin6_addr);
  }
  return true;  // anything else (a Unix socket) is this machine
}

std::optional<bool> host_in_local_network(std::string_view host) {
  if (host.size() > 1 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  // A fully qualified name's final dot names the same host ("localhost." is localhost).
  if (host.size() > 1 && host.back() == '.') host.remove_suffix(1);
  std::string text(host);
  for (auto& ch : text) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  if (text == "localhost" || text.ends_with(".localhost")) return true;
  // inet_aton, not inet_pton: the resolver also reads 127.1, 0x7f.0.0.1 and 2130706433 as
  // addresses, and so would the client sending to them.
  in_addr v4;
  if (inet_aton(text.c_str(), &v4) != 0) return local_v4(ntohl(v4.s_addr));
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return local_v6(v6);
  return std::nullopt;
}

std::string_view url_host(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  if (authority.starts_with('[')) return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.find(':'));
}

}  // namespace tandem
