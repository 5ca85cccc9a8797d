// ONB-13: SCIM PATCH (RFC 7644 §3.5.2) applied to a resource as JSON: `add`, `replace` and
// `remove`, with or without a path, paths with a value filter (`emails[type eq "work"].value`,
// `members[value eq "…"]`), operation names in any case (Entra ID sends `Replace`), and a
// path-less value whose keys are paths themselves (`{"name.givenName": "…"}`). The caller reads
// the patched resource back as it reads a PUT, so a PATCH can ask nothing a PUT cannot.
#pragma once

#include "http/scim_filter.h"

namespace tandem::http::scim {

inline constexpr std::string_view kPatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

// Applies every operation of a PatchOp body in order; nothing of `resource` is kept changed on an
// error (it works on a copy). Errors: invalid_argument with the slug `invalidSyntax`,
// `invalidPath`, `noTarget` or `invalidValue`.
Result<void> apply_patch(Json& resource, const Json& body);

}  // namespace tandem::http::scim
