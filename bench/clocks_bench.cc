// Obligation engine benchmark (issue 4): recomputing 1,000,000 obligations (goal < 1 s).
//
//   bench_clocks [N]   (default N = 1,000,000 obligations)
//
// Part 1, the pure engine: Inputs built in memory (N/2.5 notifiable events, 90 % of them
// notified -> S2.4-5.13 and 5.14 obligations; RCR entries with agreed dates -> S2.4-5.15) plus the
// periodic rules of a contract year; times Generate (every rule), ApplyStates, the sort by due and
// the gate, i.e. a full recomputation. Part 2, the cached engine over a SQLite database holding
// the same records: the cold evaluation (load + compute), an incremental one after one
// notifiable event changes (reloads that table, reruns only the two rules that read it), and a
// repeated evaluation with no change (the cached snapshot).

#include "clocks/clocks.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace {

using namespace accredit;  // NOLINT(google-build-using-namespace): a small program
namespace chr = std::chrono;
namespace fs = std::filesystem;

double Ms(chr::steady_clock::duration d) {
  return chr::duration<double, std::milli>(d).count();
}

int Fail(const Error& e) {
  std::cerr << "bench_clocks: " << e.field << " " << e.message << " " << e.internal << "\n";
  return 1;
}

const char* const kKinds[] = {"architecture_change",   "new_risk_or_vulnerability",
                              "threat_profile_change", "subcontractor_coc_failure",
                              "risk_component_change", "personal_data_quantity_change",
                              "site_change_proposal",  "iso27001_audit_concerns"};

// The records, generated deterministically: events spread over 2026 at every hour of the day.
struct Records {
  std::int64_t events = 0;
  std::int64_t rcr = 0;
};

Records Sizes(std::int64_t n) {
  // Each event gives 1 obligation (5.13) + 0.9 (5.14); each RCR entry 1 (5.15).
  Records r;
  r.events = n * 2 / 5;
  r.rcr = n - r.events - r.events * 9 / 10;
  return r;
}

Instant EventTime(std::int64_t i) {
  // Spread over 5 Jan to 30 Nov 2026 (470,000 minutes), at every minute of the day.
  return Instant(chr::sys_days(chr::year{2026} / 1 / 5)) + chr::minutes((37 * i) % 470000);
}

clocks::Inputs BuildInputs(std::int64_t n) {
  const Records sizes = Sizes(n);
  clocks::Inputs in;
  in.contract.effective_date = Date(chr::year{2026}, chr::April, chr::day{1});
  in.contract.provider_name = "Provider Ltd";
  in.notifiable_events.reserve(static_cast<std::size_t>(sizes.events));
  for (std::int64_t i = 0; i < sizes.events; ++i) {
    clocks::NotifiableEvent e;
    e.id = i + 1;
    e.kind = kKinds[i % 8];
    e.description = "Bulk event " + std::to_string(i + 1) + " recorded by the benchmark";
    e.became_aware_at = EventTime(i);
    if (i % 10 != 0) {
      e.customer_notified_at = e.became_aware_at + chr::hours(20 + (i % 40));
      if (i % 5 != 0) {
        e.rcr_provided_at = *e.customer_notified_at + chr::hours(24 * (i % 16));
      }
    }
    in.notifiable_events.push_back(std::move(e));
  }
  in.rcr.reserve(static_cast<std::size_t>(sizes.rcr));
  for (std::int64_t i = 0; i < sizes.rcr; ++i) {
    clocks::RcrEntry r;
    r.id = i + 1;
    r.ref = "RCR-" + std::to_string(i + 1);
    r.change = "Bulk change " + std::to_string(i + 1);
    // Most agreed changes are implemented (9 in 10, some late); the rest are open, and those
    // agreed long ago are overdue (each then bars processing: a gate reason).
    const bool implemented = i % 10 != 0;
    r.status = implemented ? "implemented" : "agreed";
    const Date agreed = LondonDate(EventTime(i));
    r.date_agreed = agreed;
    r.implementation_due_date = Date(chr::sys_days(agreed) + chr::days(30 + i % 60));
    if (implemented) {
      r.implemented_date = Date(chr::sys_days(agreed) + chr::days(20 + i % 50));
    }
    in.rcr.push_back(std::move(r));
  }
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t n = argc > 1 ? std::stoll(argv[1]) : 1000000;
  const Instant now = Instant(chr::sys_days(chr::year{2026} / 11 / 30)) + chr::hours(12);
  const Calendar cal;
  const clocks::Options options;

  // ---- Part 1: the pure engine.
  const clocks::Inputs in = BuildInputs(n);
  std::vector<double> gen_ms;
  std::vector<double> states_ms;
  std::vector<double> gate_ms;
  std::vector<double> total_ms;
  std::size_t count = 0;
  std::size_t open = 0;
  std::size_t reasons = 0;
  for (int run = 0; run < 5; ++run) {
    const auto t0 = chr::steady_clock::now();
    std::vector<clocks::Obligation> obs =
        clocks::Generate(in, cal, Date(chr::sys_days(LondonDate(now)) + chr::days(62)));
    const auto t1 = chr::steady_clock::now();
    clocks::ApplyStates(obs, in, cal, now, options);
    const auto t2 = chr::steady_clock::now();
    const clocks::Gate gate = clocks::EvaluateGate(obs);
    const auto t4 = chr::steady_clock::now();
    gen_ms.push_back(Ms(t1 - t0));
    states_ms.push_back(Ms(t2 - t1));
    gate_ms.push_back(Ms(t4 - t2));
    total_ms.push_back(Ms(t4 - t0));
    count = obs.size();
    open = static_cast<std::size_t>(std::count_if(
        obs.begin(), obs.end(), [](const clocks::Obligation& o) { return IsOpen(o.state); }));
    reasons = gate.reasons.size();
  }
  for (auto* v : {&gen_ms, &states_ms, &gate_ms, &total_ms}) {
    std::sort(v->begin(), v->end());
  }
  std::cout << "pure engine: " << count << " obligations (" << open << " open, " << reasons
            << " gate reasons), median of 5: generate (every rule, ordered by due) " << gen_ms[2]
            << " ms, states " << states_ms[2] << " ms, gate " << gate_ms[2] << " ms; total "
            << total_ms[2] << " ms (" << static_cast<double>(count) / total_ms[2] * 1000.0
            << " obligations/s)\n";

  // ---- Part 2: the cached engine over SQLite.
  const std::string dir = (fs::temp_directory_path() / "bench_clocks").string();
  fs::remove_all(dir);
  fs::create_directories(dir);
  FakeClock clock(now);
  cli::AppOptions app_options;
  app_options.db_path = dir + "/bench.db";
  app_options.create_if_missing = true;
  auto app = cli::OpenApp(clock, app_options);
  if (!app) {
    return Fail(app.error());
  }
  {
    auto conn = (*app)->store->Acquire();
    if (!conn) {
      return Fail(conn.error());
    }
    auto tx = (*conn)->Begin();
    if (!tx) {
      return Fail(tx.error());
    }
    const std::string ts = FormatInstantUtc(now);
    auto opt = [](const std::optional<Instant>& t) {
      return t ? store::Value(FormatInstantUtc(*t)) : store::Value();
    };
    auto optd = [](const std::optional<Date>& d) {
      return d ? store::Value(FormatDate(*d)) : store::Value();
    };
    Status s =
        (*conn)->Execute("UPDATE contract SET effective_date = '2026-04-01' WHERE id = 1").status();
    for (const auto& e : in.notifiable_events) {
      if (!s) {
        break;
      }
      s = (*conn)
              ->Execute(
                  "INSERT INTO notifiable_events (id, kind, description, became_aware_at, "
                  "customer_notified_at, rcr_provided_at, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  {e.id, e.kind, e.description, FormatInstantUtc(e.became_aware_at),
                   opt(e.customer_notified_at), opt(e.rcr_provided_at), ts, ts})
              .status();
    }
    for (const auto& r : in.rcr) {
      if (!s) {
        break;
      }
      s = (*conn)
              ->Execute(
                  "INSERT INTO rcr (id, ref, change, status, date_agreed, "
                  "implementation_due_date, implemented_date, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {r.id, r.ref, r.change, r.status, optd(r.date_agreed),
                   optd(r.implementation_due_date), optd(r.implemented_date), ts, ts})
              .status();
    }
    if (!s) {
      return Fail(s.error());
    }
    if (auto c = tx->Commit(); !c) {
      return Fail(c.error());
    }
  }
  clocks::Engine& engine = *(*app)->clocks;
  auto timed = [&](Instant at) -> double {
    const auto t0 = chr::steady_clock::now();
    auto snap = engine.At(at);
    const auto t1 = chr::steady_clock::now();
    if (!snap) {
      Fail(snap.error());
      std::exit(1);
    }
    count = (*snap)->obligations.size();
    return Ms(t1 - t0);
  };
  const double cold = timed(now);
  {
    auto conn = (*app)->store->Acquire();
    Status s = (*conn)
                   ->Execute("UPDATE notifiable_events SET customer_notified_at = ? WHERE id = 1",
                             {FormatInstantUtc(EventTime(0) + chr::hours(1))})
                   .status();
    if (!s) {
      return Fail(s.error());
    }
  }
  const double incremental = timed(now + chr::seconds(1));
  {
    auto conn = (*app)->store->Acquire();
    Status s =
        (*conn)->Execute("UPDATE rcr SET implemented_date = '2026-05-01' WHERE id = 2").status();
    if (!s) {
      return Fail(s.error());
    }
  }
  const double incremental_rcr = timed(now + chr::seconds(2));
  const double cached = timed(now + chr::seconds(3));
  const auto stats = engine.GetStats();
  std::cout << "engine over SQLite: " << count << " obligations; cold (load + compute) " << cold
            << " ms; one notifiable event changed " << incremental << " ms; one RCR entry changed "
            << incremental_rcr << " ms; no change " << cached << " ms; rule runs "
            << stats.rule_runs << ", table loads " << stats.table_loads << "\n";
  fs::remove_all(dir);
  return 0;
}
