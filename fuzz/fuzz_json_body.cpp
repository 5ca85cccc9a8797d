// The request-body boundary: any bytes as a JSON body of POST /users and PATCH /users.
#include <cstdint>
#include <string>

#include "http/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tandem::http::Request r;
  r.headers["content-type"] = "application/json";
  r.body.assign(reinterpret_cast<const char*>(data), size);
  for (auto kind : {tandem::http::BodyKind::create, tandem::http::BodyKind::merge_patch}) {
    auto body = tandem::http::parse_json_object(r, kind);
    if (!body) continue;
    tandem::http::Fields f(*body, {"email", "name", "roles", "flags", "active", "expires_at"});
    (void)f.text("email", true);
    (void)f.text("name");
    (void)f.texts("roles");
    (void)f.boolean("active");
    (void)f.time_ms("expires_at");
    (void)f.finish();
  }
  return 0;
}
