#pragma once

#include <atomic>
#include <chrono>

namespace accredit {

// An instant on the UTC timeline, millisecond precision. Everything stored is an Instant.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

// The only way domain code learns the time (STYLE rule 16). Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// Reads std::chrono::system_clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

// A settable clock for tests and for evaluating "as at" an instant. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(start.time_since_epoch().count()) {}

  Instant Now() const override { return Instant(std::chrono::milliseconds(now_.load())); }

  void Set(Instant t) { now_.store(t.time_since_epoch().count()); }

  void Advance(std::chrono::milliseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<std::chrono::milliseconds::rep> now_;
};

}  // namespace accredit
