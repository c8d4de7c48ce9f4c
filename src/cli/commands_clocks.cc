// `accredit obligations` and `accredit gate` (issue 4, point 8).

#include "cli/commands_clocks.h"

#include <iostream>

#include "clocks/clocks.h"

#include <CLI/CLI.hpp>

namespace accredit::cli::internal {
namespace {

Result<Instant> EvaluationInstant(const ClockArgs& c, const Clock& clock) {
  if (c.at.empty()) {
    return clock.Now();
  }
  return ParseInstant(c.at, "at");
}

Result<int> RunObligations(const Args& args, const ClockArgs& c, const Clock& clock,
                           std::ostream& out) {
  clocks::Filter filter;
  filter.overdue_only = c.overdue;
  filter.open_only = c.open;
  filter.clause_prefix = c.clause;
  filter.customer_side_only = c.customer;
  if (!c.state.empty()) {
    ACC_ASSIGN_OR_RETURN(auto st, clocks::ParseState(c.state));
    filter.state = st;
  }
  if (!c.due_within.empty()) {
    ACC_RETURN_IF_ERROR(clocks::ParseDueWithin(c.due_within, filter));
  }
  ACC_ASSIGN_OR_RETURN(const Instant now, EvaluationInstant(c, clock));
  ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
  ACC_RETURN_IF_ERROR(auth::Authorize(Operator(), auth::Action::kDashboardRead));
  ACC_ASSIGN_OR_RETURN(auto snap, app->clocks->At(now));
  ACC_ASSIGN_OR_RETURN(const Calendar cal, app->registers->LoadCalendar());
  const clocks::Matcher matches(filter, cal, now);
  if (c.json || args.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const clocks::Obligation& o : snap->obligations) {
      if (matches(o)) {
        arr.push_back(clocks::ObligationToJson(o));
      }
    }
    out << DumpJson(arr, 2) << "\n";
    return 0;
  }
  int shown = 0;
  for (const clocks::Obligation& o : snap->obligations) {
    if (!matches(o)) {
      continue;
    }
    std::string state(clocks::StateName(o.state));
    state.resize(12, ' ');
    out << state << " " << FormatInstantLondon(o.due).substr(0, 16) << "  " << o.Text() << "\n";
    ++shown;
  }
  out << shown << " obligation(s) at " << FormatHumanLondon(now) << " (Europe/London)\n";
  return 0;
}

Result<int> RunGate(const Args& args, const ClockArgs& c, const Clock& clock, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const Instant now, EvaluationInstant(c, clock));
  ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
  ACC_RETURN_IF_ERROR(auth::Authorize(Operator(), auth::Action::kDashboardRead));
  ACC_ASSIGN_OR_RETURN(auto snap, app->clocks->At(now));
  if (c.json || args.json) {
    nlohmann::json j = clocks::GateToJson(snap->gate);
    j["at"] = FormatInstantLondon(now);
    out << DumpJson(j, 2) << "\n";
  } else if (snap->gate.may_process) {
    out << "Yes: the Core IMS may process Customer Data now (" << FormatHumanLondon(now) << ").\n";
  } else {
    out << "No: the Core IMS may not process Customer Data now (" << FormatHumanLondon(now)
        << "):\n";
    for (const clocks::GateReason& r : snap->gate.reasons) {
      out << "  - " << r.text << "\n";
    }
  }
  return snap->gate.may_process ? 0 : ExitCodeFor(ErrorCode::kFailedPrecondition);
}

}  // namespace

std::unique_ptr<ClockArgs> AddClockCommands(CLI::App& app, const Args& args, const Clock& clock,
                                            std::ostream& out, CommandList& commands) {
  auto c = std::make_unique<ClockArgs>();
  ClockArgs* ca = c.get();
  const auto at_option = [ca](CLI::App* sub) {
    sub->add_option("--at", ca->at,
                    "Evaluate at this instant instead of now (ISO 8601, or London wall-clock "
                    "\"2026-11-05 17:00\", or a date)");
    sub->add_flag("--json", ca->json, "JSON output");
  };
  auto* obligations =
      app.add_subcommand("obligations", "Contract obligations with their due instants and states");
  at_option(obligations);
  obligations->add_flag("--overdue", ca->overdue, "Only overdue obligations");
  obligations->add_flag("--open", ca->open, "Only open obligations (upcoming, due soon, overdue)");
  obligations->add_option("--state", ca->state,
                          "upcoming | due_soon | overdue | met_on_time | met_late | waived");
  obligations->add_option("--due-within", ca->due_within,
                          "Open and due within N Working Days (\"10wd\") or days (\"10d\")");
  obligations->add_option("--clause", ca->clause, "A clause or its parent, e.g. 5.13");
  obligations->add_flag("--customer", ca->customer, "Only the Customer's side (decisions)");
  commands.emplace_back(
      obligations, [&args, &clock, &out, ca]() { return RunObligations(args, *ca, clock, out); });

  auto* gate = app.add_subcommand(
      "gate", "May the Core IMS process Customer Data now? (exit 0 yes, 5 no; S2.4-5.11)");
  at_option(gate);
  commands.emplace_back(gate,
                        [&args, &clock, &out, ca]() { return RunGate(args, *ca, clock, out); });
  return c;
}

}  // namespace accredit::cli::internal
