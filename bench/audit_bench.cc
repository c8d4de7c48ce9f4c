// Audit log throughput: append rate (1 record per transaction and 1000 per transaction) and
// verify rate over a large log. Usage: bench_audit [APPEND_N [VERIFY_N [VERIFY_DB]]] (defaults
// 20000 and 1000000). Builds its databases in a fresh directory under $TMPDIR and removes it
// afterwards; with VERIFY_DB the verify database is kept at that path and reused when present.
// Figures and method are reported in docs/BENCHMARKS.md.

#include "audit/audit.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace accredit::audit {
namespace {

using Steady = std::chrono::steady_clock;

double Seconds(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

Entry SampleEntry(std::int64_t i) {
  // A realistic user.update record (~200 bytes of content).
  return Entry{.actor = "security.manager@example.gov.uk",
               .action = "user.update",
               .entity_type = "user",
               .entity_id = std::to_string(i % 500),
               .before_json = R"({"role":"engineer","disabled":false,"email":"e)" +
                              std::to_string(i) + R"(@example.gov.uk"})",
               .after_json = R"({"role":"security_manager","disabled":false,"email":"e)" +
                             std::to_string(i) + R"(@example.gov.uk"})"};
}

Result<std::unique_ptr<store::Store>> OpenFresh(const std::string& path) {
  ACC_ASSIGN_OR_RETURN(auto store, store::Store::OpenSqlite({.path = path, .pool_size = 2}));
  ACC_RETURN_IF_ERROR(store->Migrate(AuditLog::Migrations()));
  return store;
}

// Appends n records, `batch` per transaction. Returns records/s.
Result<double> AppendRun(store::Store& store, FakeClock& clock, const AuditLog& log, std::int64_t n,
                         std::int64_t batch) {
  ACC_ASSIGN_OR_RETURN(auto conn, store.Acquire());
  const auto start = Steady::now();
  for (std::int64_t done = 0; done < n;) {
    ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
    for (std::int64_t j = 0; j < batch && done < n; ++j, ++done) {
      clock.Advance(std::chrono::milliseconds(1));
      ACC_RETURN_IF_ERROR(log.Append(*conn, SampleEntry(done)));
    }
    ACC_RETURN_IF_ERROR(tx.Commit());
  }
  return static_cast<double>(n) / Seconds(start);
}

int Run(std::int64_t append_n, std::int64_t verify_n, const std::string& verify_db) {
  const char* tmp = std::getenv("TMPDIR");  // NOLINT(concurrency-mt-unsafe): single-threaded
  std::string tmpl = std::string(tmp != nullptr ? tmp : "/tmp") + "/accredit-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::fprintf(stderr, "cannot create a temp dir\n");
    return 1;
  }
  const std::filesystem::path dir(tmpl);
  auto fail = [&](const Status& s) {
    std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return 1;
  };

  FakeClock clock(Instant(std::chrono::milliseconds(1775210400000)));  // 2026-04-03T10:00Z
  const AuditLog log(clock);

  for (const std::int64_t batch : {std::int64_t{1}, std::int64_t{1000}}) {
    auto store = OpenFresh((dir / ("append-" + std::to_string(batch) + ".db")).string());
    if (!store) {
      return fail(store.status());
    }
    auto rate = AppendRun(**store, clock, log, append_n, batch);
    if (!rate) {
      return fail(rate.status());
    }
    std::printf("append  %8lld records, %4lld per transaction: %10.0f records/s\n",
                static_cast<long long>(append_n), static_cast<long long>(batch), *rate);
  }

  const bool reuse = !verify_db.empty() && std::filesystem::exists(verify_db);
  auto store = OpenFresh(verify_db.empty() ? (dir / "verify.db").string() : verify_db);
  if (!store) {
    return fail(store.status());
  }
  if (!reuse) {
    auto build = AppendRun(**store, clock, log, verify_n, 1000);
    if (!build) {
      return fail(build.status());
    }
    std::printf("build   %8lld records, 1000 per transaction: %10.0f records/s\n",
                static_cast<long long>(verify_n), *build);
  }
  auto conn = (*store)->Acquire();
  if (!conn) {
    return fail(conn.status());
  }
  for (int run = 1; run <= 3; ++run) {
    const auto start = Steady::now();
    const std::clock_t cpu_start = std::clock();
    auto report = log.Verify(**conn);
    const double secs = Seconds(start);
    const double cpu_secs =
        static_cast<double>(std::clock() - cpu_start) / static_cast<double>(CLOCKS_PER_SEC);
    if (!report) {
      return fail(report.status());
    }
    if (!report->ok || report->records != verify_n) {
      return fail(Err(ErrorCode::kDataLoss, "verify failed: " + report->reason));
    }
    // CPU time too: on a shared machine wall time mostly measures the neighbours.
    std::printf(
        "verify  %8lld records (run %d): %.3f s wall, %10.0f records/s; %.3f s CPU, "
        "%10.0f records/CPU-s\n",
        static_cast<long long>(report->records), run, secs,
        static_cast<double>(report->records) / secs, cpu_secs,
        static_cast<double>(report->records) / cpu_secs);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

std::int64_t ArgOr(int argc, char** argv, int i, std::int64_t fallback) {
  if (argc <= i) {
    return fallback;
  }
  const long long v = std::strtoll(argv[i], nullptr, 10);
  return v > 0 ? v : fallback;
}

}  // namespace
}  // namespace accredit::audit

int main(int argc, char** argv) {
  return accredit::audit::Run(accredit::audit::ArgOr(argc, argv, 1, 20000),
                              accredit::audit::ArgOr(argc, argv, 2, 1000000),
                              argc > 3 ? argv[3] : "");
}
