// `accredit serve`: wires the http::Server to the app, handles SIGTERM/SIGINT on a dedicated
// thread (sigwait), and runs the daily idle-account check (S2.4-A1-5.5) and the reminder passes
// (issue 4, point 7) and the periodic audit checkpoint (docs/AUDIT.md) on small scheduler
// threads. Threads: main (Server::Run), signals, ready-announcer, idle-account scheduler,
// reminder scheduler, checkpoint scheduler.

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <iostream>
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

// Runs `work` on a thread of its own, first after `first_delay` (zero: at once) and then every
// `interval`, until Stop(); `on_stop` (optional) asks work in progress to return early. `work`
// runs inside the thread's catch boundary (RunCatching): a failure is logged and the next round
// runs; the server keeps serving. Thread-safe. A zero `interval` starts no thread.
class PeriodicThread {
 public:
  PeriodicThread(std::string name, std::chrono::milliseconds first_delay,
                 std::chrono::milliseconds interval, std::function<void()> work,
                 std::function<void()> on_stop = {})
      : name_(std::move(name)),
        first_delay_(first_delay),
        interval_(interval),
        work_(std::move(work)),
        on_stop_(std::move(on_stop)) {
    if (interval_.count() > 0) {
      thread_ = std::thread([this] { Loop(); });
    }
  }

  ~PeriodicThread() { Stop(); }

  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  void Stop() {
    {
      MutexLock lock(mu_);
      stop_ = true;
    }
    if (on_stop_) {
      on_stop_();
    }
    cv_.SignalAll();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  void Loop() {
    if (Sleep(first_delay_)) {
      return;
    }
    do {
      RunCatching(name_, work_);
    } while (!Sleep(interval_));
  }

  // Sleeps up to `d`; true as soon as Stop() was called.
  bool Sleep(std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    MutexLock lock(mu_);
    while (!stop_) {
      const auto left = until - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) {
        return false;
      }
      cv_.WaitFor(mu_, left);
    }
    return true;
  }

  const std::string name_;
  const std::chrono::milliseconds first_delay_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> work_;
  const std::function<void()> on_stop_;
  Mutex mu_;
  CondVar cv_;
  bool stop_ ACC_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// One reminder pass: delivers what is due, and what a previous process left pending. Log lines
// carry counts only, never addresses, URLs or secrets.
void ReminderPass(reminders::Reminders& reminders, const Clock& clock) {
  auto report = reminders.RunOnce(clock.Now());
  if (!report) {
    std::cerr << "accredit: reminder pass failed: " << report.error().message << "\n";
  } else if (report->queued + report->sent + report->retrying + report->failed > 0) {
    std::cerr << "accredit: reminders: " << report->queued << " queued, " << report->sent
              << " sent, " << report->retrying << " to retry, " << report->failed << " failed, "
              << report->skipped << " skipped\n";
  }
}

// Takes an audit checkpoint when one is due: the log has grown since the newest checkpoint and
// that one is at least `interval` old by the Clock (AuditLog::TakeCheckpointIfDue).
void CheckpointPass(const audit::AuditLog& audit, store::Store& store,
                    std::chrono::minutes interval) {
  auto taken = audit.TakeCheckpointIfDue(store, interval);
  if (!taken) {
    std::cerr << "accredit: periodic audit checkpoint failed: " << taken.error().message << "\n";
  }
}

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
  // The idle-account check ran above; then once a day (S2.4-A1-5.5).
  PeriodicThread idle_check("idle-account check", kIdleCheckInterval, kIdleCheckInterval,
                            [&] { RunIdleCheck(*app->accounts); });
  // Reminders: at start-up (delivering what a previous process left pending), then every N s.
  reminders::Reminders& reminder_service = *app->reminders;
  PeriodicThread reminder_passes(
      "reminder pass", std::chrono::milliseconds(0), std::chrono::seconds(args.reminder_interval),
      [&] { ReminderPass(reminder_service, app->clock); },
      [&reminder_service] { reminder_service.RequestStop(); });
  // Periodic audit checkpoints: looked at every minute (and at start-up).
  const auto checkpoint_interval = std::chrono::minutes(args.checkpoint_minutes);
  PeriodicThread checkpoint_passes(
      "periodic audit checkpoint", std::chrono::milliseconds(0),
      checkpoint_interval.count() > 0 ? std::chrono::minutes(1) : std::chrono::minutes(0),
      [&] { CheckpointPass(*app->audit, *app->store, checkpoint_interval); });

  Status run = server->Run();
  finished.store(true);
  checkpoint_passes.Stop();
  reminder_passes.Stop();
  idle_check.Stop();
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  ready_thread.join();
  ACC_RETURN_IF_ERROR(run);
  out << "accredit stopped\n";
  return 0;
}

}  // namespace accredit::cli::internal
