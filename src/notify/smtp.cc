// SendMail: one SMTP delivery through libcurl.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>
#include <string_view>

#include "notify/curl_easy.h"
#include "notify/mime.h"
#include "notify/notify.h"

#include <curl/curl.h>

namespace accredit::notify {
namespace {

struct UploadSource {
  std::string_view data;
  std::size_t pos = 0;
};

std::size_t ReadMessage(char* buffer, std::size_t size, std::size_t nitems, void* userdata) {
  auto* src = static_cast<UploadSource*>(userdata);
  const std::size_t n = std::min(size * nitems, src->data.size() - src->pos);
  std::memcpy(buffer, src->data.data() + src->pos, n);
  src->pos += n;
  return n;
}

// libcurl hands every SMTP reply line to the header callback; we keep the last one whose code is
// 4xx or 5xx, which is the refusal that ended the conversation. The server never echoes
// credentials, so the reply is safe to show.
struct ServerReply {
  std::string refusal;
};

std::size_t OnReplyLine(char* buffer, std::size_t size, std::size_t nitems, void* userdata) {
  auto* reply = static_cast<ServerReply*>(userdata);
  const std::string_view line(buffer, size * nitems);
  if (line.size() >= 3 && (line[0] == '4' || line[0] == '5') &&
      std::isdigit(static_cast<unsigned char>(line[1])) != 0 &&
      std::isdigit(static_cast<unsigned char>(line[2])) != 0) {
    std::string clean;
    for (char c : line.substr(0, 300)) {
      if (c >= 0x20 && c < 0x7f) {
        clean.push_back(c);
      }
    }
    reply->refusal = clean;
  }
  return size * nitems;
}

}  // namespace

Status SendMail(const SmtpConfig& cfg, const Mail& mail, Instant date) {
  const bool implicit_tls = internal::HasScheme(cfg.url, {"smtps://"});
  if (!implicit_tls && !internal::HasScheme(cfg.url, {"smtp://"})) {
    return Err(ErrorCode::kInvalidArgument, "must start with smtp:// or smtps://", "url");
  }
  if (!cfg.username.empty() && cfg.tls == SmtpConfig::Tls::kNone && !implicit_tls) {
    return Err(ErrorCode::kInvalidArgument,
               "SMTP credentials are only sent over TLS (STARTTLS or smtps://)", "tls");
  }
  if (cfg.timeout.count() <= 0) {
    return Err(ErrorCode::kInvalidArgument, "must be positive", "timeout");
  }
  ACC_ASSIGN_OR_RETURN(const std::string message, BuildMessage(cfg, mail, date));
  ACC_ASSIGN_OR_RETURN(const internal::Mailbox from, internal::ParseMailbox(cfg.from, "from"));
  internal::CurlSlist recipients;
  for (const std::string& to : mail.to) {
    ACC_ASSIGN_OR_RETURN(const internal::Mailbox rcpt, internal::ParseMailbox(to, "to"));
    ACC_RETURN_IF_ERROR(internal::Append(recipients, "<" + rcpt.address + ">"));
  }
  const std::string mail_from = "<" + from.address + ">";

  ACC_ASSIGN_OR_RETURN(internal::CurlEasy easy, internal::NewEasy());
  CURL* c = easy.get();
  UploadSource source{message};
  ServerReply reply;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  const long use_ssl =  // NOLINT(google-runtime-int): libcurl takes long
      cfg.tls == SmtpConfig::Tls::kNone ? CURLUSESSL_NONE : CURLUSESSL_ALL;
  const std::array<CURLcode, 21> set = {
      curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer.data()),
      curl_easy_setopt(c, CURLOPT_URL, cfg.url.c_str()),
      curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps"),
      curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L),
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg.timeout.count())),  // NOLINT
      curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(cfg.timeout.count())),  // NOLINT(google-runtime-int)
      curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl),
      curl_easy_setopt(c, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2),
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L),
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L),
      cfg.ca_file.empty() ? CURLE_OK : curl_easy_setopt(c, CURLOPT_CAINFO, cfg.ca_file.c_str()),
      cfg.username.empty() ? CURLE_OK : curl_easy_setopt(c, CURLOPT_USERNAME, cfg.username.c_str()),
      cfg.username.empty() ? CURLE_OK : curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.password.c_str()),
      curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str()),
      curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get()),
      curl_easy_setopt(c, CURLOPT_UPLOAD, 1L),
      curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size())),
      curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadMessage),
      curl_easy_setopt(c, CURLOPT_READDATA, &source),
      curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnReplyLine),
      curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply),
  };
  for (CURLcode rc : set) {
    if (rc != CURLE_OK) {
      return Err(ErrorCode::kInternal, "the SMTP client could not be configured", {},
                 std::string("curl_easy_setopt: ") + curl_easy_strerror(rc));
    }
  }

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string text = internal::DescribeCurlError("SMTP delivery", rc, error_buffer.data());
    if (!reply.refusal.empty()) {
      text += "; server replied: " + reply.refusal;
    }
    return Err(ErrorCode::kUnavailable, text, {}, "curl code " + std::to_string(rc));
  }
  return Status::Ok();
}

}  // namespace accredit::notify
