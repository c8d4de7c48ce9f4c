#pragma once

// audit: the append-only, tamper-evident record of every change and every login (S2.4-A1-5.3,
// S2.4-A1-6). Each record is appended in the same transaction as the change it describes and is
// chained to its predecessor by SHA-256 (hash_n = SHA-256(hash_{n-1} || canonical(record_n))).
// Signed checkpoints (size + head hash, Ed25519 with a key the server holds outside the
// database) let `audit verify` catch truncation or a wholesale rewrite by someone with database
// access. Checkpoints are taken automatically (every N records, and every M minutes by `serve`)
// and each is kept twice: in audit_checkpoints and as one line of an append-only file beside the
// key, optionally also sent to an external witness (docs/AUDIT.md).

#include <chrono>
#include <cstdint>
#include <functional>
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
  // The same object on one line ending in '\n', as kept in the checkpoint file.
  std::string ToJsonLine() const;
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

// Where a checkpoint that verification used came from.
enum class CheckpointSource { kArgument, kDatabase, kFile };
std::string_view CheckpointSourceName(CheckpointSource source);  // "argument", "database", "file"

struct VerifyReport {
  bool ok = true;
  std::int64_t records = 0;                 // records examined
  std::optional<std::int64_t> first_bad{};  // seq (position) of the first bad record
  std::string reason;                       // "record 42: hash mismatch (modified)", ...
  // The checkpoint the log was checked against (VerifyNewest; nullopt: none was found).
  std::optional<Checkpoint> checkpoint{};
  CheckpointSource checkpoint_source = CheckpointSource::kArgument;
  // Things found on the way that did not stop verification: malformed lines of the checkpoint
  // file ("checkpoint file line 3: ... (skipped)"), checkpoints whose signature or key does not
  // verify, an unreadable file.
  std::vector<std::string> notes{};
};

// "checkpoint of 10 records issued at 2026-04-03T10:00:10.000Z (file)".
std::string DescribeCheckpoint(const Checkpoint& checkpoint, CheckpointSource source);

// Appends `checkpoint` as one line (ToJsonLine) to the file at `path`, creating it mode 0600,
// with one O_APPEND write followed by fsync. Errors: kUnavailable (path in `internal`).
Status AppendCheckpointFile(const std::string& path, const Checkpoint& checkpoint);

// The checkpoints of a checkpoint file, in file order. A missing file is empty; a file that
// cannot be read and each malformed line are described in `notes` (line numbers, 1-based) and
// skipped. Never fails.
struct CheckpointFileContents {
  std::vector<Checkpoint> checkpoints;
  std::vector<std::string> notes;
};

CheckpointFileContents ReadCheckpointFile(const std::string& path);

// How AuditLog takes and keeps checkpoints (docs/AUDIT.md, "Checkpoints").
struct CheckpointOptions {
  // Signs checkpoints and checks them; nullptr: no checkpoints are taken and VerifyNewest only
  // checks the chain. Not owned; must outlive the AuditLog.
  const CheckpointKey* key = nullptr;
  // The append-only copy of every checkpoint ("<db>.audit-checkpoints.jsonl" beside the key);
  // empty: none.
  std::string file_path;
  // Append takes a checkpoint when the new record's seq is a multiple of this; 0: never.
  std::int64_t every_records = 1000;
  // Optional external witness, called with each checkpoint after it is committed and written to
  // the file (for example a webhook POST). Must be thread-safe; must not throw.
  std::function<Status(const Checkpoint&)> witness{};
  // Told about problems of automatic checkpoints, which never fail the change being recorded
  // (a log that does not verify, a file or witness that cannot be written). Must be thread-safe;
  // must not throw. Empty: ignored.
  std::function<void(const Error&)> on_error{};
};

// The audit log. Thread-safe (holds no per-call state; callers pass their connection).
class AuditLog {
 public:
  // No automatic checkpoints.
  explicit AuditLog(const Clock& clock) : clock_(clock) { options_.every_records = 0; }

  AuditLog(const Clock& clock, CheckpointOptions options)
      : clock_(clock), options_(std::move(options)) {}

  // Schema (migration versions 200-299).
  static std::vector<store::Migration> Migrations();

  // Appends `entry` at clock.Now(). REQUIRES: conn is inside a write transaction (the caller's,
  // so the record commits or rolls back with the change). Returns the new record's seq.
  // When seq is a multiple of options.every_records (and a key is set), also signs a checkpoint
  // of the log including this record, stores it in audit_checkpoints in the same transaction,
  // and writes the file copy and calls the witness once the transaction commits. A checkpoint
  // that cannot be taken goes to options.on_error; it never fails the append.
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

  // Like Verify, against the newest checkpoint found in audit_checkpoints and in the checkpoint
  // file: the one with the largest size (then the latest issued_at) whose key id and signature
  // verify with options.key. The report names it (checkpoint, checkpoint_source) and carries
  // notes on skipped file lines and on checkpoints that do not verify. Without a key, or when
  // no checkpoint is found, checks the chain only (report.checkpoint is nullopt).
  Result<VerifyReport> VerifyNewest(store::Connection& conn) const;

  // Takes a checkpoint now: in one write transaction of its own, checks the log against the
  // newest checkpoint (VerifyNewest), signs the head and stores it in audit_checkpoints; after
  // the commit appends it to the checkpoint file and calls the witness. Errors:
  // kFailedPrecondition without a key; kDataLoss when the log does not verify (nothing is
  // signed); kUnavailable when the file cannot be written (the database copy is kept). A
  // witness failure goes to options.on_error.
  Result<Checkpoint> TakeCheckpoint(store::Store& store) const;

  // The periodic job (`serve`, every M minutes): takes a checkpoint when the log has records
  // beyond the newest stored checkpoint and that checkpoint is at least `interval` old (by the
  // Clock), or when there is none. Returns the checkpoint taken, or nullopt when none was due.
  Result<std::optional<Checkpoint>> TakeCheckpointIfDue(store::Store& store,
                                                        std::chrono::minutes interval) const;

  // Keeps `checkpoint` in audit_checkpoints (a server-side history; the file copy and any
  // exported copies held outside the database are what catch a rewrite by someone who can edit
  // the database). REQUIRES: conn is inside a write transaction.
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
  // Signs the head of a log of `size` records (already verified).
  Result<Checkpoint> SignHead(store::Connection& conn, std::int64_t size,
                              const CheckpointKey& key) const;
  // Signs the current head after VerifyNewest passes, and stores it. REQUIRES: write transaction.
  Result<Checkpoint> SignAndStore(store::Connection& conn) const;
  // Writes the file copy and calls the witness; errors of the witness go to on_error.
  Status Publish(const Checkpoint& checkpoint) const;
  void ReportError(const Error& error) const;

  const Clock& clock_;
  CheckpointOptions options_;
};

}  // namespace accredit::audit
