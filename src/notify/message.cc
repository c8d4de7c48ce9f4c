// BuildMessage and MakeMessageId: the RFC 5322 text of a reminder e-mail.

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "notify/mime.h"
#include "notify/notify.h"

namespace accredit::notify {
namespace {

constexpr std::size_t kMaxSubjectBytes = 900;
constexpr std::size_t kMaxHeaderValueBytes = 900;
constexpr std::size_t kMaxLineOctets = 998;  // RFC 5322 2.1.1

// Fields BuildMessage writes itself, plus Cc/Bcc: recipients outside Mail::to would not be in the
// envelope (Bcc) or not be what the caller meant (Cc).
constexpr std::array<std::string_view, 12> kReservedFields = {
    "date",           "from",       "to",           "cc",           "bcc",
    "subject",        "message-id", "mime-version", "content-type", "content-transfer-encoding",
    "auto-submitted", "sender"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool HasLineBreak(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

Result<std::string> CheckMessageId(std::string_view id) {
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') {
    id = id.substr(1, id.size() - 2);
  }
  const auto at = id.find('@');
  bool ok = !id.empty() && id.size() <= 250 && at != std::string_view::npos && at > 0 &&
            at + 1 < id.size();
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    ok = ok && u > 0x20 && u < 0x7f && c != '<' && c != '>' && c != '"' && c != '\\';
  }
  if (!ok) {
    return Err(ErrorCode::kInvalidArgument,
               "must be \"left@right\" in printable ASCII without spaces (see MakeMessageId)",
               "message_id");
  }
  return "<" + std::string(id) + ">";
}

bool IsFieldName(std::string_view name) {
  if (name.empty() || name.size() > 76) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 33 && u <= 126 && c != ':';
  });
}

// True when the body can go as 7bit: ASCII, no NUL, no line longer than 998 octets.
bool Is7bit(std::string_view crlf_body) {
  std::size_t line = 0;
  for (char c : crlf_body) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0 || u >= 0x80) {
      return false;
    }
    if (c == '\r' || c == '\n') {
      line = 0;
    } else if (++line > kMaxLineOctets) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::string> BuildMessage(const SmtpConfig& cfg, const Mail& mail, Instant date) {
  ACC_ASSIGN_OR_RETURN(const internal::Mailbox from, internal::ParseMailbox(cfg.from, "from"));
  if (mail.to.empty()) {
    return Err(ErrorCode::kInvalidArgument, "at least one recipient is required", "to");
  }
  std::string to_value;
  std::size_t line = std::string_view("To: ").size();
  for (std::size_t i = 0; i < mail.to.size(); ++i) {
    ACC_ASSIGN_OR_RETURN(const internal::Mailbox rcpt,
                         internal::ParseMailbox(mail.to[i], "to[" + std::to_string(i) + "]"));
    const std::string formatted = internal::FormatMailbox(rcpt);
    if (i > 0) {
      to_value += ",";
      if (line + formatted.size() + 2 > 78) {
        to_value += "\r\n";
        line = 0;
      }
      to_value += " ";
      line += 2;
    }
    to_value += formatted;
    line += formatted.size();
  }
  if (HasLineBreak(mail.subject)) {
    return Err(ErrorCode::kInvalidArgument, "must be one line", "subject");
  }
  if (!accredit::IsValidUtf8(mail.subject)) {
    return Err(ErrorCode::kInvalidArgument, "must be UTF-8", "subject");
  }
  if (mail.subject.size() > kMaxSubjectBytes) {
    return Err(ErrorCode::kInvalidArgument, "is too long (at most 900 bytes)", "subject");
  }
  ACC_ASSIGN_OR_RETURN(const std::string message_id, CheckMessageId(mail.message_id));
  if (!accredit::IsValidUtf8(mail.text_body)) {
    return Err(ErrorCode::kInvalidArgument, "must be UTF-8", "text_body");
  }

  std::string out;
  out += "Date: " + internal::Rfc5322Date(date) + "\r\n";
  out += "From: " + internal::FormatMailbox(from) + "\r\n";
  out += "To: " + to_value + "\r\n";
  out += "Subject: " + internal::EncodeUnstructured(mail.subject, 9) + "\r\n";
  out += "Message-ID: " + message_id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  const std::string body = internal::NormalizeLineEndings(mail.text_body);
  const bool seven_bit = Is7bit(body);
  out += std::string("Content-Transfer-Encoding: ") + (seven_bit ? "7bit" : "quoted-printable") +
         "\r\n";
  // RFC 3834: tells auto-responders (out-of-office) not to answer.
  out += "Auto-Submitted: auto-generated\r\n";
  for (const auto& [name, value] : mail.extra_headers) {
    const std::string field = "extra_headers[" + name + "]";
    if (!IsFieldName(name)) {
      return Err(ErrorCode::kInvalidArgument, "is not a header field name", field);
    }
    if (std::find(kReservedFields.begin(), kReservedFields.end(), Lower(name)) !=
        kReservedFields.end()) {
      return Err(ErrorCode::kInvalidArgument, "is set by the mailer and cannot be overridden",
                 field);
    }
    if (HasLineBreak(value) || !accredit::IsValidUtf8(value) ||
        value.size() > kMaxHeaderValueBytes) {
      return Err(ErrorCode::kInvalidArgument, "must be one line of UTF-8 (at most 900 bytes)",
                 field);
    }
    out += name + ": " + internal::EncodeUnstructured(value, name.size() + 2) + "\r\n";
  }
  out += "\r\n";
  out += seven_bit ? body : internal::QuotedPrintable(body);
  return out;
}

std::string MakeMessageId(const SmtpConfig& cfg, std::string_view stable_key) {
  std::string domain = "accredit.invalid";
  std::string sender;
  if (auto from = internal::ParseMailbox(cfg.from, "from"); from.ok()) {
    sender = from->address;
    domain = sender.substr(sender.find('@') + 1);
  }
  std::string key = sender;
  key += '\n';
  key += stable_key;
  return Sha256Hex(key).substr(0, 32) + "@" + domain;
}

}  // namespace accredit::notify
