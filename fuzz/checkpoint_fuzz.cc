// Fuzzes Checkpoint::FromJson, which parses `accredit audit verify --checkpoint FILE` input.
// Invariants: never crashes or throws; a parsed checkpoint round-trips through ToJson.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit/audit.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cp = accredit::audit::Checkpoint::FromJson(text);
  if (!cp.ok()) {
    if (cp.error().message.empty()) {
      std::abort();  // every error must explain itself
    }
    return 0;
  }
  auto again = accredit::audit::Checkpoint::FromJson(cp->ToJson());
  if (!again.ok() || again->ToJson() != cp->ToJson() || again->ToText() != cp->ToText()) {
    std::abort();
  }
  return 0;
}
