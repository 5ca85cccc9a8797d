// Internal to domain/onboarding: each enumeration's words in one table, so that parsing and
// writing read the same ones (STYLE.md §10).
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace tandem::onboarding::names {

template <class E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
std::optional<E> parse(const Table<E, N>& table, std::string_view text) {
  for (auto [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view of(const Table<E, N>& table, E value) {
  for (auto [v, name] : table)
    if (v == value) return name;
  return "";
}

}  // namespace tandem::onboarding::names
