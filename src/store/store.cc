#include "store/store.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace accredit::store {

std::int64_t Value::Int() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v_)) {
    return static_cast<std::int64_t>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v_)) {
    std::int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double Value::Real() const {
  if (const auto* d = std::get_if<double>(&v_)) {
    return *d;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    return static_cast<double>(*i);
  }
  return 0.0;
}

std::string Value::Text() const {
  if (const auto* s = std::get_if<std::string>(&v_)) {
    return *s;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v_)) {
    return std::to_string(*d);
  }
  if (const auto* b = std::get_if<Blob>(&v_)) {
    return b->bytes;
  }
  return {};
}

const std::string& Value::Bytes() const {
  if (const auto* b = std::get_if<Blob>(&v_)) {
    return b->bytes;
  }
  if (const auto* s = std::get_if<std::string>(&v_)) {
    return *s;
  }
  // Stored data is not trusted to match its schema (a column can hold any type): an integer,
  // real or NULL where bytes were expected reads as no bytes, and the caller's own checks (a
  // hash's length, say) report the damage.
  static const std::string kNoBytes;
  return kNoBytes;
}

std::optional<std::string> Value::OptText() const {
  if (IsNull()) {
    return std::nullopt;
  }
  return Text();
}

std::optional<std::int64_t> Value::OptInt() const {
  if (IsNull()) {
    return std::nullopt;
  }
  return Int();
}

Transaction::Transaction(Transaction&& other) noexcept : conn_(other.conn_) {
  other.conn_ = nullptr;
}

Transaction::~Transaction() {
  Rollback();
}

Status Transaction::Commit() {
  if (conn_ == nullptr) {
    return Err(ErrorCode::kFailedPrecondition, "transaction is no longer active");
  }
  Status s = conn_->CommitImpl();
  if (!s.ok()) {
    Rollback();
    return s;
  }
  conn_->in_tx_ = false;
  std::vector<std::function<void()>> hooks = std::move(conn_->on_commit_);
  conn_->on_commit_.clear();
  conn_ = nullptr;
  for (auto& hook : hooks) {
    hook();
  }
  return Status::Ok();
}

void Transaction::Rollback() {
  if (conn_ != nullptr) {
    conn_->RollbackImpl();
    conn_->in_tx_ = false;
    conn_->on_commit_.clear();
    conn_ = nullptr;
  }
}

Result<Row> Connection::QueryOne(std::string_view sql, const Params& params) {
  ACC_ASSIGN_OR_RETURN(auto rows, Query(sql, params));
  if (rows.empty()) {
    return Err(ErrorCode::kNotFound, "not found");
  }
  return std::move(rows.front());
}

void Connection::OnCommit(std::function<void()> fn) {
  ACC_CHECK(in_tx_, "OnCommit outside a transaction");  // a programming error, not input
  on_commit_.push_back(std::move(fn));
}

Result<Transaction> Connection::Begin(TxMode mode) {
  if (in_tx_) {
    return Err(ErrorCode::kFailedPrecondition, "a transaction is already open on this connection");
  }
  ACC_RETURN_IF_ERROR(BeginImpl(mode));
  in_tx_ = true;
  return Transaction(this);
}

void LeaseReturner::operator()(Connection* c) const {
  if (c != nullptr && store != nullptr) {
    store->Release(c);
  }
}

Result<std::vector<int>> Store::AppliedMigrations() {
  ACC_ASSIGN_OR_RETURN(auto conn, Acquire());
  ACC_RETURN_IF_ERROR(conn->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at TEXT NOT NULL)"));
  ACC_ASSIGN_OR_RETURN(auto rows,
                       conn->Query("SELECT version FROM schema_migrations ORDER BY version"));
  std::vector<int> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(static_cast<int>(r[0].Int()));
  }
  return out;
}

Result<int> Store::Migrate(const std::vector<Migration>& migrations) {
  ACC_ASSIGN_OR_RETURN(auto applied_list, AppliedMigrations());
  std::set<int> applied(applied_list.begin(), applied_list.end());
  std::vector<const Migration*> todo;
  std::set<int> seen;
  for (const auto& m : migrations) {
    if (!seen.insert(m.version).second) {
      return Err(ErrorCode::kInternal, "duplicate migration version " + std::to_string(m.version));
    }
    if (!applied.contains(m.version)) {
      todo.push_back(&m);
    }
  }
  std::sort(todo.begin(), todo.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  ACC_ASSIGN_OR_RETURN(auto conn, Acquire());
  int count = 0;
  for (const Migration* m : todo) {
    ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(TxMode::kWrite));
    Status s = conn->ExecuteScript(m->sql);
    if (!s.ok()) {
      Error e = s.error();
      e.internal = "migration " + std::to_string(m->version) + " (" + m->name + "): " + e.internal;
      return e;
    }
    ACC_RETURN_IF_ERROR(
        conn->Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                      {m->version, m->name, FormatInstantUtc(SystemClock().Now())}));
    ACC_RETURN_IF_ERROR(tx.Commit());
    ++count;
  }
  return count;
}

}  // namespace accredit::store
