#include "http/document_cache.h"

#include <algorithm>

#include "http/internal.h"

namespace accredit::http::internal {

std::optional<Result<std::shared_ptr<const Download>>> DocumentCache::Claim(
    const std::string& key) {
  for (;;) {
    auto it = slots_.find(key);
    if (it != slots_.end() && it->second.value) {
      return Result<std::shared_ptr<const Download>>(it->second.value);
    }
    if (it != slots_.end() && it->second.building) {
      // Someone builds this key: wait for that build, then take its result or error.
      const std::int64_t gen = it->second.generation;
      for (;;) {
        auto s = slots_.find(key);
        if (s == slots_.end() || s->second.generation != gen) {
          break;
        }
        cv_.Wait(mu_);
      }
      auto done = slots_.find(key);
      if (done != slots_.end() && done->second.value) {
        return Result<std::shared_ptr<const Download>>(done->second.value);
      }
      if (done != slots_.end() && done->second.error) {
        return Result<std::shared_ptr<const Download>>(*done->second.error);
      }
      continue;
    }
    if (running_ >= max_builds_) {
      cv_.Wait(mu_);
      continue;
    }
    Slot& slot = slots_[key];
    slot.building = true;
    slot.error.reset();
    ++running_;
    ++builds_;
    return std::nullopt;  // the caller builds
  }
}

void DocumentCache::Finish(const std::string& key, Result<Download>* built,
                           std::shared_ptr<const Download>& out) {
  Slot& s = slots_[key];
  s.building = false;
  ++s.generation;
  --running_;
  if (built != nullptr && built->has_value()) {
    out = std::make_shared<const Download>(std::move(built->value()));
    s.value = out;
    order_.push_back(key);
    while (order_.size() > capacity_) {
      slots_.erase(order_.front());
      order_.pop_front();
    }
  } else if (built != nullptr) {
    s.error = built->error();
  }
  cv_.SignalAll();
}

Result<std::shared_ptr<const Download>> DocumentCache::Get(
    const std::string& key, const std::function<Result<Download>()>& build) {
  {
    MutexLock lock(mu_);
    if (auto ready = Claim(key)) {
      return std::move(*ready);
    }
  }
  // This thread builds `key`, outside the lock.
  Result<Download> built = Err(ErrorCode::kInternal, "internal error");
  std::shared_ptr<const Download> out;
  try {
    built = build();
  } catch (...) {
    MutexLock lock(mu_);
    Finish(key, nullptr, out);
    throw;  // the request's own catch boundary answers it
  }
  MutexLock lock(mu_);
  Finish(key, &built, out);
  if (!out) {
    return built.error();
  }
  return out;
}

std::int64_t DocumentCache::Builds() const {
  MutexLock lock(mu_);
  return builds_;
}

}  // namespace accredit::http::internal
