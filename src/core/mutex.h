#pragma once

// An annotated mutex (STYLE rule 17): clang's -Wthread-safety checks that every member marked
// ACC_GUARDED_BY(mu_) is touched only with mu_ held. libstdc++'s std::mutex carries no
// annotations, so the checked code locks these wrappers; the macros are empty for g++ (which
// ignores them) and CI builds with clang-14 -Wthread-safety -Werror. After leveldb's
// port/thread_annotations.h and port/port_stdcxx.h.

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define ACC_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define ACC_THREAD_ANNOTATION(x)
#endif

#define ACC_CAPABILITY(x) ACC_THREAD_ANNOTATION(capability(x))
#define ACC_SCOPED_CAPABILITY ACC_THREAD_ANNOTATION(scoped_lockable)
#define ACC_GUARDED_BY(x) ACC_THREAD_ANNOTATION(guarded_by(x))
#define ACC_PT_GUARDED_BY(x) ACC_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACC_REQUIRES(...) ACC_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACC_ACQUIRE(...) ACC_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACC_RELEASE(...) ACC_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define ACC_EXCLUDES(...) ACC_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACC_NO_THREAD_SAFETY_ANALYSIS ACC_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace accredit {

// Thread-safe. Not recursive.
class ACC_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACC_ACQUIRE() { mu_.lock(); }

  void Unlock() ACC_RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` for its lifetime.
class ACC_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACC_ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }

  ~MutexLock() ACC_RELEASE() { mu_.Unlock(); }

  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  MutexLock(MutexLock&&) = delete;
  MutexLock& operator=(MutexLock&&) = delete;

 private:
  Mutex& mu_;
};

// A condition variable. Waits take the Mutex the caller holds (always the same one for one
// CondVar), release it while blocked and hold it again on return, so callers loop on their
// guarded condition:
//   MutexLock lock(mu_); while (!ready_) { cv_.Wait(mu_); }
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void Wait(Mutex& mu) ACC_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still held: the caller's MutexLock releases it
  }

  // Returns false when `timeout` passed without a signal (spurious wake-ups return true).
  template <typename Rep, typename Period>
  bool WaitFor(Mutex& mu, std::chrono::duration<Rep, Period> timeout) ACC_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    const bool signalled = cv_.wait_for(lock, timeout) == std::cv_status::no_timeout;
    lock.release();
    return signalled;
  }

  void Signal() { cv_.notify_one(); }

  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace accredit
