// Fuzzes the edges where text enters (issue 8, point 1): url-encoded form decoding (cpp-httplib's
// parse_query_text, as the server runs it) followed by our UTF-8 check (CheckRequestUtf8), the
// CSV reader behind every register import (ParseCsv), and the JSON serialisation every response
// and audit record goes through (DumpJson). The first input byte picks the edge; the rest is the
// input, which is mostly invalid UTF-8 by construction of the seed corpus.
// Invariants: never crashes or throws; CheckRequestUtf8 accepts exactly when every decoded name
// and value is UTF-8 by an independent judge (nlohmann's strict parser); an accepted CSV holds
// only UTF-8 fields and a refused one names its line; DumpJson of any bytes is valid JSON.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/core.h"
#include "http/internal.h"
#include "registers/registers.h"

namespace {

// The independent judge: nlohmann's parser refuses ill-formed UTF-8 inside a string literal.
bool JudgeUtf8(std::string_view s) {
  std::string literal = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      literal += '\\';
      literal += c;
    } else if (u < 0x20) {
      literal += "\\u00";
      literal += "0123456789abcdef"[u >> 4U];
      literal += "0123456789abcdef"[u & 15U];
    } else {
      literal += c;
    }
  }
  literal += '"';
  return nlohmann::json::accept(literal);
}

void Form(std::string_view body) {
  httplib::Request req;
  httplib::detail::parse_query_text(std::string(body), req.params);
  bool all_utf8 = true;
  for (const auto& [name, value] : req.params) {
    all_utf8 = all_utf8 && JudgeUtf8(name) && JudgeUtf8(value);
  }
  const accredit::Status s = accredit::http::internal::CheckRequestUtf8(req);
  if (s.ok() != all_utf8) {
    std::abort();
  }
  if (!s.ok() && (s.error().field.empty() || s.error().message.empty())) {
    std::abort();
  }
}

void Csv(std::string_view text) {
  auto records = accredit::registers::ParseCsv(text);
  if (!records.ok()) {
    if (records.error().field.rfind("line ", 0) != 0) {
      std::abort();
    }
    return;
  }
  for (const auto& rec : *records) {
    for (const auto& field : rec.fields) {
      if (!JudgeUtf8(field)) {
        std::abort();
      }
    }
  }
}

void Json(std::string_view bytes) {
  nlohmann::json j = {{"text", std::string(bytes)}, {std::string(bytes), 1}};
  const std::string out = accredit::DumpJson(j);
  if (!nlohmann::json::accept(out) || !accredit::IsValidUtf8(out)) {
    std::abort();
  }
  if (accredit::IsValidUtf8(bytes) != JudgeUtf8(bytes)) {
    std::abort();
  }
  const std::string clean = accredit::SanitiseUtf8(bytes);
  if (!accredit::IsValidUtf8(clean) || (accredit::IsValidUtf8(bytes) && clean != bytes)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      Form(input);
      break;
    case 1:
      Csv(input);
      break;
    default:
      Json(input);
      break;
  }
  return 0;
}
