#include "http/document_cache.h"

#include <algorithm>

#include "http/internal.h"

namespace accredit::http::internal {

Result<std::shared_ptr<const Download>> DocumentCache::Get(
    const std::string& key, const std::function<Result<Download>()>& build) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    auto it = slots_.find(key);
    if (it != slots_.end() && it->second.value) {
      return it->second.value;
    }
    if (it != slots_.end() && it->second.building) {
      // Someone builds this key: wait for that build, then take its result or error.
      const std::int64_t gen = it->second.generation;
      cv_.wait(lock, [&] {
        auto s = slots_.find(key);
        return s == slots_.end() || s->second.generation != gen;
      });
      auto done = slots_.find(key);
      if (done != slots_.end() && done->second.value) {
        return done->second.value;
      }
      if (done != slots_.end() && done->second.error) {
        return *done->second.error;
      }
      continue;
    }
    if (running_ >= max_builds_) {
      cv_.wait(lock, [&] { return running_ < max_builds_; });
      continue;
    }
    break;
  }
  Slot& slot = slots_[key];
  slot.building = true;
  slot.error.reset();
  ++running_;
  ++builds_;
  lock.unlock();

  Result<Download> built = Err(ErrorCode::kInternal, "internal error");
  try {
    built = build();
  } catch (...) {
    lock.lock();
    Slot& s = slots_[key];
    s.building = false;
    ++s.generation;
    --running_;
    cv_.notify_all();
    throw;  // the request's own catch boundary answers it
  }

  lock.lock();
  Slot& s = slots_[key];
  s.building = false;
  ++s.generation;
  --running_;
  std::shared_ptr<const Download> out;
  if (built) {
    out = std::make_shared<const Download>(std::move(*built));
    s.value = out;
    order_.push_back(key);
    while (order_.size() > capacity_) {
      slots_.erase(order_.front());
      order_.pop_front();
    }
  } else {
    s.error = built.error();
  }
  cv_.notify_all();
  if (!out) {
    return built.error();
  }
  return out;
}

std::int64_t DocumentCache::Builds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return builds_;
}

}  // namespace accredit::http::internal
