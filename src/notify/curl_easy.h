#pragma once

// Internal to notify: libcurl handles wrapped at acquisition (STYLE rule 14) and the one-time
// global initialisation.

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "core/core.h"

#include <curl/curl.h>

namespace accredit::notify::internal {

struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// A new easy handle, after curl_global_init has run exactly once in the process (thread-safe).
// kInternal if libcurl cannot be initialised.
Result<CurlEasy> NewEasy();

// Appends a copy of `item` to `list`. kInternal on allocation failure.
Status Append(CurlSlist& list, const std::string& item);

// "<what> failed: <curl's text>[: <detail from the error buffer>]".
std::string DescribeCurlError(std::string_view what, CURLcode rc, const char* error_buffer);

// True when `url` starts with one of `schemes` ("smtp://"), ignoring case.
bool HasScheme(std::string_view url, std::initializer_list<std::string_view> schemes);

}  // namespace accredit::notify::internal
