#pragma once

// core: the foundations every other module stands on. Errors as values (Status, Result<T>),
// the Clock seam, civil dates and Europe/London time, the working-day calendar, and access to
// the files compiled into the binary (templates, CSS). Nothing here touches the database.

#include <optional>
#include <string_view>
#include <vector>

#include "core/calendar.h"    // IWYU pragma: export
#include "core/clock.h"       // IWYU pragma: export
#include "core/crypto.h"      // IWYU pragma: export
#include "core/mutex.h"       // IWYU pragma: export
#include "core/secret_box.h"  // IWYU pragma: export
#include "core/status.h"      // IWYU pragma: export
#include "core/text.h"        // IWYU pragma: export
#include "core/time.h"        // IWYU pragma: export

namespace accredit::assets {
// Files under web/ compiled into the binary (cmake/EmbedFiles.cmake); path relative to web/,
// e.g. "templates/layout.html". Defined by the generated accredit_web_assets library.
std::optional<std::string_view> Find(std::string_view path);
std::vector<std::string_view> List();
}  // namespace accredit::assets
