#pragma once

// notify: the transport layer for reminders (issue 4, point 7). E-mail over SMTP through libcurl
// (STARTTLS required unless the configuration says otherwise, never a silent downgrade) and JSON
// webhooks signed with HMAC-SHA256. Each call is one synchronous delivery attempt with a
// timeout; deciding what to send, when, and recording that it was sent belongs to the caller
// (the reminder scheduler). Nothing here reads the system clock or logs: errors are values, and
// no error message carries a password, a webhook secret or a URL (which may hold a token).

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace accredit::notify {

struct SmtpConfig {
  // "smtp://host:port" (plain connection upgraded with STARTTLS according to `tls`) or
  // "smtps://host:port" (TLS from the first byte). An optional path names the EHLO domain
  // ("smtp://mail.example:587/supplier.example").
  std::string url;
  // kStartTlsRequired: STARTTLS must succeed or nothing is sent. kNone: plain text, only for a
  // relay on a trusted network; credentials are refused on such a connection.
  enum class Tls { kNone, kStartTlsRequired };
  Tls tls = Tls::kStartTlsRequired;
  std::string ca_file;   // PEM bundle to verify the server; empty: the system store
  std::string username;  // optional AUTH (libcurl picks the mechanism); never in errors
  std::string password;
  // Envelope sender and header From: "accredit <accredit@supplier.example>" or a bare address.
  std::string from;
  std::chrono::milliseconds timeout{15000};  // whole conversation, connect included
};

struct Mail {
  // Recipients: bare addresses or "Name <address>". Every one goes in To and in the envelope.
  std::vector<std::string> to;
  std::string subject;    // UTF-8; RFC 2047-encoded when not plain ASCII
  std::string text_body;  // UTF-8 plain text; any line ending (sent as CRLF)
  // "left@right" (angle brackets optional): stable for one reminder, so that a resend after a
  // crash is recognisable as the same message. MakeMessageId builds one from a stable key.
  std::string message_id;
  // Further header fields ("Auto-Submitted" is always set to "auto-generated"). Names must be
  // RFC 5322 field names and may not repeat a field BuildMessage writes; values are single-line
  // (non-ASCII values are RFC 2047-encoded).
  std::map<std::string, std::string> extra_headers;
};

// The RFC 5322 message SendMail transmits (CRLF line endings, no dot-stuffing: libcurl does
// that on the wire). `date` is the Date header (written in UTC, "+0000"); the system clock is
// never read. The body is 7bit when it is ASCII with lines of at most 998 octets, else
// quoted-printable UTF-8. kInvalidArgument (naming the field) for a missing or malformed
// address, Message-ID or header, a CR or LF in a header value, or text that is not UTF-8.
Result<std::string> BuildMessage(const SmtpConfig& cfg, const Mail& mail, Instant date);

// Sends `mail` once. kInvalidArgument for a bad configuration or mail (nothing is sent);
// kUnavailable when the server cannot be reached, TLS cannot be established or verified, or the
// server refuses (the message then holds the server's reply, e.g. "550 5.1.1 no such user").
// Either every recipient was accepted and the message was taken, or the server took nothing.
Status SendMail(const SmtpConfig& cfg, const Mail& mail, Instant date);

// "<32 hex digits>@<domain of cfg.from>": a Message-ID derived from `stable_key` (for example
// "obligation 42 / 5wd-before"), the same every time it is built from the same key and sender.
std::string MakeMessageId(const SmtpConfig& cfg, std::string_view stable_key);

struct WebhookConfig {
  std::string url;      // http:// or https://; redirects are not followed
  std::string secret;   // HMAC-SHA256 key; empty: the request is not signed
  std::string ca_file;  // PEM bundle to verify an https server; empty: the system store
  std::chrono::milliseconds timeout{10000};
};

// POSTs `json_body` (which must be valid JSON) with Content-Type: application/json and headers
// X-Accredit-Event: <event>, X-Accredit-Delivery: <delivery_id> and, when cfg.secret is set,
// X-Accredit-Signature: sha256=<lower-case hex HMAC-SHA256(secret, json_body)>. A 2xx answer is
// success; any other status is kUnavailable naming the status ("HTTP 500"); a transport or TLS
// failure is kUnavailable. kInvalidArgument for a bad URL, event, delivery id or body.
Status PostWebhook(const WebhookConfig& cfg, std::string_view event, std::string_view delivery_id,
                   std::string_view json_body);

}  // namespace accredit::notify
