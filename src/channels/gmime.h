// GMime for the mail channel's own files (mail in, mail out): references released on every
// path, and the library started once.
#pragma once

#include <gmime/gmime.h>

#include <memory>
#include <mutex>
#include <string>

namespace tandem::channels::gmime {

struct Unref {
  void operator()(gpointer p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using Ref = std::unique_ptr<T, Unref>;
struct Free {
  void operator()(gpointer p) const { g_free(p); }
};
using Text = std::unique_ptr<char, Free>;

inline void init() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace tandem::channels::gmime
