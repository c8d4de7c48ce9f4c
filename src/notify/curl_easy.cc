#include "notify/curl_easy.h"

#include <cctype>
#include <string>

namespace accredit::notify::internal {

Result<CurlEasy> NewEasy() {
  // curl_global_init is not thread-safe; a function-local static runs it exactly once.
  static const CURLcode kInit = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (kInit != CURLE_OK) {
    return Err(ErrorCode::kInternal, "the HTTP/SMTP client library could not be initialised", {},
               std::string("curl_global_init: ") + curl_easy_strerror(kInit));
  }
  CurlEasy easy(curl_easy_init());
  if (!easy) {
    return Err(ErrorCode::kInternal, "the HTTP/SMTP client library could not be initialised", {},
               "curl_easy_init returned null");
  }
  return easy;
}

Status Append(CurlSlist& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (grown == nullptr) {
    return Err(ErrorCode::kInternal, "out of memory", {}, "curl_slist_append");
  }
  static_cast<void>(list.release());  // `grown` is the same list with one more node
  list.reset(grown);
  return Status::Ok();
}

std::string DescribeCurlError(std::string_view what, CURLcode rc, const char* error_buffer) {
  std::string out(what);
  out += " failed: ";
  out += curl_easy_strerror(rc);
  if (error_buffer != nullptr && *error_buffer != '\0') {
    out += ": ";
    out += error_buffer;
  }
  return out;
}

bool HasScheme(std::string_view url, std::initializer_list<std::string_view> schemes) {
  for (std::string_view scheme : schemes) {
    if (url.size() < scheme.size()) {
      continue;
    }
    bool same = true;
    for (std::size_t i = 0; i < scheme.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(url[i])) == scheme[i];
    }
    if (same) {
      return true;
    }
  }
  return false;
}

}  // namespace accredit::notify::internal
