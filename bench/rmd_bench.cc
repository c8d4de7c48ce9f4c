// RMD generation benchmark (issue 3): BuildRmd + DOCX for 1,000 risks, 3,000 controls (each
// mitigating a risk) and 10,000 assets. Goal: < 2 s in total. Usage:
//   bench_rmd [DB]   (default: a fresh database in /tmp, filled through RegisterService CSV
//                     import — one transaction per register — and one transaction of links)

#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "catalog/catalog.h"
#include "docs/docs.h"
#include "registers/registers.h"
#include "reports/reports.h"

namespace {

using accredit::Status;
namespace fs = std::filesystem;

int Fail(const accredit::Error& e) {
  std::cerr << "bench_rmd: " << e.field << " " << e.message << " " << e.internal << "\n";
  return 1;
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace accredit;  // NOLINT(google-build-using-namespace): a small program
  const bool fresh = argc < 2;
  const std::string path = fresh ? (fs::temp_directory_path() / "bench_rmd.db").string() : argv[1];
  if (fresh) {
    fs::remove(path);
    fs::remove(path + "-wal");
    fs::remove(path + "-shm");
  }
  FakeClock clock(Instant(std::chrono::sys_days(std::chrono::year{2026} / 5 / 28)));
  store::Options options;
  options.path = path;
  auto store = store::Store::OpenSqlite(options);
  if (!store) {
    return Fail(store.error());
  }
  std::vector<store::Migration> all = auth::Accounts::Migrations();
  for (auto list : {audit::AuditLog::Migrations(), registers::Registers::Migrations(),
                    registers::RegisterService::Migrations(), reports::Reports::Migrations()}) {
    all.insert(all.end(), list.begin(), list.end());
  }
  if (auto m = (*store)->Migrate(all); !m) {
    return Fail(m.error());
  }
  audit::AuditLog audit(clock);
  registers::Registers regs(**store, audit, clock);
  registers::RegisterService service(**store, audit, clock, regs, {});
  auto catalog = catalog::Catalog::Load();
  if (!catalog) {
    return Fail(catalog.error());
  }
  const auth::Principal admin = auth::CliOperator("bench");

  if (fresh) {
    const auto t0 = std::chrono::steady_clock::now();
    std::string risks =
        "ref,title,category,vulnerability,inherent_likelihood,inherent_impact,"
        "residual_likelihood,residual_impact,owner,treatment\n";
    for (int i = 1; i <= 1000; ++i) {
      risks += "R" + std::to_string(i) + ",Risk number " + std::to_string(i) +
               ",Confidentiality,Weakness " + std::to_string(i) + "," + std::to_string(1 + i % 5) +
               "," + std::to_string(1 + (i / 5) % 5) + ",1,2,Owner," + "treat\n";
    }
    std::string controls = "ref,title,description,implementation_status,assurance_status\n";
    for (int i = 1; i <= 3000; ++i) {
      controls += "C" + std::to_string(i) + ",Control " + std::to_string(i) +
                  ",Description of control " + std::to_string(i) + ",implemented,tested\n";
    }
    std::string assets = "name,ims_part,asset_type,environment,classification,owner\n";
    for (int i = 1; i <= 10000; ++i) {
      assets += "asset-" + std::to_string(i) + "," + (i % 4 == 0 ? "core" : "wider") + ",server," +
                (i % 50 == 0 ? "test" : "live") + ",OFFICIAL,Ops\n";
    }
    for (auto [reg, csv] : {std::pair<const char*, std::string*>{"risks", &risks},
                            {"controls", &controls},
                            {"assets", &assets}}) {
      auto r = service.ImportCsv(admin, *registers::RegisterService::Find(reg), *csv);
      if (!r) {
        return Fail(r.error());
      }
    }
    auto conn = (*store)->Acquire();
    if (!conn) {
      return Fail(conn.error());
    }
    auto tx = (*conn)->Begin(store::TxMode::kWrite);
    if (!tx) {
      return Fail(tx.error());
    }
    for (int i = 1; i <= 3000; ++i) {
      auto r = (*conn)->Execute(
          "INSERT INTO links (from_register, from_id, relation, to_register, to_key, created_at) "
          "VALUES ('controls', ?, 'mitigates', 'risks', ?, '2026-05-28T00:00:00Z')",
          {static_cast<std::int64_t>(i), std::to_string(1 + (i - 1) % 1000)});
      if (!r) {
        return Fail(r.error());
      }
    }
    if (auto c = tx->Commit(); !c.ok()) {
      return Fail(c.error());
    }
    std::cout << "setup: " << Ms(std::chrono::steady_clock::now() - t0) << " ms\n";
  }

  reports::Reports reports(**store, audit, service, regs, **catalog, clock);
  const auto t1 = std::chrono::steady_clock::now();
  auto doc = reports.BuildRmd(admin);
  if (!doc) {
    return Fail(doc.error());
  }
  const auto t2 = std::chrono::steady_clock::now();
  auto docx = docs::DocxBytes(*doc);
  if (!docx) {
    return Fail(docx.error());
  }
  const auto t3 = std::chrono::steady_clock::now();
  std::cout << "BuildRmd: " << Ms(t2 - t1) << " ms\n"
            << "DOCX: " << Ms(t3 - t2) << " ms (" << docx->size() << " bytes)\n"
            << "total: " << Ms(t3 - t1) << " ms (goal < 2000 ms)\n";
  return 0;
}
