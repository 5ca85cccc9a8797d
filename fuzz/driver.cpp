// A small mutation driver for targets written against libFuzzer's interface
// (LLVMFuzzerTestOneInput). clang 14, the clang this platform ships, cannot compile
// libstdc++ 12's std::expected, so the targets are built with g++ and sanitizers and driven
// here: every seed first, then random mutations (byte flips, inserts, deletes, copies, splices of
// dictionary tokens). Without coverage guidance it finds less than libFuzzer would; the targets
// move to libFuzzer unchanged once the toolchain allows.
//
// usage: target CORPUS_DIR [--runs N] [--seconds S] [--seed K]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Present only in sanitizer builds; the plain build replays seeds without it.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

std::string current;

void save_current() {
  std::ofstream("crash-input", std::ios::binary) << current;
  std::fprintf(stderr, "the failing input is in ./crash-input (%zu bytes)\n", current.size());
}

const char* kTokens[] = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\\u0000", "\\ud800",
                         "\xff", "\xc3\xa9", "\xe5\xaf\x86", "@", ".", "/", "{id}", "%00", "..", "Z", "+08:00", "T"};

std::string mutate(std::string s, std::mt19937_64& rng) {
  int edits = 1 + int(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    auto pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 6) {
      case 0:
        if (!s.empty()) s[rng() % s.size()] ^= char(1u << (rng() % 8));
        break;
      case 1: s.insert(pos, 1, char(rng() % 256)); break;
      case 2:
        if (!s.empty()) s.erase(rng() % s.size(), 1 + rng() % 8);
        break;
      case 3:
        if (!s.empty()) {
          auto from = rng() % s.size();
          s.insert(pos, s.substr(from, 1 + rng() % 16));
        }
        break;
      case 4: s.insert(pos, kTokens[rng() % std::size(kTokens)]); break;
      case 5:
        if (!s.empty()) s.resize(rng() % s.size());
        break;
    }
    if (s.size() > 1 << 16) s.resize(1 << 16);
  }
  return s;
}

void run(const std::string& input) {
  current = input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(current.data()), current.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR [--runs N] [--seconds S] [--seed K]\n";
    return 2;
  }
  long runs = 0, seconds = 0;
  std::uint64_t seed = 1;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--runs") runs = std::stol(argv[i + 1]);
    else if (flag == "--seconds") seconds = std::stol(argv[i + 1]);
    else if (flag == "--seed") seed = std::stoull(argv[i + 1]);
  }
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(save_current);
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (corpus.empty()) corpus.emplace_back();
  for (const auto& seed_input : corpus) run(seed_input);
  std::mt19937_64 rng(seed);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  long done = 0;
  while ((runs > 0 && done < runs) || (seconds > 0 && std::chrono::steady_clock::now() < deadline)) {
    run(mutate(corpus[rng() % corpus.size()], rng));
    ++done;
  }
  std::cout << argv[0] << ": " << corpus.size() << " seeds and " << done << " mutations, no failure\n";
  return 0;
}
