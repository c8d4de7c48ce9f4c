// The per-user iCalendar feed (issue 4, point 7):
//   GET    /calendar/<token>.ics          the feed; the token is the credential (no cookie or
//                                        bearer); 404 for unknown or revoked tokens, disabled
//                                        users and users who may not read obligations
//                                        (AuthorizeObligations: dashboard.read, not subcontractors)
//   GET    /calendar-feed                 page: create, replace or revoke one's own feed address
//   POST   /calendar-feed, /calendar-feed/revoke
//   GET, POST, DELETE /api/v1/me/calendar-feed
// The token is secret: the access log shows the feed path as /calendar/<redacted>.ics.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "http/internal.h"
#include "reminders/reminders.h"

namespace accredit::http::internal {

using nlohmann::json;

namespace {

constexpr std::string_view kFeedPrefix = "/calendar/";
constexpr std::string_view kFeedSuffix = ".ics";

reminders::CalendarFeeds Feeds(Context& ctx) {
  Services& s = ctx.Svc();
  return reminders::CalendarFeeds(s.store, s.audit, s.clock, s.accounts);
}

// The server's public address, from configuration only: a feed URL built from the request's
// Host header would let whoever sends the request choose where the secret URL points.
Result<std::string> BaseUrl(Context& ctx) {
  ACC_ASSIGN_OR_RETURN(std::string configured, Feeds(ctx).ConfiguredBaseUrl());
  if (configured.empty()) {
    return Err(ErrorCode::kFailedPrecondition,
               "calendar feeds need the server's public address, and none is set: an "
               "administrator sets it with `accredit reminders configure --base-url "
               "https://accredit.example.org`");
  }
  while (!configured.empty() && configured.back() == '/') {
    configured.pop_back();
  }
  return configured;
}

std::string FeedUrl(const std::string& base, const std::string& token) {
  return base + std::string(kFeedPrefix) + token + std::string(kFeedSuffix);
}

// webcal:// is what calendar programs register for "subscribe".
std::string WebcalUrl(const std::string& url) {
  const auto p = url.find("://");
  return p == std::string::npos ? url : "webcal" + url.substr(p);
}

void ServeFeed(Context& ctx, const httplib::Request& req, httplib::Response& res) {
  auto not_found = [&res] {
    res.status = 404;
    res.set_content("no such calendar feed\n", "text/plain; charset=utf-8");
  };
  const std::string token = req.matches[1].str();
  auto who = Feeds(ctx).Authenticate(token);
  if (who.ok() && !AuthorizeObligations(*who).ok()) {
    not_found();  // e.g. a subcontractor: obligations are contract-wide
    return;
  }
  if (!who.ok()) {
    if (who.error().code != ErrorCode::kNotFound) {
      res.status = HttpStatusFor(who.error().code);
      res.set_content("the calendar feed is unavailable\n", "text/plain; charset=utf-8");
      return;
    }
    not_found();
    return;
  }
  SetLogUser(who->username);
  const Instant now = ctx.Svc().clock.Now();
  auto snap = ctx.Svc().clocks.At(now);
  if (!snap.ok()) {
    res.status = HttpStatusFor(snap.error().code);
    res.set_content("the calendar feed is unavailable\n", "text/plain; charset=utf-8");
    return;
  }
  reminders::IcsOptions options;
  options.now = now;
  options.base_url = BaseUrl(ctx).value_or(std::string());
  res.set_header("Content-Disposition", "inline; filename=\"accredit-obligations.ics\"");
  const ObligationScope visible(*who);
  if (visible.All()) {
    res.set_content(reminders::RenderIcs((*snap)->obligations, options),
                    "text/calendar; charset=utf-8");
    return;
  }
  std::vector<clocks::Obligation> mine;
  for (const clocks::Obligation& o : (*snap)->obligations) {
    if (visible(o)) {
      mine.push_back(o);
    }
  }
  res.set_content(reminders::RenderIcs(mine, options), "text/calendar; charset=utf-8");
}

json FeedStatusJson(const std::optional<reminders::FeedInfo>& feed) {
  json j = {{"active", feed.has_value()}};
  j["created_at"] = feed ? json(FormatInstantLondon(feed->created_at)) : json(nullptr);
  return j;
}

void FeedPage(Context& ctx, const Authn& who, const httplib::Request& /*req*/,
              httplib::Response& res, const std::string& new_token, const Error* error) {
  if (Status may = AuthorizeObligations(who.principal); !may.ok()) {
    RenderError(ctx, &who, res, may.error());
    return;
  }
  auto active = Feeds(ctx).Active(who.principal);
  if (!active.ok()) {
    RenderError(ctx, &who, res, active.error());
    return;
  }
  Data d;
  d.set("csrf_token", who.csrf_token);
  d.set("active", active->has_value());
  if (active->has_value()) {
    d.set("created_at", FormatHumanLondon((*active)->created_at));
  }
  auto base = BaseUrl(ctx);
  if (!base.ok()) {
    d.set("no_base_url", base.error().message);
  }
  if (!new_token.empty() && base.ok()) {
    const std::string url = FeedUrl(*base, new_token);
    d.set("new_url", url);
    d.set("webcal_url", WebcalUrl(url));
  }
  if (error != nullptr) {
    d.set("error", error->message);
  }
  RenderInLayout(ctx, &who, res, "Calendar feed", "/calendar-feed", "calendar_feed.html", d,
                 error != nullptr ? HttpStatusFor(error->code) : 200);
}

}  // namespace

std::string RedactSecretPath(const std::string& path) {
  if (path.starts_with(kFeedPrefix) && path.size() > kFeedPrefix.size()) {
    return std::string(kFeedPrefix) + "<redacted>" + std::string(kFeedSuffix);
  }
  return path;
}

void RegisterCalendarFeed(httplib::Server& svr, Context& ctx) {
  svr.Get(
      R"(/calendar/([A-Za-z0-9_]{1,200})\.ics)",
      [&ctx](const httplib::Request& req, httplib::Response& res) { ServeFeed(ctx, req, res); });

  svr.Get("/calendar-feed",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            FeedPage(ctx, who, req, res, "", nullptr);
          }));
  svr.Post("/calendar-feed",
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             if (Status may = AuthorizeObligations(who.principal); !may.ok()) {
               RenderError(ctx, &who, res, may.error());
               return;
             }
             if (auto base = BaseUrl(ctx); !base.ok()) {
               FeedPage(ctx, who, req, res, "", &base.error());
               return;
             }
             auto token = Feeds(ctx).Create(who.principal);
             if (!token.ok()) {
               FeedPage(ctx, who, req, res, "", &token.error());
               return;
             }
             FeedPage(ctx, who, req, res, *token, nullptr);
           }));
  svr.Post("/calendar-feed/revoke",
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             Status revoked = Feeds(ctx).Revoke(who.principal);
             if (!revoked.ok()) {
               FeedPage(ctx, who, req, res, "", &revoked.error());
               return;
             }
             Redirect(res, "/calendar-feed");
           }));

  svr.Get(
      "/api/v1/me/calendar-feed",
      Api(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) -> Status {
        ACC_ASSIGN_OR_RETURN(auto active, Feeds(ctx).Active(who.principal));
        WriteJson(res, FeedStatusJson(active));
        return Status::Ok();
      }));
  svr.Post(
      "/api/v1/me/calendar-feed",
      Api(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) -> Status {
        ACC_RETURN_IF_ERROR(AuthorizeObligations(who.principal));
        ACC_ASSIGN_OR_RETURN(const std::string base, BaseUrl(ctx));  // before minting
        auto feeds = Feeds(ctx);
        ACC_ASSIGN_OR_RETURN(const std::string token, feeds.Create(who.principal));
        ACC_ASSIGN_OR_RETURN(auto active, feeds.Active(who.principal));
        json j = FeedStatusJson(active);
        j["url"] = FeedUrl(base, token);
        j["webcal_url"] = WebcalUrl(j["url"].get<std::string>());
        j["token"] = token;
        WriteJson(res, j, 201);
        return Status::Ok();
      }));
  svr.Delete(
      "/api/v1/me/calendar-feed",
      Api(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) -> Status {
        ACC_RETURN_IF_ERROR(Feeds(ctx).Revoke(who.principal));
        res.status = 204;
        return Status::Ok();
      }));
}

}  // namespace accredit::http::internal
