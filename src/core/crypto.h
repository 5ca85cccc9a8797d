// Thin wrappers over libsodium (ARCHITECTURE.md): randomness, hashing, constant-time compare,
// Argon2id passwords. Call init_crypto() once before anything else.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tandem {

void init_crypto();
void random_bytes(std::span<std::uint8_t> out);
// `bytes` random bytes as unpadded base64url text.
std::string random_token(std::size_t bytes = 32);
// Standard base64 (RFC 4648 §4, padded or not; line breaks and spaces skipped) as bytes;
// nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);
// SHA-256 as lowercase hex.
std::string sha256_hex(std::string_view data);
// HMAC-SHA256 of `data` under `key` (any length), as lowercase hex: webhook signatures.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
bool constant_time_equal(std::string_view a, std::string_view b);

enum class PasswordCost { interactive, minimal };  // minimal only for tests and benchmarks
// Argon2id in libsodium's self-describing string form; nullopt when memory is exhausted.
std::optional<std::string> hash_password(std::string_view password, PasswordCost cost);
bool verify_password(std::string_view hash, std::string_view password);

}  // namespace tandem
