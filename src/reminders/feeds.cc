// CalendarFeeds: per-user secret iCalendar feed URLs (only the token's SHA-256 is stored).

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "reminders/reminders.h"

namespace accredit::reminders {

using nlohmann::json;

namespace {

constexpr std::string_view kTokenPrefix = "acf_";

Error NoSuchFeed() {
  return Err(ErrorCode::kNotFound, "no such calendar feed");
}

}  // namespace

CalendarFeeds::CalendarFeeds(store::Store& store, const audit::AuditLog& audit, const Clock& clock,
                             auth::Accounts& accounts)
    : store_(store), audit_(audit), clock_(clock), accounts_(accounts) {}

Result<std::string> CalendarFeeds::Create(const auth::Principal& who) {
  ACC_RETURN_IF_ERROR(auth::Authorize(who, auth::Action::kDashboardRead));
  if (who.user_id == 0) {
    return Err(ErrorCode::kFailedPrecondition,
               "a calendar feed belongs to a user account; sign in as that user");
  }
  const std::string token = std::string(kTokenPrefix) + RandomHex(32);
  const std::string now = FormatInstantUtc(clock_.Now());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(const std::int64_t replaced,
                       conn->Execute("UPDATE calendar_feeds SET revoked_at = ? WHERE user_id = ? "
                                     "AND revoked_at IS NULL",
                                     {now, who.user_id}));
  ACC_ASSIGN_OR_RETURN(
      const store::Row row,
      conn->QueryOne("INSERT INTO calendar_feeds (user_id, username, token_hash, created_at) "
                     "VALUES (?, ?, ?, ?) RETURNING id",
                     {who.user_id, who.username, Sha256Hex(token), now}));
  const json after = {{"user_id", who.user_id}, {"created_at", now}, {"replaced", replaced}};
  ACC_RETURN_IF_ERROR(
      audit_.Append(*conn, audit::Entry{who.username, "calendar_feed.create", "calendar_feed",
                                        std::to_string(row[0].Int()), "null", DumpJson(after)}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return token;
}

Status CalendarFeeds::Revoke(const auth::Principal& who) {
  ACC_RETURN_IF_ERROR(auth::Authorize(who, auth::Action::kDashboardRead));
  const std::string now = FormatInstantUtc(clock_.Now());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT id, created_at FROM calendar_feeds WHERE "
                                              "user_id = ? AND revoked_at IS NULL",
                                              {who.user_id}));
  if (rows.empty() || who.user_id == 0) {
    return Err(ErrorCode::kNotFound, "you have no active calendar feed");
  }
  for (const store::Row& r : rows) {
    ACC_RETURN_IF_ERROR(
        conn->Execute("UPDATE calendar_feeds SET revoked_at = ? WHERE id = ?", {now, r[0].Int()}));
    const json before = {{"user_id", who.user_id}, {"created_at", r[1].Text()}};
    const json after = {{"user_id", who.user_id}, {"revoked_at", now}};
    ACC_RETURN_IF_ERROR(audit_.Append(
        *conn, audit::Entry{who.username, "calendar_feed.revoke", "calendar_feed",
                            std::to_string(r[0].Int()), DumpJson(before), DumpJson(after)}));
  }
  return tx.Commit();
}

Result<std::optional<FeedInfo>> CalendarFeeds::Active(const auth::Principal& who) {
  ACC_RETURN_IF_ERROR(auth::Authorize(who, auth::Action::kDashboardRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT id, created_at FROM calendar_feeds WHERE "
                                              "user_id = ? AND revoked_at IS NULL ORDER BY id "
                                              "DESC LIMIT 1",
                                              {who.user_id}));
  if (rows.empty() || who.user_id == 0) {
    return std::optional<FeedInfo>();
  }
  ACC_ASSIGN_OR_RETURN(const Instant created, ParseInstant(rows[0][1].Text(), "created_at"));
  return std::optional<FeedInfo>(FeedInfo{rows[0][0].Int(), created});
}

Result<auth::Principal> CalendarFeeds::Authenticate(std::string_view token) {
  if (!token.starts_with(kTokenPrefix) || token.size() > 200) {
    return NoSuchFeed();
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT user_id, created_at FROM calendar_feeds "
                                              "WHERE token_hash = ? AND revoked_at IS NULL",
                                              {Sha256Hex(token)}));
  if (rows.empty()) {
    return NoSuchFeed();
  }
  auto created = ParseInstant(rows[0][1].Text(), "created_at");
  if (!created) {
    return NoSuchFeed();
  }
  // The account's own checks at every use: disabled, idle past 90 days (disabled there and
  // then), credentials reset since the feed was made (password reset, disabling, role change).
  auto p =
      accounts_.AuthenticateCredential(rows[0][0].Int(), *created, auth::Credential::kCalendarFeed);
  if (!p) {
    return p.error().code == ErrorCode::kUnauthenticated ? NoSuchFeed() : p.error();
  }
  if (!auth::Authorize(*p, auth::Action::kDashboardRead).ok()) {
    return NoSuchFeed();
  }
  return p;
}

Result<std::string> CalendarFeeds::ConfiguredBaseUrl() {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(const store::Row row,
                       conn->QueryOne("SELECT base_url FROM reminder_settings WHERE id = 1"));
  return row[0].Text();
}

}  // namespace accredit::reminders
