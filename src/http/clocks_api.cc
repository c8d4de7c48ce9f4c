// Obligations and the processing gate over the REST API (issue 4, points 1, 5):
//   GET /api/v1/obligations?state=&overdue=1&open=1&due_within=10wd&clause=5.13&customer=1&at=
//       &limit=&offset=
//   GET /api/v1/gate[?at=]
// Both evaluate at `at` (any instant, past or future) or now, through the shared engine, which
// recomputes only what changed since the last request.

#include <map>

#include "clocks/clocks.h"
#include "http/internal.h"

namespace accredit::http::internal {

using nlohmann::json;

namespace {

Result<Instant> EvaluationInstant(Context& ctx, const httplib::Request& req) {
  if (auto at = Param(req, "at")) {
    return ParseInstant(*at, "at");
  }
  return ctx.Svc().clock.Now();
}

bool Flag(const httplib::Request& req, const std::string& name) {
  auto v = Param(req, name);
  return v && (*v == "1" || *v == "true" || *v == "yes");
}

}  // namespace

Result<clocks::Filter> ObligationFilterFromQuery(const httplib::Request& req) {
  clocks::Filter f;
  f.overdue_only = Flag(req, "overdue");
  f.open_only = Flag(req, "open");
  f.customer_side_only = Flag(req, "customer");
  if (auto s = Param(req, "state")) {
    ACC_ASSIGN_OR_RETURN(auto st, clocks::ParseState(*s));
    f.state = st;
  }
  if (auto d = Param(req, "due_within")) {
    Status parsed = clocks::ParseDueWithin(*d, f);
    if (!parsed.ok()) {
      Error e = parsed.error();
      e.field = "due_within";
      return e;
    }
  }
  if (auto c = Param(req, "clause")) {
    f.clause_prefix = *c;
  }
  return f;
}

void RegisterClocksApi(httplib::Server& svr, Context& ctx) {
  svr.Get(
      "/api/v1/obligations",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(AuthorizeObligations(who.principal));
            ACC_ASSIGN_OR_RETURN(Page page, ParsePage(req));
            ACC_ASSIGN_OR_RETURN(clocks::Filter filter, ObligationFilterFromQuery(req));
            ACC_ASSIGN_OR_RETURN(const Instant now, EvaluationInstant(ctx, req));
            ACC_ASSIGN_OR_RETURN(auto snap, ctx.Svc().clocks.At(now));
            ACC_ASSIGN_OR_RETURN(auto cal, ctx.ContractCalendar());
            json items = json::array();
            std::int64_t total = 0;
            std::map<std::string, std::int64_t> counts;
            const clocks::Matcher matches(filter, *cal, now);
            const ObligationScope visible(who.principal);
            for (const clocks::Obligation& o : snap->obligations) {
              if (!visible(o) || !matches(o)) {
                continue;
              }
              ++counts[std::string(clocks::StateName(o.state))];
              if (total >= page.offset && total < page.offset + page.limit) {
                items.push_back(clocks::ObligationToJson(o));
              }
              ++total;
            }
            WriteJson(res, {{"at", FormatInstantLondon(now)},
                            {"items", std::move(items)},
                            {"total", total},
                            {"limit", page.limit},
                            {"offset", page.offset},
                            {"counts", counts}});
            return Status::Ok();
          }));

  svr.Get(
      "/api/v1/gate",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(AuthorizeObligations(who.principal));
            ACC_ASSIGN_OR_RETURN(const Instant now, EvaluationInstant(ctx, req));
            ACC_ASSIGN_OR_RETURN(auto snap, ctx.Svc().clocks.At(now));
            std::int64_t hidden = 0;
            json j = clocks::GateToJson(ObligationScope(who.principal).Visible(snap->gate, hidden));
            j["at"] = FormatInstantLondon(now);
            j["reasons_not_shown"] = hidden;  // about records this user may not read
            WriteJson(res, j);
            return Status::Ok();
          }));
}

}  // namespace accredit::http::internal
