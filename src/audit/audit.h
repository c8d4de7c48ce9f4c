#pragma once

// audit: the append-only, tamper-evident record of every change and every login (S2.4-A1-5.3,
// S2.4-A1-6). Each record is appended in the same transaction as the change it describes and is
// chained to its predecessor by SHA-256 (hash_n = SHA-256(hash_{n-1} || canonical(record_n))).
// Signed checkpoints (size + head hash, Ed25519 with a key the server holds outside the
// database) let `audit verify --checkpoint` catch truncation or a wholesale rewrite by someone
// with database access.

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/core.h"
#include "store/store.h"

namespace accredit::audit {

// What happened. before/after are JSON texts ("null" when absent); never secrets.
struct Entry {
  std::string actor;        // username, or "system", or "cli:<os-user>"
  std::string action;       // "user.create", "login", "login.failed", "logout", "contract.update"
  std::string entity_type;  // "user", "session", "contract", ...
  std::string entity_id;
  std::string before_json = "null";
  std::string after_json = "null";
};

// A stored record.
struct Record {
  std::int64_t seq = 0;  // 1-based position in the log
  Instant at;
  Entry entry;
  std::string prev_hash_hex;
  std::string hash_hex;
};

struct Filter {
  std::optional<std::string> entity_type{};
  std::optional<std::string> entity_id{};
  std::optional<std::string> actor{};
  std::optional<std::string> action{};
  std::optional<Instant> from{};  // inclusive
  std::optional<Instant> to{};    // exclusive
  int limit = 100;
  std::int64_t offset = 0;
  bool newest_first = true;
};

// A signed statement of the log's size and head hash.
struct Checkpoint {
  std::int64_t size = 0;
  std::string head_hash_hex;  // hash of record `size` (64 zero hex digits when size == 0)
  Instant issued_at;
  std::string key_id;         // SHA-256 of the public key, hex, first 16 chars
  std::string signature_b64;  // Ed25519 over the canonical text (see ToText)

  // The exact text that is signed:
  // "accredit-audit-checkpoint/1\n<size>\n<head_hash_hex>\n<issued_at UTC ISO>\n<key_id>\n".
  std::string ToText() const;
  // Canonical serialised form (a JSON object), as exported to a file.
  std::string ToJson() const;
  // Parses ToJson()'s output; errors name the field.
  static Result<Checkpoint> FromJson(std::string_view text);
};

// The Ed25519 key that signs checkpoints. Thread-safe after construction.
class CheckpointKey {
 public:
  // Loads the PEM private key at `path`, creating it (mode 0600) when absent.
  static Result<std::unique_ptr<CheckpointKey>> LoadOrCreate(const std::string& path);
  ~CheckpointKey();
  CheckpointKey(const CheckpointKey&) = delete;
  CheckpointKey& operator=(const CheckpointKey&) = delete;

  std::string KeyId() const;
  Result<std::string> Sign(std::string_view message) const;  // base64
  bool Verify(std::string_view message, std::string_view signature_b64) const;
  std::string PublicKeyPem() const;

 private:
  struct Impl;
  explicit CheckpointKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct VerifyReport {
  bool ok = true;
  std::int64_t records = 0;                 // records examined
  std::optional<std::int64_t> first_bad{};  // seq (position) of the first bad record
  std::string reason;                       // "record 42: hash mismatch (modified)", ...
};

// The audit log. Thread-safe (holds no per-call state; callers pass their connection).
class AuditLog {
 public:
  explicit AuditLog(const Clock& clock) : clock_(clock) {}

  // Schema (migration versions 200-299).
  static std::vector<store::Migration> Migrations();

  // Appends `entry` at clock.Now(). REQUIRES: conn is inside a write transaction (the caller's,
  // so the record commits or rolls back with the change). Returns the new record's seq.
  Result<std::int64_t> Append(store::Connection& conn, const Entry& entry) const;

  // Convenience for events without another change (logins): opens its own transaction.
  Result<std::int64_t> AppendStandalone(store::Store& store, const Entry& entry) const;

  // Recomputes the chain from the first record; detects any modified, deleted, inserted or
  // reordered record and names the first bad position. With `checkpoint`, also checks that the
  // log still holds at least checkpoint.size records and that record checkpoint.size has the
  // checkpointed hash, and that the checkpoint's signature verifies with `key`.
  Result<VerifyReport> Verify(store::Connection& conn, const Checkpoint* checkpoint = nullptr,
                              const CheckpointKey* key = nullptr) const;

  // A signed checkpoint of the current head, issued at clock.Now(). Verifies the whole chain
  // first and refuses (kDataLoss, reason in `message`) to sign a log that does not verify.
  // Only reads: the caller may keep the checkpoint with StoreCheckpoint and/or export it.
  Result<Checkpoint> MakeCheckpoint(store::Connection& conn, const CheckpointKey& key) const;

  // Keeps `checkpoint` in audit_checkpoints (a server-side history; exported copies held outside
  // the database are what catch a rewrite). REQUIRES: conn is inside a write transaction.
  Status StoreCheckpoint(store::Connection& conn, const Checkpoint& checkpoint) const;
  // Stored checkpoints, newest first.
  Result<std::vector<Checkpoint>> ListCheckpoints(store::Connection& conn) const;

  // Records matching `filter`, ordered by seq (newest first unless !filter.newest_first).
  // Errors: kInvalidArgument (field "limit"/"offset") for limit < 1 or offset < 0.
  Result<std::vector<Record>> List(store::Connection& conn, const Filter& filter) const;
  Result<std::int64_t> Count(store::Connection& conn, const Filter& filter) const;
  // Streams every record matching filter (limit/offset ignored) as CSV (RFC 4180, header row)
  // or as a JSON array.
  Status ExportCsv(store::Connection& conn, const Filter& filter, std::ostream& out) const;
  Status ExportJson(store::Connection& conn, const Filter& filter, std::ostream& out) const;

 private:
  const Clock& clock_;
};

}  // namespace accredit::audit
