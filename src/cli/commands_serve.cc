// `accredit serve`: wires the http::Server to the app, handles SIGTERM/SIGINT on a dedicated
// thread (sigwait), and runs the daily idle-account check (S2.4-A1-5.5) and the reminder passes
// (issue 4, point 7) and the periodic audit checkpoint (docs/AUDIT.md) on small scheduler
// threads. Threads: main (Server::Run), signals, ready-announcer, idle-account scheduler,
// reminder scheduler, checkpoint scheduler.

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <iostream>
#include <mutex>
#include <ostream>
#include <thread>

#include "cli/commands.h"
#include "http/http.h"

namespace accredit::cli::internal {
namespace {

constexpr auto kIdleCheckInterval = std::chrono::hours(24);

void RunIdleCheck(auth::Accounts& accounts) {
  auto disabled = accounts.DisableIdleAccounts();
  if (!disabled) {
    std::cerr << "accredit: idle-account check failed: " << disabled.error().message << "\n";
  } else if (*disabled > 0) {
    std::cerr << "accredit: disabled " << *disabled << " idle account(s)\n";
  }
}

// Runs the idle-account check once a day until Stop().
class DailyScheduler {
 public:
  explicit DailyScheduler(auth::Accounts& accounts)
      : accounts_(accounts), thread_([this] { Loop(); }) {}

  ~DailyScheduler() { Stop(); }

  DailyScheduler(const DailyScheduler&) = delete;
  DailyScheduler& operator=(const DailyScheduler&) = delete;

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      if (cv_.wait_for(lock, kIdleCheckInterval, [this] { return stop_; })) {
        return;
      }
      lock.unlock();
      // The thread's catch boundary: a bad record or a failed allocation is logged and the
      // next day's check runs; the server keeps serving.
      RunCatching("idle-account check", [this] { RunIdleCheck(accounts_); });
      lock.lock();
    }
  }

  auth::Accounts& accounts_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// Runs a reminder pass at start-up (delivering what a previous process left pending) and then
// every `interval` until Stop(). Errors are logged and the next pass tries again; log lines
// carry counts only, never addresses, URLs or secrets.
class ReminderScheduler {
 public:
  ReminderScheduler(reminders::Reminders& reminders, const Clock& clock,
                    std::chrono::seconds interval)
      : reminders_(reminders), clock_(clock), interval_(interval) {
    if (interval_.count() > 0) {
      thread_ = std::thread([this] { Loop(); });
    }
  }

  ~ReminderScheduler() { Stop(); }

  ReminderScheduler(const ReminderScheduler&) = delete;
  ReminderScheduler& operator=(const ReminderScheduler&) = delete;

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    reminders_.RequestStop();
    cv_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  void Pass() {
    auto report = reminders_.RunOnce(clock_.Now());
    if (!report) {
      std::cerr << "accredit: reminder pass failed: " << report.error().message << "\n";
    } else if (report->queued + report->sent + report->retrying + report->failed > 0) {
      std::cerr << "accredit: reminders: " << report->queued << " queued, " << report->sent
                << " sent, " << report->retrying << " to retry, " << report->failed << " failed, "
                << report->skipped << " skipped\n";
    }
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      // The thread's catch boundary: the next pass tries again, the server keeps serving.
      RunCatching("reminder pass", [this] { Pass(); });
      lock.lock();
      if (cv_.wait_for(lock, interval_, [this] { return stop_; })) {
        return;
      }
    }
  }

  reminders::Reminders& reminders_;
  const Clock& clock_;
  const std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// Every minute (and once at start-up) takes an audit checkpoint when one is due: the log has
// grown since the newest checkpoint and that one is at least `interval` old by the Clock
// (AuditLog::TakeCheckpointIfDue). Errors are logged and the next pass tries again.
class CheckpointScheduler {
 public:
  CheckpointScheduler(const audit::AuditLog& audit, store::Store& store,
                      std::chrono::minutes interval)
      : audit_(audit), store_(store), interval_(interval) {
    if (interval_.count() > 0) {
      thread_ = std::thread([this] { Loop(); });
    }
  }

  ~CheckpointScheduler() { Stop(); }

  CheckpointScheduler(const CheckpointScheduler&) = delete;
  CheckpointScheduler& operator=(const CheckpointScheduler&) = delete;

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  static constexpr auto kPoll = std::chrono::minutes(1);

  void Pass() {
    // This thread's catch boundary: a failed pass is logged and the server keeps serving.
    try {
      auto taken = audit_.TakeCheckpointIfDue(store_, interval_);
      if (!taken) {
        std::cerr << "accredit: periodic audit checkpoint failed: " << taken.error().message
                  << "\n";
      }
    } catch (const std::exception&) {
      std::cerr << "accredit: periodic audit checkpoint failed: internal error\n";
    } catch (...) {
      std::cerr << "accredit: periodic audit checkpoint failed: internal error\n";
    }
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      Pass();
      lock.lock();
      if (cv_.wait_for(lock, kPoll, [this] { return stop_; })) {
        return;
      }
    }
  }

  const audit::AuditLog& audit_;
  store::Store& store_;
  const std::chrono::minutes interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace

Result<int> RunServe(const Args& args, const Clock& clock, std::ostream& out) {
  // Block the shutdown signals before any thread starts, so every thread inherits the mask and
  // only the signal thread receives them (through sigwait).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  struct Unblock {
    sigset_t set;

    ~Unblock() { pthread_sigmask(SIG_UNBLOCK, &set, nullptr); }
  } unblock{signals};

  ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
  RunCatching("idle-account check", [&] { RunIdleCheck(*app->accounts); });

  http::ServerOptions options;
  options.host = args.host;
  options.port = args.port;
  if (!args.tls_cert.empty()) {
    options.tls_cert_pem = args.tls_cert;
    options.tls_key_pem = args.tls_key;
  }
  if (!args.access_log.empty()) {
    options.access_log_path = args.access_log;
  }
  options.threads = args.threads;
  options.max_connections_per_address = args.max_connections_per_address;
  ACC_ASSIGN_OR_RETURN(
      auto server,
      http::Server::Create(http::Services{*app->store, *app->audit, *app->accounts, *app->registers,
                                          *app->checkpoint_key, app->clock, *app->register_service,
                                          *app->reports, *app->catalog, *app->clocks},
                           options));

  std::atomic<bool> finished{false};
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    RunCatching("signal handling", [&] {
      // When the server ended on its own, main wakes this thread with SIGTERM to let it exit.
      if (!finished.load()) {
        std::cerr << "accredit: received " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                  << ", shutting down\n";
      }
    });
    server->Stop();
  });
  std::thread ready_thread([&] {
    RunCatching("start-up announcement", [&] {
      const int port = server->WaitUntilReady();
      if (port > 0) {
        out << "accredit listening on " << (server->Tls() ? "https" : "http") << "://" << args.host
            << ":" << port << std::endl;
      }
    });
  });
  DailyScheduler scheduler(*app->accounts);
  ReminderScheduler reminder_scheduler(*app->reminders, app->clock,
                                       std::chrono::seconds(args.reminder_interval));

  CheckpointScheduler checkpoint_scheduler(*app->audit, *app->store,
                                           std::chrono::minutes(args.checkpoint_minutes));

  Status run = server->Run();
  finished.store(true);
  checkpoint_scheduler.Stop();
  reminder_scheduler.Stop();
  scheduler.Stop();
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  ready_thread.join();
  ACC_RETURN_IF_ERROR(run);
  out << "accredit stopped\n";
  return 0;
}

}  // namespace accredit::cli::internal
