// BuildMessage: the RFC 5322 text of a reminder, checked against hand-written golden text (the
// encoded-word below was computed independently with Python's base64 module).

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "notify/notify.h"

namespace accredit::notify {
namespace {

Instant At(const char* iso) {
  return ParseInstant(iso).value();
}

SmtpConfig Config() {
  SmtpConfig cfg;
  cfg.url = "smtp://127.0.0.1:25";
  cfg.from = "accredit <accredit@supplier.example>";
  return cfg;
}

Mail Reminder() {
  Mail m;
  m.to = {"Security Manager <sm@customer.example>", "ops@supplier.example"};
  m.subject = "Notify the Customer \u2013 5 Nov";
  m.text_body =
      "Notify the Customer of the significant architecture change recorded on 3 Nov 2026\n"
      "(S2.4-5.13.1), due Thu 5 Nov 2026 23:59.\n"
      ".\n"
      ".. a line that starts with a dot\n";
  m.message_id = "d8aec86987a8956eaa087541aab05508@supplier.example";
  m.extra_headers = {{"X-Accredit-Obligation", "S2.4-5.13.1/42"}};
  return m;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto eol = text.find("\r\n", pos);
    if (eol == std::string_view::npos) {
      out.emplace_back(text.substr(pos));
      break;
    }
    out.emplace_back(text.substr(pos, eol - pos));
    pos = eol + 2;
  }
  return out;
}

bool OnlyCrlf(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
      return false;
    }
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
      return false;
    }
  }
  return true;
}

std::string Base64Decode(std::string_view in) {
  std::string out(in.size() / 4 * 3 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  EXPECT_GE(n, 0);
  auto len = static_cast<std::size_t>(n);
  for (std::size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) {
    --len;
  }
  out.resize(len);
  return out;
}

// Decodes the concatenated "=?UTF-8?B?...?=" words of an unfolded header value.
std::string DecodeWords(std::string_view value) {
  std::string out;
  std::size_t pos = 0;
  while ((pos = value.find("=?UTF-8?B?", pos)) != std::string_view::npos) {
    const auto end = value.find("?=", pos + 10);
    EXPECT_NE(end, std::string_view::npos);
    const std::string chunk = Base64Decode(value.substr(pos + 10, end - pos - 10));
    // A word never starts inside a UTF-8 sequence.
    EXPECT_FALSE(!chunk.empty() && (static_cast<unsigned char>(chunk[0]) & 0xc0U) == 0x80U);
    out += chunk;
    pos = end + 2;
  }
  return out;
}

std::string DecodeQuotedPrintable(std::string_view qp) {
  std::string out;
  for (std::size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] != '=') {
      out.push_back(qp[i]);
    } else if (qp.substr(i + 1, 2) == "\r\n") {
      i += 2;  // soft line break
    } else {
      unsigned v = 0;
      const auto hex = qp.substr(i + 1, 2);
      EXPECT_EQ(std::from_chars(hex.data(), hex.data() + hex.size(), v, 16).ec, std::errc());
      out.push_back(static_cast<char>(v));
      i += 2;
    }
  }
  return out;
}

// The header block's field with `name`, unfolded.
std::string Header(const std::string& raw, const std::string& name) {
  const std::string message = "\r\n" + raw;
  const auto start = message.find("\r\n" + name + ": ");
  if (start == std::string::npos) {
    return {};
  }
  std::string value;
  std::size_t pos = start + 2 + name.size() + 2;
  for (;;) {
    const auto eol = message.find("\r\n", pos);
    value += message.substr(pos, eol - pos);
    if (message[eol + 2] != ' ' && message[eol + 2] != '\t') {
      return value;
    }
    pos = eol + 2;
  }
}

TEST(BuildMessage, GoldenReminder) {
  auto msg = BuildMessage(Config(), Reminder(), At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok()) << msg.error().message << " " << msg.error().field;
  const std::string expected =
      "Date: Thu, 05 Nov 2026 14:03:00 +0000\r\n"
      "From: accredit <accredit@supplier.example>\r\n"
      "To: Security Manager <sm@customer.example>, ops@supplier.example\r\n"
      "Subject: =?UTF-8?B?Tm90aWZ5IHRoZSBDdXN0b21lciDigJMgNSBOb3Y=?=\r\n"
      "Message-ID: <d8aec86987a8956eaa087541aab05508@supplier.example>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: 7bit\r\n"
      "Auto-Submitted: auto-generated\r\n"
      "X-Accredit-Obligation: S2.4-5.13.1/42\r\n"
      "\r\n"
      "Notify the Customer of the significant architecture change recorded on 3 Nov 2026\r\n"
      "(S2.4-5.13.1), due Thu 5 Nov 2026 23:59.\r\n"
      ".\r\n"
      ".. a line that starts with a dot\r\n";
  EXPECT_EQ(*msg, expected);
}

TEST(BuildMessage, DateIsThePassedInstantInUtc) {
  // 23:30 BST on 4 Apr 2026 is 22:30 UTC.
  auto msg = BuildMessage(Config(), Reminder(), At("2026-04-04T23:30:05+01:00"));
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(Header(*msg, "Date"), "Sat, 04 Apr 2026 22:30:05 +0000");
  EXPECT_EQ(msg->rfind("Date: ", 0), 0U);
}

TEST(BuildMessage, LineEndingsAreAlwaysCrlf) {
  Mail m = Reminder();
  m.text_body = "one\rtwo\r\nthree\nfour";
  auto msg = BuildMessage(Config(), m, At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok());
  EXPECT_TRUE(OnlyCrlf(*msg));
  EXPECT_TRUE(msg->ends_with("\r\n\r\none\r\ntwo\r\nthree\r\nfour\r\n"));
}

TEST(BuildMessage, NonAsciiBodyIsQuotedPrintable) {
  Mail m = Reminder();
  const std::string long_line(200, 'x');
  m.text_body = "Caf\u00e9 \u2013 due 5 Nov = soon \n" + long_line + "\ntrailing space \n";
  auto msg = BuildMessage(Config(), m, At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(Header(*msg, "Content-Transfer-Encoding"), "quoted-printable");
  const std::string body = msg->substr(msg->find("\r\n\r\n") + 4);
  EXPECT_TRUE(body.starts_with("Caf=C3=A9 =E2=80=93 due 5 Nov =3D soon=20\r\n")) << body;
  for (const std::string& line : Lines(body)) {
    EXPECT_LE(line.size(), 76U) << line;
  }
  EXPECT_TRUE(OnlyCrlf(*msg));
  EXPECT_EQ(DecodeQuotedPrintable(body),
            "Caf\u00e9 \u2013 due 5 Nov = soon \r\n" + long_line + "\r\ntrailing space \r\n");
}

TEST(BuildMessage, LongAsciiLineIsQuotedPrintable) {
  Mail m = Reminder();
  m.text_body = std::string(1200, 'y');
  auto msg = BuildMessage(Config(), m, At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(Header(*msg, "Content-Transfer-Encoding"), "quoted-printable");
  const std::string body = msg->substr(msg->find("\r\n\r\n") + 4);
  EXPECT_EQ(DecodeQuotedPrintable(body), std::string(1200, 'y') + "\r\n");
}

TEST(BuildMessage, LongUtf8SubjectIsFoldedIntoWholeCharacterWords) {
  Mail m = Reminder();
  m.subject =
      "Pr\u00e9venir le client \u2013 changement d\u2019architecture significatif \u2013 "
      "\u00e9ch\u00e9ance jeudi 5 novembre 2026 23:59 \u2014 S2.4-5.13.1 \u2603\u2603\u2603";
  auto msg = BuildMessage(Config(), m, At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok());
  const auto start = msg->find("\r\nSubject: ") + 2;
  const auto end = msg->find("\r\nMessage-ID: ");
  const std::string field = msg->substr(start, end - start);
  const std::vector<std::string> lines = Lines(field);
  EXPECT_GT(lines.size(), 2U);
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 76U) << line;
  }
  EXPECT_EQ(DecodeWords(Header(*msg, "Subject")), m.subject);
}

TEST(BuildMessage, DisplayNamesAreQuotedOrEncoded) {
  SmtpConfig cfg = Config();
  cfg.from = "Acme, Ltd. \"Security\" <accredit@acme.example>";
  Mail m = Reminder();
  m.to = {"Zo\u00eb Ops <zoe@customer.example>", "\"Already Quoted\" <aq@customer.example>"};
  auto msg = BuildMessage(cfg, m, At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok()) << msg.error().message;
  EXPECT_EQ(Header(*msg, "From"), "\"Acme, Ltd. \\\"Security\\\"\" <accredit@acme.example>");
  const std::string to = Header(*msg, "To");
  EXPECT_EQ(to.substr(0, 24), "=?UTF-8?B?Wm/DqyBPcHM=?=") << to;
  EXPECT_NE(to.find(" <zoe@customer.example>, Already Quoted <aq@customer.example>"),
            std::string::npos)
      << to;
}

TEST(BuildMessage, ManyRecipientsAreFolded) {
  Mail m = Reminder();
  m.to.clear();
  for (int i = 0; i < 12; ++i) {
    m.to.push_back("Recipient Number " + std::to_string(i) + " <r" + std::to_string(i) +
                   "@customer.example>");
  }
  auto msg = BuildMessage(Config(), m, At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok());
  const std::string headers = msg->substr(0, msg->find("\r\n\r\n"));
  for (const std::string& line : Lines(headers)) {
    EXPECT_LE(line.size(), 78U) << line;
  }
  const std::string to = Header(*msg, "To");
  EXPECT_NE(to.find("<r0@customer.example>, Recipient Number 1"), std::string::npos);
  EXPECT_NE(to.find("<r11@customer.example>"), std::string::npos);
}

TEST(BuildMessage, MessageIdAcceptsAngleBrackets) {
  Mail m = Reminder();
  m.message_id = "<abc.123@supplier.example>";
  auto msg = BuildMessage(Config(), m, At("2026-11-05T14:03:00Z"));
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(Header(*msg, "Message-ID"), "<abc.123@supplier.example>");
}

struct BadInput {
  const char* name;
  void (*change)(SmtpConfig&, Mail&);
  const char* field;
};

TEST(BuildMessage, RefusesHeaderInjectionAndMalformedInput) {
  const std::vector<BadInput> cases = {
      {"subject with CRLF", [](SmtpConfig&, Mail& m) { m.subject = "Hi\r\nBcc: x@evil.example"; },
       "subject"},
      {"subject not UTF-8", [](SmtpConfig&, Mail& m) { m.subject = "bad \xff"; }, "subject"},
      {"no recipients", [](SmtpConfig&, Mail& m) { m.to.clear(); }, "to"},
      {"recipient without @", [](SmtpConfig&, Mail& m) { m.to = {"nobody"}; }, "to[0]"},
      {"recipient with LF",
       [](SmtpConfig&, Mail& m) {
         m.to = {"a@b.example", "c@d.example\nBcc: e@f.example"};
       },
       "to[1]"},
      {"bad sender", [](SmtpConfig& c, Mail&) { c.from = "accredit"; }, "from"},
      {"empty message id", [](SmtpConfig&, Mail& m) { m.message_id.clear(); }, "message_id"},
      {"message id with space", [](SmtpConfig&, Mail& m) { m.message_id = "a b@c"; }, "message_id"},
      {"reserved header",
       [](SmtpConfig&, Mail& m) {
         m.extra_headers = {{"bcc", "x@evil.example"}};
       },
       "extra_headers[bcc]"},
      {"header value with CR",
       [](SmtpConfig&, Mail& m) {
         m.extra_headers = {{"X-Note", "a\rTo: b"}};
       },
       "extra_headers[X-Note]"},
      {"header name with colon",
       [](SmtpConfig&, Mail& m) {
         m.extra_headers = {{"X:Y", "a"}};
       },
       "extra_headers[X:Y]"},
      {"body not UTF-8", [](SmtpConfig&, Mail& m) { m.text_body = "\xc3\x28"; }, "text_body"},
  };
  for (const BadInput& c : cases) {
    SmtpConfig cfg = Config();
    Mail m = Reminder();
    c.change(cfg, m);
    auto msg = BuildMessage(cfg, m, At("2026-11-05T14:03:00Z"));
    ASSERT_FALSE(msg.ok()) << c.name;
    EXPECT_EQ(msg.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(msg.error().field, c.field) << c.name;
  }
}

TEST(MakeMessageId, StableForTheSameKeyAndSender) {
  const SmtpConfig cfg = Config();
  // sha256("accredit@supplier.example\nobligation 42 / 5wd-before"), first 32 hex digits.
  EXPECT_EQ(MakeMessageId(cfg, "obligation 42 / 5wd-before"),
            "d8aec86987a8956eaa087541aab05508@supplier.example");
  EXPECT_EQ(MakeMessageId(cfg, "obligation 42 / 5wd-before"),
            MakeMessageId(cfg, "obligation 42 / 5wd-before"));
  EXPECT_NE(MakeMessageId(cfg, "obligation 42 / 1wd-before"),
            MakeMessageId(cfg, "obligation 42 / 5wd-before"));
  Mail m = Reminder();
  m.message_id = MakeMessageId(cfg, "obligation 42 / 5wd-before");
  EXPECT_TRUE(BuildMessage(cfg, m, At("2026-11-05T14:03:00Z")).ok());
}

}  // namespace
}  // namespace accredit::notify
