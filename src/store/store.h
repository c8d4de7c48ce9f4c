#pragma once

// store: the database seam. A portable interface (Store, Connection, Transaction) with an
// embedded SQLite backend; a PostgreSQL backend can implement the same interface later.
// SQL written against it is portable: '?' positional parameters (a backend may rewrite them),
// INSERT ... RETURNING for generated ids, TEXT/INTEGER/REAL/BLOB column types only, instants as
// ISO 8601 UTC text ("2026-04-08T22:59:59.999Z"), no backend-specific functions.
//
// Concurrency: Store is thread-safe and hands out one Connection per caller from a pool;
// a Connection (and its Transaction) is thread-compatible and used by one thread at a time.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/core.h"

namespace accredit::store {

// Binary data, distinct from text.
struct Blob {
  std::string bytes;
};

// A parameter or column value: NULL, integer, real, text or blob.
class Value {
 public:
  Value() = default;  // NULL

  Value(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)

  Value(int v) : v_(std::int64_t{v}) {}  // NOLINT(google-explicit-constructor)

  Value(std::int64_t v) : v_(v) {}  // NOLINT(google-explicit-constructor)

  Value(double v) : v_(v) {}  // NOLINT(google-explicit-constructor)

  Value(bool v) : v_(std::int64_t{v ? 1 : 0}) {}  // NOLINT(google-explicit-constructor)

  Value(std::string v) : v_(std::move(v)) {}  // NOLINT(google-explicit-constructor)

  Value(std::string_view v) : v_(std::string(v)) {}  // NOLINT(google-explicit-constructor)

  Value(const char* v) : v_(std::string(v)) {}  // NOLINT(google-explicit-constructor)

  Value(Blob v) : v_(std::move(v)) {}  // NOLINT(google-explicit-constructor)

  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT(google-explicit-constructor)
    if (v) {
      *this = Value(*v);
    }
  }

  bool IsNull() const { return std::holds_alternative<std::monostate>(v_); }

  bool IsInt() const { return std::holds_alternative<std::int64_t>(v_); }

  bool IsReal() const { return std::holds_alternative<double>(v_); }

  bool IsText() const { return std::holds_alternative<std::string>(v_); }

  bool IsBlob() const { return std::holds_alternative<Blob>(v_); }

  // Accessors convert leniently: Int() of NULL is 0, Text() of NULL is "", Int() of text parses.
  std::int64_t Int() const;
  double Real() const;
  std::string Text() const;
  const std::string& Bytes() const;  // the blob or text; empty for NULL, integers and reals
  std::optional<std::string> OptText() const;
  std::optional<std::int64_t> OptInt() const;

  const std::variant<std::monostate, std::int64_t, double, std::string, Blob>& Raw() const {
    return v_;
  }

 private:
  std::variant<std::monostate, std::int64_t, double, std::string, Blob> v_;
};

using Params = std::vector<Value>;

// A materialised result row.
struct Row {
  std::vector<Value> values;

  const Value& operator[](std::size_t i) const { return values.at(i); }

  std::size_t size() const { return values.size(); }
};

// A view of the current row while streaming (Connection::ForEach). Valid only inside the
// callback; string_views point into the backend's buffers.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual int ColumnCount() const = 0;
  virtual bool IsNull(int i) const = 0;
  virtual std::int64_t Int(int i) const = 0;
  virtual double Real(int i) const = 0;
  virtual std::string_view Text(int i) const = 0;
  virtual std::string_view Bytes(int i) const = 0;
};

class Connection;

enum class TxMode { kRead, kWrite };

// RAII transaction: rolls back in the destructor unless Commit() succeeded (STYLE rule 14).
// Thread-compatible. Nested transactions are not supported: Begin() on a connection that is
// already in a transaction fails with kFailedPrecondition.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();
  void Rollback();

  bool Active() const { return conn_ != nullptr; }

 private:
  friend class Connection;

  explicit Transaction(Connection* conn) : conn_(conn) {}

  Connection* conn_;
};

// One database session. Thread-compatible.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement; returns the number of rows changed. Errors: kAlreadyExists for a
  // uniqueness violation, kFailedPrecondition for other constraint failures, kUnavailable when
  // the database is busy past the timeout, kInternal otherwise (SQL only in `internal`).
  virtual Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs a query and materialises every row.
  virtual Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a query and streams rows to `fn`; stops early and returns fn's error if it fails.
  virtual Status ForEach(std::string_view sql, const Params& params,
                         const std::function<Status(const RowView&)>& fn) = 0;
  // Runs several ';'-separated statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  // "sqlite" or "postgres".
  virtual std::string_view Dialect() const = 0;

  // Convenience: the first row, or kNotFound.
  Result<Row> QueryOne(std::string_view sql, const Params& params = {});

  // Starts a transaction (kWrite takes the write lock up front).
  Result<Transaction> Begin(TxMode mode = TxMode::kWrite);

  bool InTransaction() const { return in_tx_; }

  // Runs `fn` once, on this thread, right after the open transaction commits; discarded if it
  // rolls back. For side effects outside the database that must follow only committed data (the
  // audit module's checkpoint file). `fn` must not throw. REQUIRES: InTransaction().
  void OnCommit(std::function<void()> fn);

 protected:
  virtual Status BeginImpl(TxMode mode) = 0;
  virtual Status CommitImpl() = 0;
  virtual void RollbackImpl() = 0;

 private:
  friend class Transaction;
  bool in_tx_ = false;
  std::vector<std::function<void()>> on_commit_;
};

class Store;

// Returns a pooled connection to its store on destruction.
struct LeaseReturner {
  Store* store = nullptr;
  void operator()(Connection* c) const;
};

using ConnectionLease = std::unique_ptr<Connection, LeaseReturner>;

// A numbered schema migration. Version ranges per module keep numbers unique:
// auth 100-199, audit 200-299, registers 300-399, (clocks 400-, vuln 500-, pki 600-, ...).
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

struct Options {
  std::string path;  // database file; ":memory:" is not supported (pooled)
  int busy_timeout_ms = 10000;
  int pool_size = 8;
  bool create_if_missing = true;
};

// The database. Thread-safe.
class Store {
 public:
  virtual ~Store() = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens (and creates, if allowed) a SQLite database in WAL mode with foreign keys on and a busy
  // timeout. Errors: kNotFound when missing and !create_if_missing, kUnavailable/kDataLoss when
  // the file cannot be opened or is not a database.
  static Result<std::unique_ptr<Store>> OpenSqlite(const Options& options);

  // A connection from the pool; blocks until one is free.
  virtual Result<ConnectionLease> Acquire() = 0;
  virtual std::string Describe() const = 0;  // "sqlite:/path/to/file.db"

  // Applies, in version order and each in its own transaction, every migration not yet recorded
  // in schema_migrations. Returns how many were applied.
  Result<int> Migrate(const std::vector<Migration>& migrations);
  // Versions already applied.
  Result<std::vector<int>> AppliedMigrations();

 protected:
  friend struct LeaseReturner;
  virtual void Release(Connection* c) = 0;
};

}  // namespace accredit::store
