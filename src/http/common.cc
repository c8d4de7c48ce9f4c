#include <charconv>
#include <set>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "http/internal.h"

namespace accredit::http::internal {
namespace {

using nlohmann::json;

// Records the first syntax error; accepts everything else (the DOM parse follows).
class SyntaxChecker final : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }

  bool boolean(bool) override { return true; }

  bool number_integer(number_integer_t) override { return true; }

  bool number_unsigned(number_unsigned_t) override { return true; }

  bool number_float(number_float_t, const string_t&) override { return true; }

  bool string(string_t&) override { return true; }

  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override { return true; }

  bool key(string_t&) override { return true; }

  bool end_object() override { return true; }

  bool start_array(std::size_t) override { return true; }

  bool end_array() override { return true; }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    error_byte = position;
    return false;
  }

  std::optional<std::size_t> error_byte;
};

bool HasType(const json& v, JsonType t) {
  switch (t) {
    case JsonType::kString:
      return v.is_string();
    case JsonType::kInteger:
      return v.is_number_integer();
    case JsonType::kBoolean:
      return v.is_boolean();
    case JsonType::kNullableString:
      return v.is_null() || v.is_string();
    case JsonType::kNullableInteger:
      return v.is_null() || v.is_number_integer();
    case JsonType::kArray:
      return v.is_array();
    case JsonType::kNullableBoolean:
      return v.is_null() || v.is_boolean();
    case JsonType::kNullableArray:
      return v.is_null() || v.is_array();
  }
  return false;
}

}  // namespace

std::string_view JsonTypeName(JsonType t) {
  switch (t) {
    case JsonType::kString:
      return "string";
    case JsonType::kInteger:
      return "integer";
    case JsonType::kBoolean:
      return "boolean";
    case JsonType::kNullableString:
      return "string or null";
    case JsonType::kNullableInteger:
      return "integer or null";
    case JsonType::kArray:
      return "array";
    case JsonType::kNullableBoolean:
      return "boolean or null";
    case JsonType::kNullableArray:
      return "array or null";
  }
  return "value";
}

Result<json> DecodeJsonObject(std::string_view body, std::span<const FieldSpec> fields) {
  SyntaxChecker checker;
  const bool ok = json::sax_parse(body.begin(), body.end(), &checker);
  if (!ok || checker.error_byte) {
    const std::size_t byte = checker.error_byte.value_or(body.size());
    return Err(ErrorCode::kInvalidArgument, "malformed JSON at byte " + std::to_string(byte),
               "body");
  }
  json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded()) {  // unreachable after the SAX pass, but never trust it
    return Err(ErrorCode::kInvalidArgument, "malformed JSON", "body");
  }
  if (!doc.is_object()) {
    return Err(ErrorCode::kInvalidArgument, "request body must be a JSON object", "body");
  }
  for (const auto& [name, value] : doc.items()) {
    const FieldSpec* spec = nullptr;
    for (const auto& f : fields) {
      if (f.name == name) {
        spec = &f;
      }
    }
    if (spec == nullptr) {
      // An empty member name cannot be the `field` of an error: name the body instead.
      return Err(ErrorCode::kInvalidArgument, "unknown field \"" + name + "\"",
                 name.empty() ? std::string("body") : name);
    }
    if (!HasType(value, spec->type)) {
      return Err(ErrorCode::kInvalidArgument,
                 "field \"" + name + "\" must be of type " + std::string(JsonTypeName(spec->type)),
                 name);
    }
  }
  for (const auto& f : fields) {
    if (f.required && !doc.contains(f.name)) {
      return Err(ErrorCode::kInvalidArgument,
                 "missing required field \"" + std::string(f.name) + "\"", std::string(f.name));
    }
  }
  return doc;
}

void WriteJson(httplib::Response& res, const json& body, int status) {
  res.status = status;
  res.set_content(DumpJson(body), "application/json");
}

void WriteError(httplib::Response& res, const Error& error) {
  json body = {{"error",
                {{"code", ErrorCodeName(error.code)},
                 {"message", error.message},
                 {"field", error.field.empty() ? json(nullptr) : json(error.field)}}}};
  WriteJson(res, body, HttpStatusFor(error.code));
}

void WriteError(httplib::Response& res, const Error& error, int status) {
  WriteError(res, error);
  res.status = status;
}

bool BodyWithin(const httplib::Request& req, std::size_t limit) {
  std::size_t size = req.body.size();
  for (const auto& [name, part] : req.files) {
    size += part.content.size();
  }
  return size <= limit;
}

Status CheckRequestUtf8(const httplib::Request& req) {
  auto check = [](const std::string& name, std::string_view value) -> Status {
    if (!IsValidUtf8(name)) {
      return Err(ErrorCode::kInvalidArgument, "a parameter name is not UTF-8 text", "request");
    }
    if (auto at = InvalidUtf8Offset(value)) {
      return Err(ErrorCode::kInvalidArgument,
                 "the value of \"" + name + "\" is not UTF-8 text (invalid byte at offset " +
                     std::to_string(*at) + ")",
                 name);
    }
    return Status::Ok();
  };
  for (const auto& [name, value] : req.params) {
    ACC_RETURN_IF_ERROR(check(name, value));
  }
  for (const auto& [name, part] : req.files) {
    ACC_RETURN_IF_ERROR(check(name, part.filename));
    if (part.filename.empty()) {  // a text part of a multipart form
      ACC_RETURN_IF_ERROR(check(name, part.content));
    }
  }
  return Status::Ok();
}

Error TooLarge(std::string_view field) {
  return Err(ErrorCode::kResourceExhausted,
             field == "body" ? "request body too large" : "file too large", std::string(field));
}

Result<std::int64_t> ParseInt(std::string_view text, std::string_view field) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) {
    return Err(ErrorCode::kInvalidArgument, "must be an integer", std::string(field));
  }
  return v;
}

std::optional<std::string> Param(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name)) {
    return std::nullopt;
  }
  std::string v = req.get_param_value(name);
  if (v.empty()) {
    return std::nullopt;
  }
  return v;
}

Result<Page> ParsePage(const httplib::Request& req) {
  Page page;
  if (auto v = Param(req, "limit")) {
    ACC_ASSIGN_OR_RETURN(std::int64_t limit, ParseInt(*v, "limit"));
    if (limit < 1 || limit > 500) {
      return Err(ErrorCode::kInvalidArgument, "limit must be between 1 and 500", "limit");
    }
    page.limit = static_cast<int>(limit);
  }
  if (auto v = Param(req, "offset")) {
    ACC_ASSIGN_OR_RETURN(page.offset, ParseInt(*v, "offset"));
    if (page.offset < 0) {
      return Err(ErrorCode::kInvalidArgument, "offset must not be negative", "offset");
    }
  }
  return page;
}

std::optional<std::string> Cookie(const httplib::Request& req, std::string_view name) {
  const std::size_t n = req.get_header_value_count("Cookie");
  for (std::size_t i = 0; i < n; ++i) {
    const std::string value = req.get_header_value("Cookie", i);
    std::string_view header = value;
    while (!header.empty()) {
      const std::size_t semi = header.find(';');
      std::string_view part = header.substr(0, semi);
      header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') {
        part.remove_prefix(1);
      }
      const std::size_t eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) {
        return std::string(part.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

std::string RandomToken(std::size_t bytes) {
  return RandomHex(bytes);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) {
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::unique_ptr<Templates>> Templates::Load() {
  auto out = std::make_unique<Templates>();
  for (std::string_view path : assets::List()) {
    constexpr std::string_view kPrefix = "templates/";
    if (path.substr(0, kPrefix.size()) != kPrefix) {
      continue;
    }
    auto text = assets::Find(path);
    auto entry = std::make_unique<Entry>();
    entry->source = std::string(*text);
    auto parsed = std::make_unique<kainjow::mustache::mustache>(entry->source);
    if (!parsed->is_valid()) {
      return Err(ErrorCode::kInternal, "a template failed to parse", "",
                 std::string(path) + ": " + parsed->error_message());
    }
    {
      MutexLock lock(entry->mu);  // uncontended: the entry is not shared yet
      entry->free.push_back(std::move(parsed));
    }
    out->entries_.emplace(std::string(path.substr(kPrefix.size())), std::move(entry));
  }
  return out;
}

std::string Templates::Render(const std::string& name, const Data& data) const {
  auto it = entries_.find(name);
  ACC_CHECK(it != entries_.end(), "unknown template");
  Entry& entry = *it->second;
  std::unique_ptr<kainjow::mustache::mustache> tmpl;
  {
    MutexLock lock(entry.mu);
    if (!entry.free.empty()) {
      tmpl = std::move(entry.free.back());
      entry.free.pop_back();
    }
  }
  if (!tmpl) {
    // Parsed and validated once at Load(), so a fresh parse of the same source is valid.
    tmpl = std::make_unique<kainjow::mustache::mustache>(entry.source);
  }
  std::string out = tmpl->render(data);
  MutexLock lock(entry.mu);
  entry.free.push_back(std::move(tmpl));
  return out;
}

Context::Context(Services services, ServerOptions options, std::unique_ptr<Templates> templates,
                 std::filesystem::path scratch_base)
    : services_(services),
      options_(std::move(options)),
      templates_(std::move(templates)),
      scratch_base_(std::move(scratch_base)) {}

Result<Authn> Context::Authenticate(const httplib::Request& req) {
  const std::string authorization = req.get_header_value("Authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() <= kBearer.size() ||
        std::string_view(authorization).substr(0, kBearer.size()) != kBearer) {
      return Err(ErrorCode::kUnauthenticated, "expected an Authorization: Bearer token",
                 "Authorization");
    }
    ACC_ASSIGN_OR_RETURN(auth::Principal p, services_.accounts.AuthenticateApiToken(
                                                authorization.substr(kBearer.size())));
    Authn a;
    a.principal = std::move(p);
    return a;
  }
  auto token = Cookie(req, kSessionCookie);
  if (!token || token->empty()) {
    return Err(ErrorCode::kUnauthenticated, "authentication required");
  }
  ACC_ASSIGN_OR_RETURN(auth::Session s, services_.accounts.ResumeSession(*token));
  Authn a;
  a.principal = std::move(s.principal);
  a.via_cookie = true;
  a.session_token = std::move(*token);
  a.csrf_token = std::move(s.csrf_token);
  return a;
}

Status Context::CheckCsrf(const Authn& who, const httplib::Request& req) {
  static const std::set<std::string> kSafe = {"GET", "HEAD", "OPTIONS"};
  if (!who.via_cookie || kSafe.count(req.method) != 0) {
    return Status::Ok();
  }
  std::string presented = req.get_header_value("X-CSRF-Token");
  if (presented.empty()) {
    presented = req.get_param_value("csrf_token");
  }
  if (presented.empty() && req.has_file("csrf_token")) {  // multipart/form-data forms
    presented = req.get_file_value("csrf_token").content;
  }
  if (!ConstantTimeEquals(presented, who.csrf_token)) {
    return Err(ErrorCode::kPermissionDenied, "missing or invalid CSRF token", "csrf_token");
  }
  return Status::Ok();
}

Result<std::shared_ptr<const Calendar>> Context::ContractCalendar() {
  constexpr auto kTtl = std::chrono::seconds(30);
  const auto now = std::chrono::steady_clock::now();
  {
    MutexLock lock(calendar_mu_);
    if (calendar_ && now - calendar_loaded_ < kTtl) {
      return calendar_;
    }
  }
  ACC_ASSIGN_OR_RETURN(Calendar cal, services_.registers.LoadCalendar());
  auto shared = std::make_shared<const Calendar>(std::move(cal));
  MutexLock lock(calendar_mu_);
  calendar_ = shared;
  calendar_loaded_ = now;
  return shared;
}

void Context::InvalidateCalendar() {
  MutexLock lock(calendar_mu_);
  calendar_.reset();
}

std::string Context::CookieHeader(std::string_view name, std::string_view value,
                                  std::optional<int> max_age) const {
  std::string out =
      std::string(name) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Strict";
  if (Tls()) {
    out += "; Secure";
  }
  if (max_age) {
    out += "; Max-Age=" + std::to_string(*max_age);
  }
  return out;
}

nlohmann::json UserJson(const auth::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"email", u.email},
          {"role", auth::RoleName(u.role)},
          {"supplier_id", u.supplier_id ? json(*u.supplier_id) : json(nullptr)},
          {"disabled", u.disabled},
          {"disabled_reason", u.disabled_reason},
          {"created_at", FormatInstantUtc(u.created_at)},
          {"last_login_at",
           u.last_login_at ? json(FormatInstantUtc(*u.last_login_at)) : json(nullptr)}};
}

}  // namespace accredit::http::internal
