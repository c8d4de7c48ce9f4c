// `accredit init`, `user ...` and `token ...`.

#include <filesystem>
#include <iomanip>
#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace accredit::cli::internal {
namespace {

using Json = nlohmann::json;

std::string Dump(const Json& j) {
  return DumpJson(j, 2) + "\n";
}

Json OptInstant(const std::optional<Instant>& t) {
  if (!t) {
    return nullptr;
  }
  return FormatInstantUtc(*t);
}

Json UserJson(const auth::User& u) {
  return Json{{"id", u.id},
              {"username", u.username},
              {"display_name", u.display_name},
              {"email", u.email},
              {"role", std::string(auth::RoleName(u.role))},
              {"supplier_id", u.supplier_id ? Json(*u.supplier_id) : Json(nullptr)},
              {"disabled", u.disabled},
              {"disabled_reason", u.disabled_reason},
              {"created_at", FormatInstantUtc(u.created_at)},
              {"last_login_at", OptInstant(u.last_login_at)}};
}

Json TokenJson(const auth::ApiToken& t) {
  return Json{{"id", t.id},
              {"user_id", t.user_id},
              {"name", t.name},
              {"prefix", t.prefix},
              {"created_at", FormatInstantUtc(t.created_at)},
              {"expires_at", OptInstant(t.expires_at)},
              {"revoked_at", OptInstant(t.revoked_at)},
              {"last_used_at", OptInstant(t.last_used_at)}};
}

Result<auth::User> FindUser(App& app, const std::string& username) {
  auto user = app.accounts->FindByUsername(username);
  if (!user && user.error().code == ErrorCode::kNotFound) {
    return Err(ErrorCode::kNotFound, "no such user", "username");
  }
  return user;
}

// The password to set: read from --password-file/--password-stdin, or generated and printed
// once.
Result<std::string> PasswordToSet(const Args& args, std::ostream& out, std::string_view label) {
  ACC_ASSIGN_OR_RETURN(auto given, ReadPassword(args));
  if (given) {
    return *given;
  }
  ACC_ASSIGN_OR_RETURN(std::string generated, GeneratePassword());
  out << label << generated << "  (shown once; store it safely)\n";
  return generated;
}

}  // namespace

Result<int> RunInit(const Args& args, const Clock& clock, std::ostream& out) {
  AppOptions options;
  options.db_path = args.db_path;
  options.create_if_missing = true;
  ACC_ASSIGN_OR_RETURN(auto app, OpenApp(clock, options));
  ACC_ASSIGN_OR_RETURN(const std::int64_t users, app->accounts->CountUsers());
  if (users > 0) {
    return Err(ErrorCode::kAlreadyExists,
               "the database already has users; use `accredit user add` instead");
  }
  ACC_ASSIGN_OR_RETURN(auto given, ReadPassword(args));
  std::optional<std::string> generated;
  auth::NewUser admin;
  admin.username = args.admin_user;
  admin.display_name = "Administrator";
  admin.role = auth::Role::kAdmin;
  if (given) {
    admin.password = *given;
  } else {
    ACC_ASSIGN_OR_RETURN(admin.password, GeneratePassword());
    generated = admin.password;
  }
  ACC_ASSIGN_OR_RETURN(const auth::User created, app->accounts->CreateUser(Operator(), admin));
  std::error_code ec;
  const auto abs = std::filesystem::absolute(args.db_path, ec);
  out << "Database: " << (ec ? args.db_path : abs.string()) << "\n";
  out << "Admin user: " << created.username << "\n";
  if (generated) {
    out << "Admin password: " << *generated << "  (shown once; store it safely)\n";
  }
  return 0;
}

Result<int> RunUserAdd(const Args& args, App& app, std::ostream& out) {
  auth::NewUser user;
  user.username = args.username;
  user.display_name = args.display_name;
  user.email = args.email;
  ACC_ASSIGN_OR_RETURN(user.role, auth::ParseRole(args.role));
  user.supplier_id = args.supplier_id;
  ACC_ASSIGN_OR_RETURN(user.password, PasswordToSet(args, out, "Password: "));
  ACC_ASSIGN_OR_RETURN(const auth::User created, app.accounts->CreateUser(Operator(), user));
  out << "Created user " << created.username << " (id " << created.id << ", "
      << auth::RoleName(created.role) << ")\n";
  return 0;
}

Result<int> RunUserList(const Args& args, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auto users, app.accounts->ListUsers(Operator()));
  if (args.json) {
    Json arr = Json::array();
    for (const auto& u : users) {
      arr.push_back(UserJson(u));
    }
    out << Dump(arr);
    return 0;
  }
  out << std::left << std::setw(6) << "ID" << std::setw(22) << "USERNAME" << std::setw(20) << "ROLE"
      << std::setw(10) << "STATUS"
      << "LAST LOGIN\n";
  for (const auto& u : users) {
    out << std::left << std::setw(6) << u.id << std::setw(22) << u.username << std::setw(20)
        << auth::RoleName(u.role) << std::setw(10) << (u.disabled ? "disabled" : "active")
        << (u.last_login_at ? FormatInstantUtc(*u.last_login_at) : "never") << "\n";
  }
  return 0;
}

Result<int> RunUserDisable(const Args& args, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auth::User user, FindUser(app, args.username));
  const std::string reason = args.reason.empty() ? "disabled by the operator" : args.reason;
  ACC_RETURN_IF_ERROR(app.accounts->DisableUser(Operator(), user.id, reason));
  out << "Disabled user " << user.username << "\n";
  return 0;
}

Result<int> RunUserEnable(const Args& args, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auth::User user, FindUser(app, args.username));
  ACC_RETURN_IF_ERROR(app.accounts->EnableUser(Operator(), user.id));
  out << "Enabled user " << user.username << "\n";
  return 0;
}

Result<int> RunUserSetRole(const Args& args, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auth::User user, FindUser(app, args.username));
  ACC_ASSIGN_OR_RETURN(const auth::Role role, auth::ParseRole(args.role));
  ACC_RETURN_IF_ERROR(app.accounts->ChangeRole(Operator(), user.id, role, args.supplier_id));
  out << "Role of " << user.username << " is now " << auth::RoleName(role)
      << "; their sessions, API tokens and calendar feed have ended\n";
  return 0;
}

Result<int> RunTokenPolicy(const Args& args, App& app, std::ostream& out) {
  if (args.token_max_days != 0) {
    ACC_RETURN_IF_ERROR(app.accounts->UpdateSettings(
        Operator(), auth::AuthSettings{.token_max_days = args.token_max_days}));
  }
  ACC_ASSIGN_OR_RETURN(const auth::AuthSettings settings, app.accounts->Settings());
  if (args.json) {
    out << DumpJson(nlohmann::json{{"token_max_days", settings.token_max_days}}, 2) << "\n";
  } else {
    out << "API tokens expire at most " << settings.token_max_days
        << " days after they are created\n";
  }
  return 0;
}

Result<int> RunUserResetPassword(const Args& args, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auth::User user, FindUser(app, args.username));
  ACC_ASSIGN_OR_RETURN(const std::string password, PasswordToSet(args, out, "New password: "));
  ACC_RETURN_IF_ERROR(app.accounts->ResetPassword(Operator(), user.id, password));
  out << "Password reset for " << user.username << "\n";
  return 0;
}

Result<int> RunTokenCreate(const Args& args, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auth::User user, FindUser(app, args.username));
  if (user.disabled) {
    return Err(ErrorCode::kFailedPrecondition, "the user is disabled", "user");
  }
  std::optional<Instant> expires;
  if (!args.expires.empty()) {
    ACC_ASSIGN_OR_RETURN(const Date day, ParseDate(args.expires, "expires"));
    expires = LondonEndOfDay(day);
  }
  // The operator holds the database, so may mint a token that acts as this user.
  auth::Principal as_user{user.id, user.username, user.role, user.supplier_id};
  ACC_ASSIGN_OR_RETURN(auto created,
                       app.accounts->CreateApiToken(as_user, args.token_name, expires));
  out << created.second << "\n";
  out << "# token id " << created.first.id << " for " << user.username
      << "; shown once: store it now\n";
  return 0;
}

Result<int> RunTokenRevoke(const Args& args, App& app, std::ostream& out) {
  ACC_RETURN_IF_ERROR(app.accounts->RevokeApiToken(Operator(), args.token_id));
  out << "Revoked token " << args.token_id << "\n";
  return 0;
}

Result<int> RunTokenList(const Args& args, App& app, std::ostream& out) {
  auth::Principal who = Operator();
  if (!args.username.empty()) {
    ACC_ASSIGN_OR_RETURN(const auth::User user, FindUser(app, args.username));
    who = auth::Principal{user.id, user.username, user.role, user.supplier_id};
  }
  ACC_ASSIGN_OR_RETURN(const auto tokens, app.accounts->ListApiTokens(who));
  if (args.json) {
    Json arr = Json::array();
    for (const auto& t : tokens) {
      arr.push_back(TokenJson(t));
    }
    out << Dump(arr);
    return 0;
  }
  out << std::left << std::setw(6) << "ID" << std::setw(8) << "USER" << std::setw(24) << "NAME"
      << std::setw(12) << "PREFIX" << std::setw(10) << "STATUS"
      << "EXPIRES\n";
  for (const auto& t : tokens) {
    out << std::left << std::setw(6) << t.id << std::setw(8) << t.user_id << std::setw(24) << t.name
        << std::setw(12) << t.prefix << std::setw(10) << (t.revoked_at ? "revoked" : "active")
        << (t.expires_at ? FormatInstantUtc(*t.expires_at) : "never") << "\n";
  }
  return 0;
}

}  // namespace accredit::cli::internal
