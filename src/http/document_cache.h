#pragma once

// Generated documents under load (issue 8, point 2): a flood of requests for the same document
// costs one build. Builds are keyed by what they read (the audit log's head, which moves with
// every change, the London date for date-derived values, and who asks), concurrent requests for
// a key wait for the one build in flight (single flight), at most `max_builds` builds run at
// once, and the last `capacity` results are kept. Thread-safe.

#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/core.h"

namespace accredit::http::internal {

struct Download;

class DocumentCache {
 public:
  DocumentCache(int max_builds, std::size_t capacity)
      : max_builds_(max_builds < 1 ? 1 : max_builds), capacity_(capacity < 1 ? 1 : capacity) {}

  // The document for `key`: cached, or built now by `build` (errors are returned to every
  // waiter and not cached).
  Result<std::shared_ptr<const Download>> Get(const std::string& key,
                                              const std::function<Result<Download>()>& build);

  // How many builds ran (for tests and benchmarks).
  std::int64_t Builds() const;

 private:
  struct Slot {
    bool building = false;
    std::shared_ptr<const Download> value;
    std::optional<Error> error;
    std::int64_t generation = 0;  // bumped when a build ends, so waiters see their build's end
  };

  // With the lock held: the cached result, an error, or nullopt after claiming the build of
  // `key` (waits while the key is being built or max_builds_ builds run).
  std::optional<Result<std::shared_ptr<const Download>>> Claim(const std::string& key)
      ACC_REQUIRES(mu_);
  // Ends the claimed build with `built` (nullptr: it threw); sets `out` on success.
  void Finish(const std::string& key, Result<Download>* built, std::shared_ptr<const Download>& out)
      ACC_REQUIRES(mu_);

  const int max_builds_;
  const std::size_t capacity_;
  mutable Mutex mu_;
  CondVar cv_;
  std::map<std::string, Slot> slots_ ACC_GUARDED_BY(mu_);
  std::list<std::string> order_ ACC_GUARDED_BY(mu_);  // finished keys, oldest first
  int running_ ACC_GUARDED_BY(mu_) = 0;
  std::int64_t builds_ ACC_GUARDED_BY(mu_) = 0;
};

}  // namespace accredit::http::internal
