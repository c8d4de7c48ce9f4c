// The SQLite backend: WAL journal, foreign keys on, a busy timeout, a per-connection prepared
// statement cache, and a fixed-size connection pool.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>

#include <sqlite3.h>

#include "store/store.h"

namespace accredit::store {
namespace {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

using DbPtr = std::unique_ptr<sqlite3, DbDeleter>;

Error SqliteError(sqlite3* db, int rc, std::string_view sql) {
  const int primary = rc & 0xff;
  std::string internal = std::string(sqlite3_errstr(rc)) + ": " + sqlite3_errmsg(db) +
                         " [sql: " + std::string(sql.substr(0, 200)) + "]";
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Err(ErrorCode::kAlreadyExists, "a record with the same key already exists", "",
               internal);
  }
  if (primary == SQLITE_CONSTRAINT) {
    return Err(ErrorCode::kFailedPrecondition, "the change violates a data constraint", "",
               internal);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Err(ErrorCode::kUnavailable, "the database is busy; try again", "", internal);
  }
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Err(ErrorCode::kDataLoss, "the database file is damaged or not a database", "",
               internal);
  }
  return Err(ErrorCode::kInternal, "database error", "", internal);
}

class SqliteRowView final : public RowView {
 public:
  explicit SqliteRowView(sqlite3_stmt* s) : s_(s) {}

  int ColumnCount() const override { return sqlite3_column_count(s_); }

  bool IsNull(int i) const override { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

  std::int64_t Int(int i) const override { return sqlite3_column_int64(s_, i); }

  double Real(int i) const override { return sqlite3_column_double(s_, i); }

  std::string_view Text(int i) const override {
    const auto* p = sqlite3_column_text(s_, i);
    const int n = sqlite3_column_bytes(s_, i);
    if (p == nullptr) {
      return {};
    }
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
  }

  std::string_view Bytes(int i) const override {
    const void* p = sqlite3_column_blob(s_, i);
    const int n = sqlite3_column_bytes(s_, i);
    if (p == nullptr) {
      return {};
    }
    return {static_cast<const char*>(p), static_cast<std::size_t>(n)};
  }

 private:
  sqlite3_stmt* s_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(DbPtr db) : db_(std::move(db)) {}

  Result<std::int64_t> Execute(std::string_view sql, const Params& params) override {
    ACC_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(sql, params));
    StmtReset reset{s};
    int rc = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
      return SqliteError(db_.get(), sqlite3_extended_errcode(db_.get()), sql);
    }
    return static_cast<std::int64_t>(sqlite3_changes64(db_.get()));
  }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    ACC_RETURN_IF_ERROR(ForEachStmt(sql, params, [&](sqlite3_stmt* s) -> Status {
      Row row;
      const int n = sqlite3_column_count(s);
      row.values.reserve(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(s, i)) {
          case SQLITE_INTEGER:
            row.values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(s, i)));
            break;
          case SQLITE_FLOAT:
            row.values.emplace_back(sqlite3_column_double(s, i));
            break;
          case SQLITE_TEXT:
            row.values.emplace_back(
                std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                            static_cast<std::size_t>(sqlite3_column_bytes(s, i))));
            break;
          case SQLITE_BLOB: {
            const void* p = sqlite3_column_blob(s, i);
            const auto len = static_cast<std::size_t>(sqlite3_column_bytes(s, i));
            row.values.emplace_back(
                Blob{p == nullptr ? std::string() : std::string(static_cast<const char*>(p), len)});
            break;
          }
          default:
            row.values.emplace_back();
        }
      }
      rows.push_back(std::move(row));
      return Status::Ok();
    }));
    return rows;
  }

  Status ForEach(std::string_view sql, const Params& params,
                 const std::function<Status(const RowView&)>& fn) override {
    return ForEachStmt(sql, params, [&](sqlite3_stmt* s) -> Status {
      SqliteRowView view(s);
      return fn(view);
    });
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string copy(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_.get(), copy.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : "";
      sqlite3_free(err);
      Error e = SqliteError(db_.get(), rc, sql);
      e.internal += " " + msg;
      return e;
    }
    return Status::Ok();
  }

  std::string_view Dialect() const override { return "sqlite"; }

 protected:
  Status BeginImpl(TxMode mode) override {
    return ExecuteScript(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  }

  Status CommitImpl() override { return ExecuteScript("COMMIT"); }

  void RollbackImpl() override {
    if (sqlite3_get_autocommit(db_.get()) == 0) {
      (void)ExecuteScript("ROLLBACK");
    }
  }

 private:
  class StmtReset {
   public:
    explicit StmtReset(sqlite3_stmt* stmt) : s(stmt) {}

    StmtReset(const StmtReset&) = delete;
    StmtReset& operator=(const StmtReset&) = delete;

    ~StmtReset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }

   private:
    sqlite3_stmt* s;
  };

  template <typename F>
  Status ForEachStmt(std::string_view sql, const Params& params, F&& on_row) {
    ACC_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(sql, params));
    StmtReset reset{s};
    int rc = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      Status st = on_row(s);
      if (!st.ok()) {
        return st;
      }
    }
    if (rc != SQLITE_DONE) {
      return SqliteError(db_.get(), sqlite3_extended_errcode(db_.get()), sql);
    }
    return Status::Ok();
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql, const Params& params) {
    std::string key(sql);
    auto it = cache_.find(key);
    sqlite3_stmt* s = nullptr;
    if (it == cache_.end()) {
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v3(db_.get(), key.data(), static_cast<int>(key.size()),
                                        SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      if (rc != SQLITE_OK) {
        return SqliteError(db_.get(), rc, sql);
      }
      s = raw;
      cache_.emplace(std::move(key), StmtPtr(raw));
    } else {
      s = it->second.get();
    }
    const int expected = sqlite3_bind_parameter_count(s);
    if (expected != static_cast<int>(params.size())) {
      return Err(ErrorCode::kInternal, "database error", "",
                 "parameter count mismatch: expected " + std::to_string(expected) + " got " +
                     std::to_string(params.size()) + " [sql: " + std::string(sql) + "]");
    }
    for (int i = 0; i < expected; ++i) {
      const auto& raw = params[static_cast<std::size_t>(i)].Raw();
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(raw)) {
        rc = sqlite3_bind_null(s, i + 1);
      } else if (const auto* iv = std::get_if<std::int64_t>(&raw)) {
        rc = sqlite3_bind_int64(s, i + 1, *iv);
      } else if (const auto* dv = std::get_if<double>(&raw)) {
        rc = sqlite3_bind_double(s, i + 1, *dv);
      } else if (const auto* sv = std::get_if<std::string>(&raw)) {
        rc = sqlite3_bind_text64(s, i + 1, sv->data(), sv->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (const auto* bv = std::get_if<Blob>(&raw)) {
        rc = sqlite3_bind_blob64(s, i + 1, bv->bytes.data(), bv->bytes.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return SqliteError(db_.get(), rc, sql);
      }
    }
    return s;
  }

  std::unordered_map<std::string, StmtPtr> cache_;
  DbPtr db_;  // declared last so statements are finalised first
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Options options) : options_(std::move(options)) {}

  Status Init() {
    ACC_RETURN_IF_ERROR(OwnerOnly());
    for (int i = 0; i < options_.pool_size; ++i) {
      ACC_ASSIGN_OR_RETURN(auto conn, OpenOne(i == 0 && options_.create_if_missing));
      MutexLock lock(mu_);  // uncontended: no other thread sees the store yet
      free_.push_back(conn.get());
      all_.push_back(std::move(conn));
    }
    return Status::Ok();
  }

  Result<ConnectionLease> Acquire() override {
    MutexLock lock(mu_);
    while (free_.empty()) {
      cv_.Wait(mu_);
    }
    Connection* c = free_.back();
    free_.pop_back();
    return ConnectionLease(c, LeaseReturner{this});
  }

  std::string Describe() const override { return "sqlite:" + options_.path; }

 protected:
  void Release(Connection* c) override {
    if (c->InTransaction()) {
      // A lease dropped mid-transaction: the Transaction object's destructor normally rolls
      // back first; this is a safety net.
      ACC_CHECK(false, "connection returned to the pool with an open transaction");
    }
    {
      MutexLock lock(mu_);
      free_.push_back(c);
    }
    cv_.Signal();
  }

 private:
  // The database holds Argon2 hashes, sealed secrets and every register: it and its WAL and
  // shared-memory files are owner-only (0600). A new file is created 0600 before SQLite opens it
  // (SQLite gives the -wal and -shm files the database file's mode); an existing one is narrowed.
  Status OwnerOnly() {
    const std::string& path = options_.path;
    if (options_.create_if_missing) {
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,  // NOLINT
                            0600);
      if (fd >= 0) {
        ::close(fd);
      }
    }
    for (const std::string& p : {path, path + "-wal", path + "-shm"}) {
      struct stat st {};

      if (::stat(p.c_str(), &st) == 0 && (st.st_mode & 0077U) != 0 &&
          ::chmod(p.c_str(), 0600) != 0) {
        return Err(ErrorCode::kUnavailable, "cannot make the database file owner-only", "db", p);
      }
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<Connection>> OpenOne(bool create) {
    sqlite3* raw = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create) {
      flags |= SQLITE_OPEN_CREATE;
    }
    const int rc = sqlite3_open_v2(options_.path.c_str(), &raw, flags, nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) {
      if (!create && (rc & 0xff) == SQLITE_CANTOPEN) {
        return Err(ErrorCode::kNotFound, "database does not exist; run `accredit init` first", "db",
                   options_.path);
      }
      return Err(ErrorCode::kUnavailable, "cannot open the database", "db",
                 std::string(sqlite3_errstr(rc)) + ": " + options_.path);
    }
    sqlite3_busy_timeout(db.get(), options_.busy_timeout_ms);
    sqlite3_extended_result_codes(db.get(), 1);
    auto conn = std::make_unique<SqliteConnection>(std::move(db));
    ACC_RETURN_IF_ERROR(conn->ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"));
    return std::unique_ptr<Connection>(std::move(conn));
  }

  Options options_;
  Mutex mu_;
  CondVar cv_;
  std::vector<Connection*> free_ ACC_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Connection>> all_;  // fixed after Init()
};

}  // namespace

Result<std::unique_ptr<Store>> Store::OpenSqlite(const Options& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return Err(ErrorCode::kInvalidArgument, "a database file path is required", "db");
  }
  if (options.pool_size < 1) {
    return Err(ErrorCode::kInvalidArgument, "pool size must be at least 1", "pool_size");
  }
  auto store = std::make_unique<SqliteStore>(options);
  ACC_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace accredit::store
