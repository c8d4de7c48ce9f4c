#pragma once

// The store every registers test starts from: a SQLite file with the migrations of auth, audit,
// the contract registers and (with `with_service`) the generic register service.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "registers/registers.h"
#include "store/store.h"

namespace accredit::testing {

// nullptr (with a test failure) when the store cannot be opened or migrated.
inline std::unique_ptr<store::Store> OpenMigratedStore(const std::string& path, bool with_service) {
  store::Options options;
  options.path = path;
  auto store = store::Store::OpenSqlite(options);
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  std::vector<store::Migration> all = auth::Accounts::Migrations();
  for (auto list : {audit::AuditLog::Migrations(), registers::Registers::Migrations(),
                    with_service ? registers::RegisterService::Migrations()
                                 : std::vector<store::Migration>{}}) {
    all.insert(all.end(), list.begin(), list.end());
  }
  auto applied = (*store)->Migrate(all);
  if (!applied.ok()) {
    ADD_FAILURE() << applied.status().ToString();
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace accredit::testing
