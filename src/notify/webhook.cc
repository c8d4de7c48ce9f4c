// PostWebhook: one signed JSON POST through libcurl.

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "notify/curl_easy.h"
#include "notify/notify.h"

#include <curl/curl.h>

namespace accredit::notify {
namespace {

constexpr std::size_t kMaxResponseKept = 512;
constexpr std::size_t kMaxTokenLength = 200;

// "sha256=" + lower-case hex HMAC-SHA256(secret, body).
Result<std::string> Signature(std::string_view secret, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t len = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac.data(),
                mac.size(), &len) == nullptr) {
    return Err(ErrorCode::kInternal, "the webhook could not be signed", {}, "EVP_Q_mac failed");
  }
  return "sha256=" + HexEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), len));
}

// An event name or delivery id goes into a header: visible ASCII only, so no header injection.
Status CheckToken(std::string_view value, const char* field) {
  const bool ok =
      !value.empty() && value.size() <= kMaxTokenLength &&
      std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  if (!ok) {
    return Err(ErrorCode::kInvalidArgument,
               "must be 1 to 200 visible ASCII characters without spaces", field);
  }
  return Status::Ok();
}

Result<internal::CurlSlist> RequestHeaders(const WebhookConfig& cfg, std::string_view event,
                                           std::string_view delivery_id,
                                           std::string_view json_body) {
  internal::CurlSlist headers;
  ACC_RETURN_IF_ERROR(internal::Append(headers, "Content-Type: application/json"));
  ACC_RETURN_IF_ERROR(internal::Append(headers, "X-Accredit-Event: " + std::string(event)));
  ACC_RETURN_IF_ERROR(
      internal::Append(headers, "X-Accredit-Delivery: " + std::string(delivery_id)));
  if (!cfg.secret.empty()) {
    ACC_ASSIGN_OR_RETURN(const std::string signature, Signature(cfg.secret, json_body));
    ACC_RETURN_IF_ERROR(internal::Append(headers, "X-Accredit-Signature: " + signature));
  }
  // No "Expect: 100-continue" round trip for larger bodies.
  ACC_RETURN_IF_ERROR(internal::Append(headers, "Expect:"));
  return headers;
}

std::size_t KeepResponse(char* buffer, std::size_t size, std::size_t nitems, void* userdata) {
  auto* kept = static_cast<std::string*>(userdata);
  const std::size_t n = size * nitems;
  if (kept->size() < kMaxResponseKept) {
    kept->append(buffer, std::min(n, kMaxResponseKept - kept->size()));
  }
  return n;
}

}  // namespace

Status PostWebhook(const WebhookConfig& cfg, std::string_view event, std::string_view delivery_id,
                   std::string_view json_body) {
  if (!internal::HasScheme(cfg.url, {"http://", "https://"})) {
    return Err(ErrorCode::kInvalidArgument, "must start with http:// or https://", "url");
  }
  if (cfg.timeout.count() <= 0) {
    return Err(ErrorCode::kInvalidArgument, "must be positive", "timeout");
  }
  ACC_RETURN_IF_ERROR(CheckToken(event, "event"));
  ACC_RETURN_IF_ERROR(CheckToken(delivery_id, "delivery_id"));
  if (!nlohmann::json::accept(json_body)) {
    return Err(ErrorCode::kInvalidArgument, "must be valid JSON", "json_body");
  }

  ACC_ASSIGN_OR_RETURN(const internal::CurlSlist headers,
                       RequestHeaders(cfg, event, delivery_id, json_body));
  ACC_ASSIGN_OR_RETURN(internal::CurlEasy easy, internal::NewEasy());
  CURL* c = easy.get();
  std::string response;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  const std::array<CURLcode, 16> set = {
      curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer.data()),
      curl_easy_setopt(c, CURLOPT_URL, cfg.url.c_str()),
      curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"),
      curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L),
      curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L),
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg.timeout.count())),  // NOLINT
      curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(cfg.timeout.count())),  // NOLINT(google-runtime-int)
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L),
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L),
      cfg.ca_file.empty() ? CURLE_OK : curl_easy_setopt(c, CURLOPT_CAINFO, cfg.ca_file.c_str()),
      curl_easy_setopt(c, CURLOPT_USERAGENT, "accredit-notify"),
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()),
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json_body.size())),
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body.data()),
      curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &KeepResponse),
      curl_easy_setopt(c, CURLOPT_WRITEDATA, &response),
  };
  for (CURLcode rc : set) {
    if (rc != CURLE_OK) {
      return Err(ErrorCode::kInternal, "the webhook client could not be configured", {},
                 std::string("curl_easy_setopt: ") + curl_easy_strerror(rc));
    }
  }

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Err(ErrorCode::kUnavailable,
               internal::DescribeCurlError("webhook delivery", rc, error_buffer.data()), {},
               "curl code " + std::to_string(rc));
  }
  long status = 0;  // NOLINT(google-runtime-int): libcurl's type
  if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) {
    return Err(ErrorCode::kInternal, "the webhook response could not be read", {},
               "curl_easy_getinfo(CURLINFO_RESPONSE_CODE)");
  }
  if (status < 200 || status > 299) {
    // The receiver's body may hold anything; it stays in the internal message.
    return Err(ErrorCode::kUnavailable,
               "webhook delivery failed: the receiver answered HTTP " + std::to_string(status), {},
               "response body (first 512 bytes): " + response);
  }
  return Status::Ok();
}

}  // namespace accredit::notify
