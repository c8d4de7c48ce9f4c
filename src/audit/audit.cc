// The hash-chained audit log: append, verify, list and export. The record format and the
// tampering each check catches are described in docs/AUDIT.md.

#include "audit/audit.h"

#include <array>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "audit/internal.h"

namespace accredit::audit {
namespace {

constexpr std::size_t kHashSize = 32;

struct MdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

using Hash = std::array<unsigned char, kHashSize>;

std::string_view AsView(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

// The fields of a record that its hash covers, as views into the caller's buffers.
struct RecordFields {
  std::int64_t seq = 0;
  std::string_view at;
  std::string_view actor;
  std::string_view action;
  std::string_view entity_type;
  std::string_view entity_id;
  std::string_view before_json;
  std::string_view after_json;
};

// Computes hash_n = SHA-256(prev || canonical(record)). canonical = u64be(seq) followed by
// u64be(len) || bytes for each text field, so no two different records serialise alike.
// Reuses one explicitly fetched digest and one context (the implicit fetch in EVP_Digest costs
// more than hashing a short record). Thread-compatible: one per Verify/Append call.
class ChainHasher {
 public:
  Status Init() {
    md_.reset(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    ctx_.reset(EVP_MD_CTX_new());
    if (!md_ || !ctx_) {
      return Err(ErrorCode::kInternal, "SHA-256 is unavailable");
    }
    buf_.reserve(1024);
    return Status::Ok();
  }

  // REQUIRES: prev.size() == kHashSize.
  Status Compute(std::string_view prev, const RecordFields& r, Hash& out) {
    buf_.clear();
    AppendU64(static_cast<std::uint64_t>(r.seq));
    for (std::string_view f :
         {r.at, r.actor, r.action, r.entity_type, r.entity_id, r.before_json, r.after_json}) {
      AppendU64(f.size());
      buf_.append(f);
    }
    unsigned int len = 0;
    if (EVP_DigestInit_ex2(ctx_.get(), md_.get(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx_.get(), prev.data(), prev.size()) != 1 ||
        EVP_DigestUpdate(ctx_.get(), buf_.data(), buf_.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) != 1 || len != kHashSize) {
      return Err(ErrorCode::kInternal, "SHA-256 failed");
    }
    return Status::Ok();
  }

 private:
  void AppendU64(std::uint64_t v) {
    std::array<char, 8> b{};
    for (int i = 7; i >= 0; --i) {
      b[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xffU);
      v >>= 8U;
    }
    buf_.append(b.data(), b.size());
  }

  std::unique_ptr<EVP_MD, MdDeleter> md_;
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx_;
  std::string buf_;
};

// Columns in the order every query below selects them.
constexpr std::string_view kColumns =
    "seq, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash";

// WHERE clause and parameters for a filter.
struct Where {
  std::string sql;
  store::Params params;
};

Where BuildWhere(const Filter& f) {
  Where w;
  auto add = [&](std::string_view clause, store::Value v) {
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    w.sql += clause;
    w.params.push_back(std::move(v));
  };
  if (f.entity_type) {
    add("entity_type = ?", *f.entity_type);
  }
  if (f.entity_id) {
    add("entity_id = ?", *f.entity_id);
  }
  if (f.actor) {
    add("actor = ?", *f.actor);
  }
  if (f.action) {
    add("action = ?", *f.action);
  }
  // Instants are fixed-width UTC text, so text order is time order.
  if (f.from) {
    add("at >= ?", FormatInstantUtc(*f.from));
  }
  if (f.to) {
    add("at < ?", FormatInstantUtc(*f.to));
  }
  return w;
}

std::string OrderBy(const Filter& f) {
  return f.newest_first ? " ORDER BY seq DESC" : " ORDER BY seq ASC";
}

// RFC 4180: quote a field holding a comma, quote, CR or LF; double embedded quotes.
void WriteCsvField(std::ostream& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out << s;
    return;
  }
  out << '"';
  for (char c : s) {
    if (c == '"') {
      out << '"';
    }
    out << c;
  }
  out << '"';
}

// A stored JSON text as a JSON value; text that does not parse (only possible after tampering)
// is exported as a string so the export stays valid JSON.
nlohmann::json JsonOrString(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return nlohmann::json(std::string(text));
  }
  return j;
}

Error StreamError() {
  return Err(ErrorCode::kUnavailable, "cannot write the export", "", "output stream failed");
}

}  // namespace

std::vector<store::Migration> AuditLog::Migrations() {
  return {
      {200, "audit_log",
       "CREATE TABLE audit_log ("
       " seq INTEGER PRIMARY KEY,"
       " at TEXT NOT NULL,"
       " actor TEXT NOT NULL,"
       " action TEXT NOT NULL,"
       " entity_type TEXT NOT NULL,"
       " entity_id TEXT NOT NULL,"
       " before_json TEXT NOT NULL,"
       " after_json TEXT NOT NULL,"
       " prev_hash BLOB NOT NULL,"
       " hash BLOB NOT NULL);"
       "CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);"
       "CREATE INDEX audit_log_actor ON audit_log (actor);"
       "CREATE INDEX audit_log_at ON audit_log (at);"},
      {201, "audit_checkpoints",
       "CREATE TABLE audit_checkpoints ("
       " id INTEGER PRIMARY KEY,"
       " size INTEGER NOT NULL,"
       " head_hash TEXT NOT NULL,"
       " issued_at TEXT NOT NULL,"
       " key_id TEXT NOT NULL,"
       " signature TEXT NOT NULL);"},
  };
}

Result<std::int64_t> AuditLog::Append(store::Connection& conn, const Entry& entry) const {
  if (!conn.InTransaction()) {
    return Err(ErrorCode::kFailedPrecondition, "an audit record must be written in a transaction");
  }
  if (entry.actor.empty()) {
    return Err(ErrorCode::kInvalidArgument, "audit actor is required", "actor");
  }
  if (entry.action.empty()) {
    return Err(ErrorCode::kInvalidArgument, "audit action is required", "action");
  }
  if (!nlohmann::json::accept(entry.before_json)) {
    return Err(ErrorCode::kInvalidArgument, "audit before must be JSON", "before_json");
  }
  if (!nlohmann::json::accept(entry.after_json)) {
    return Err(ErrorCode::kInvalidArgument, "audit after must be JSON", "after_json");
  }
  // TODO(2): a PostgreSQL backend must serialise appenders here (e.g. LOCK TABLE or an
  // advisory lock); SQLite's BEGIN IMMEDIATE already holds the write lock.
  ACC_ASSIGN_OR_RETURN(auto head,
                       conn.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  std::int64_t seq = 1;
  std::string prev(kHashSize, '\0');
  if (!head.empty()) {
    seq = head[0][0].Int() + 1;
    prev = head[0][1].Bytes();
    if (prev.size() != kHashSize) {
      return Err(ErrorCode::kDataLoss, "the audit log is damaged; run `accredit audit verify`", "",
                 "head record has a malformed hash");
    }
  }
  const std::string at = FormatInstantUtc(clock_.Now());
  ChainHasher hasher;
  ACC_RETURN_IF_ERROR(hasher.Init());
  Hash hash{};
  ACC_RETURN_IF_ERROR(hasher.Compute(prev,
                                     {seq, at, entry.actor, entry.action, entry.entity_type,
                                      entry.entity_id, entry.before_json, entry.after_json},
                                     hash));
  ACC_RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, before_json, "
      "after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {seq, at, entry.actor, entry.action, entry.entity_type, entry.entity_id, entry.before_json,
       entry.after_json, store::Blob{std::move(prev)}, store::Blob{std::string(AsView(hash))}}));
  if (options_.key != nullptr && options_.every_records > 0 && seq % options_.every_records == 0) {
    // The database copy commits or rolls back with the record; the file copy and the witness
    // must only ever describe committed records, so they wait for the commit.
    auto cp = SignAndStore(conn);
    if (!cp) {
      Error e = cp.error();
      e.message =
          "automatic checkpoint at record " + std::to_string(seq) + " not taken: " + e.message;
      ReportError(e);
    } else {
      conn.OnCommit([this, checkpoint = std::move(*cp)] {
        const Status published = Publish(checkpoint);
        if (!published.ok()) {
          ReportError(published.error());
        }
      });
    }
  }
  return seq;
}

Result<std::int64_t> AuditLog::AppendStandalone(store::Store& store, const Entry& entry) const {
  ACC_ASSIGN_OR_RETURN(auto conn, store.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(std::int64_t seq, Append(*conn, entry));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return seq;
}

Result<VerifyReport> AuditLog::Verify(store::Connection& conn, const Checkpoint* checkpoint,
                                      const CheckpointKey* key) const {
  VerifyReport report;
  auto fail = [&](std::optional<std::int64_t> position, std::string reason) {
    report.ok = false;
    report.first_bad = position;
    report.reason = std::move(reason);
  };

  if (checkpoint != nullptr) {
    if (key == nullptr) {
      return Err(ErrorCode::kFailedPrecondition, "checking a checkpoint needs the checkpoint key");
    }
    if (checkpoint->key_id != key->KeyId()) {
      fail(std::nullopt, "checkpoint was signed by key " + checkpoint->key_id +
                             ", not by this server's key " + key->KeyId());
      return report;
    }
    if (!key->Verify(checkpoint->ToText(), checkpoint->signature_b64)) {
      fail(std::nullopt, "checkpoint signature does not verify (the checkpoint was altered)");
      return report;
    }
  }

  ACC_RETURN_IF_ERROR(
      internal::ScanChain(conn, 1, std::string(kHashSize, '\0'), checkpoint, report));
  return report;
}

namespace internal {

Status ScanChain(store::Connection& conn, std::int64_t first_seq, std::string running_prev,
                 const Checkpoint* checkpoint, VerifyReport& report) {
  auto fail = [&](std::optional<std::int64_t> position, std::string reason) {
    report.ok = false;
    report.first_bad = position;
    report.reason = std::move(reason);
  };
  std::string checkpoint_head;  // raw bytes
  ChainHasher hasher;
  ACC_RETURN_IF_ERROR(hasher.Init());
  Hash computed{};
  std::int64_t expected = first_seq;
  bool stopped = false;
  // Set when the stored prev_hash does not link; diagnosed after the scan.
  std::string orphan_prev;

  Status scan = conn.ForEach(
      "SELECT " + std::string(kColumns) + " FROM audit_log WHERE seq >= ? ORDER BY seq",
      {first_seq}, [&](const store::RowView& row) -> Status {
        const std::int64_t seq = row.Int(0);
        auto stop = [&](std::optional<std::int64_t> position, std::string reason) {
          fail(position, std::move(reason));
          stopped = true;
          return Err(ErrorCode::kInternal, "stop");
        };
        if (seq > expected) {
          return stop(expected, "record " + std::to_string(expected) +
                                    " is missing: the log jumps from record " +
                                    std::to_string(expected - 1) + " to record " +
                                    std::to_string(seq) + " (deleted)");
        }
        if (seq < expected) {
          return stop(expected, "record at position " + std::to_string(expected) + " has seq " +
                                    std::to_string(seq) + " (inserted or reordered)");
        }
        const std::string_view prev = row.Bytes(8);
        const std::string_view stored = row.Bytes(9);
        if (prev.size() != kHashSize || stored.size() != kHashSize) {
          return stop(seq, "record " + std::to_string(seq) + ": malformed hash (modified)");
        }
        if (prev != running_prev) {
          orphan_prev.assign(prev);
          return stop(seq, "");  // reason filled in below
        }
        ACC_RETURN_IF_ERROR(hasher.Compute(prev,
                                           {seq, row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                                            row.Text(5), row.Text(6), row.Text(7)},
                                           computed));
        if (stored != AsView(computed)) {
          return stop(seq, "record " + std::to_string(seq) +
                               ": stored hash does not match its contents (modified)");
        }
        report.records = seq;
        if (checkpoint_head.empty() && checkpoint != nullptr && seq == checkpoint->size) {
          checkpoint_head = HexEncode(stored);
          if (checkpoint_head != checkpoint->head_hash_hex) {
            return stop(seq, "record " + std::to_string(seq) +
                                 ": hash does not match the checkpoint's head hash (the log "
                                 "was rewritten since the checkpoint)");
          }
        }
        running_prev.assign(stored);
        ++expected;
        return Status::Ok();
      });
  if (!scan.ok() && !stopped) {
    return scan.error();
  }
  if (stopped) {
    if (report.reason.empty() && report.first_bad) {
      // The stored link points somewhere other than the previous record: find where.
      const std::int64_t seq = *report.first_bad;
      ACC_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT seq FROM audit_log WHERE hash = ?",
                                                 {store::Blob{orphan_prev}}));
      if (!rows.empty()) {
        report.reason = "record " + std::to_string(seq) +
                        ": holds the record that followed record " +
                        std::to_string(rows[0][0].Int()) + ", not record " +
                        std::to_string(seq - 1) + " (reordered or inserted)";
      } else {
        report.reason = "record " + std::to_string(seq) + ": does not chain to record " +
                        std::to_string(seq - 1) + " (a record was inserted, deleted or modified)";
      }
    }
    return Status::Ok();
  }
  if (checkpoint != nullptr && report.records < checkpoint->size) {
    fail(report.records + 1, "log truncated: checkpoint has " + std::to_string(checkpoint->size) +
                                 " records, log has " + std::to_string(report.records));
  }
  return Status::Ok();
}

Result<VerifyReport> VerifyTail(store::Connection& conn, const Checkpoint& checkpoint) {
  VerifyReport report;
  if (checkpoint.size <= 0) {
    ACC_RETURN_IF_ERROR(ScanChain(conn, 1, std::string(kHashSize, '\0'), nullptr, report));
    return report;
  }
  ACC_ASSIGN_OR_RETURN(auto rows,
                       conn.Query("SELECT hash FROM audit_log WHERE seq = ?", {checkpoint.size}));
  const std::string stored = rows.empty() ? std::string() : rows[0][0].Bytes();
  if (rows.empty() || HexEncode(stored) != checkpoint.head_hash_hex) {
    report.ok = false;
    report.first_bad = checkpoint.size;
    report.reason = rows.empty()
                        ? "log truncated: checkpoint has " + std::to_string(checkpoint.size) +
                              " records, record " + std::to_string(checkpoint.size) + " is missing"
                        : "record " + std::to_string(checkpoint.size) +
                              ": hash does not match the checkpoint's head hash (the log "
                              "was rewritten since the checkpoint)";
    return report;
  }
  report.records = checkpoint.size;
  ACC_RETURN_IF_ERROR(ScanChain(conn, checkpoint.size + 1, stored, nullptr, report));
  return report;
}

}  // namespace internal

Result<Checkpoint> AuditLog::MakeCheckpoint(store::Connection& conn,
                                            const CheckpointKey& key) const {
  ACC_ASSIGN_OR_RETURN(VerifyReport report, Verify(conn));
  if (!report.ok) {
    return Err(ErrorCode::kDataLoss,
               "the audit log does not verify; refusing to sign a checkpoint: " + report.reason);
  }
  return SignHead(conn, report.records, key);
}

Result<Checkpoint> AuditLog::SignHead(store::Connection& conn, std::int64_t size,
                                      const CheckpointKey& key) const {
  Checkpoint cp;
  cp.size = size;
  cp.head_hash_hex = std::string(kHashSize * 2, '0');
  if (cp.size > 0) {
    ACC_ASSIGN_OR_RETURN(auto row,
                         conn.QueryOne("SELECT hash FROM audit_log WHERE seq = ?", {cp.size}));
    cp.head_hash_hex = HexEncode(row[0].Bytes());
  }
  cp.issued_at = clock_.Now();
  cp.key_id = key.KeyId();
  ACC_ASSIGN_OR_RETURN(cp.signature_b64, key.Sign(cp.ToText()));
  return cp;
}

Status AuditLog::StoreCheckpoint(store::Connection& conn, const Checkpoint& checkpoint) const {
  if (!conn.InTransaction()) {
    return Err(ErrorCode::kFailedPrecondition, "a checkpoint must be stored in a transaction");
  }
  return conn
      .Execute(
          "INSERT INTO audit_checkpoints (size, head_hash, issued_at, key_id, signature) "
          "VALUES (?, ?, ?, ?, ?)",
          {checkpoint.size, checkpoint.head_hash_hex, FormatInstantUtc(checkpoint.issued_at),
           checkpoint.key_id, checkpoint.signature_b64})
      .status();
}

Result<std::vector<Checkpoint>> AuditLog::ListCheckpoints(store::Connection& conn) const {
  ACC_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT size, head_hash, issued_at, key_id, "
                                             "signature FROM audit_checkpoints ORDER BY id DESC"));
  std::vector<Checkpoint> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Checkpoint cp;
    cp.size = r[0].Int();
    cp.head_hash_hex = r[1].Text();
    ACC_ASSIGN_OR_RETURN(cp.issued_at, ParseInstant(r[2].Text(), "issued_at"));
    cp.key_id = r[3].Text();
    cp.signature_b64 = r[4].Text();
    out.push_back(std::move(cp));
  }
  return out;
}

Result<std::vector<Record>> AuditLog::List(store::Connection& conn, const Filter& filter) const {
  if (filter.limit < 1) {
    return Err(ErrorCode::kInvalidArgument, "limit must be at least 1", "limit");
  }
  if (filter.offset < 0) {
    return Err(ErrorCode::kInvalidArgument, "offset must not be negative", "offset");
  }
  Where w = BuildWhere(filter);
  w.params.emplace_back(filter.limit);
  w.params.emplace_back(filter.offset);
  std::vector<Record> out;
  ACC_RETURN_IF_ERROR(conn.ForEach("SELECT " + std::string(kColumns) + " FROM audit_log" + w.sql +
                                       OrderBy(filter) + " LIMIT ? OFFSET ?",
                                   w.params, [&](const store::RowView& row) -> Status {
                                     Record r;
                                     r.seq = row.Int(0);
                                     ACC_ASSIGN_OR_RETURN(r.at, ParseInstant(row.Text(1), "at"));
                                     r.entry.actor = row.Text(2);
                                     r.entry.action = row.Text(3);
                                     r.entry.entity_type = row.Text(4);
                                     r.entry.entity_id = row.Text(5);
                                     r.entry.before_json = row.Text(6);
                                     r.entry.after_json = row.Text(7);
                                     r.prev_hash_hex = HexEncode(row.Bytes(8));
                                     r.hash_hex = HexEncode(row.Bytes(9));
                                     out.push_back(std::move(r));
                                     return Status::Ok();
                                   }));
  return out;
}

Result<std::int64_t> AuditLog::Count(store::Connection& conn, const Filter& filter) const {
  const Where w = BuildWhere(filter);
  ACC_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT COUNT(*) FROM audit_log" + w.sql, w.params));
  return row[0].Int();
}

Status AuditLog::ExportCsv(store::Connection& conn, const Filter& filter, std::ostream& out) const {
  const Where w = BuildWhere(filter);
  out << "seq,at,actor,action,entity_type,entity_id,before,after,hash\r\n";
  ACC_RETURN_IF_ERROR(
      conn.ForEach("SELECT " + std::string(kColumns) + " FROM audit_log" + w.sql + OrderBy(filter),
                   w.params, [&](const store::RowView& row) -> Status {
                     out << row.Int(0);
                     for (int i = 1; i <= 7; ++i) {
                       out << ',';
                       WriteCsvField(out, row.Text(i));
                     }
                     out << ',' << HexEncode(row.Bytes(9)) << "\r\n";
                     return out ? Status::Ok() : Status(StreamError());
                   }));
  out.flush();
  return out ? Status::Ok() : Status(StreamError());
}

Status AuditLog::ExportJson(store::Connection& conn, const Filter& filter,
                            std::ostream& out) const {
  const Where w = BuildWhere(filter);
  out << '[';
  bool first = true;
  ACC_RETURN_IF_ERROR(
      conn.ForEach("SELECT " + std::string(kColumns) + " FROM audit_log" + w.sql + OrderBy(filter),
                   w.params, [&](const store::RowView& row) -> Status {
                     nlohmann::ordered_json j;
                     j["seq"] = row.Int(0);
                     j["at"] = row.Text(1);
                     j["actor"] = row.Text(2);
                     j["action"] = row.Text(3);
                     j["entity_type"] = row.Text(4);
                     j["entity_id"] = row.Text(5);
                     j["before"] = JsonOrString(row.Text(6));
                     j["after"] = JsonOrString(row.Text(7));
                     j["prev_hash"] = HexEncode(row.Bytes(8));
                     j["hash"] = HexEncode(row.Bytes(9));
                     out << (first ? "\n" : ",\n")
                         << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                     first = false;
                     return out ? Status::Ok() : Status(StreamError());
                   }));
  out << (first ? "]\n" : "\n]\n");
  out.flush();
  return out ? Status::Ok() : Status(StreamError());
}

}  // namespace accredit::audit
