// PostWebhook against a cpp-httplib server on loopback (plain and HTTPS); the signature is
// recomputed here with OpenSSL's HMAC().

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "notify/notify.h"
#include "testing/smtp_sink.h"
#include "testing/testing.h"

namespace accredit::notify {
namespace {

constexpr std::string_view kBody =
    R"({"clause":"S2.4-5.13.1","due":"2026-11-05T23:59:59.999Z","state":"due_soon",)"
    R"("text":"Notify the Customer \u2013 5 Nov"})";

std::string ExpectedSignature(std::string_view secret, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EXPECT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                 reinterpret_cast<const unsigned char*>(body.data()), body.size(), md.data(), &len),
            nullptr);
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4U]);
    out.push_back(kHex[md[i] & 0xfU]);
  }
  return out;
}

struct Received {
  std::string method;
  std::string path;
  httplib::Headers headers;
  std::string body;
  int count = 0;
};

// A receiver on 127.0.0.1 that records each request and answers `status`.
class Receiver {
 public:
  explicit Receiver(std::unique_ptr<httplib::Server> server, int status = 204)
      : server_(std::move(server)), status_(status) {
    server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      got_.method = req.method;
      got_.path = req.path;
      got_.headers = req.headers;
      got_.body = req.body;
      ++got_.count;
      res.status = status_;
      if (status_ == 302) {
        res.set_header("Location", "/elsewhere");
      }
      res.set_content("receiver says no: internal detail", "text/plain");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() before the loop is running would be lost and the join below would hang.
    for (int i = 0; i < 500 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  ~Receiver() {
    server_->stop();
    thread_.join();
  }

  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  int Port() const { return port_; }

  Received Got() const {
    std::lock_guard lock(mu_);
    return got_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int status_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  Received got_;
};

WebhookConfig ConfigFor(const Receiver& r, const std::string& scheme = "http") {
  WebhookConfig cfg;
  cfg.url = scheme + "://127.0.0.1:" + std::to_string(r.Port()) + "/hooks/accredit?token=t0k3n";
  cfg.timeout = std::chrono::milliseconds(10000);
  return cfg;
}

TEST(PostWebhook, PostsSignedJsonWithEventAndDeliveryHeaders) {
  Receiver r(std::make_unique<httplib::Server>());
  ASSERT_GT(r.Port(), 0);
  WebhookConfig cfg = ConfigFor(r);
  cfg.secret = "whsec-test-0123456789";
  const Status s = PostWebhook(cfg, "obligation.due_soon", "d-42-5wd", kBody);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Received got = r.Got();
  EXPECT_EQ(got.count, 1);
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.path, "/hooks/accredit");
  EXPECT_EQ(got.body, kBody);
  const auto header = [&](const char* name) {
    auto it = got.headers.find(name);
    return it == got.headers.end() ? std::string("<missing>") : it->second;
  };
  EXPECT_EQ(header("Content-Type"), "application/json");
  EXPECT_EQ(header("X-Accredit-Event"), "obligation.due_soon");
  EXPECT_EQ(header("X-Accredit-Delivery"), "d-42-5wd");
  EXPECT_EQ(header("X-Accredit-Signature"), ExpectedSignature(cfg.secret, kBody));
  // The signature covers the body: a different body or key gives a different one.
  EXPECT_NE(header("X-Accredit-Signature"), ExpectedSignature("other-key", kBody));
}

TEST(PostWebhook, UnsignedWithoutSecret) {
  Receiver r(std::make_unique<httplib::Server>());
  const Status s = PostWebhook(ConfigFor(r), "obligation.overdue", "d-1", kBody);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Received got = r.Got();
  EXPECT_EQ(got.count, 1);
  EXPECT_EQ(got.headers.count("X-Accredit-Signature"), 0U);
  EXPECT_EQ(got.headers.find("X-Accredit-Event")->second, "obligation.overdue");
}

TEST(PostWebhook, Non2xxIsUnavailableNamingTheStatus) {
  Receiver r(std::make_unique<httplib::Server>(), 500);
  WebhookConfig cfg = ConfigFor(r);
  cfg.secret = "whsec-never-in-errors";
  const Status s = PostWebhook(cfg, "obligation.overdue", "d-2", kBody);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.Code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("HTTP 500"), std::string::npos) << s.error().message;
  // The receiver's body, the URL's token and the secret stay out of the external message.
  EXPECT_EQ(s.error().message.find("internal detail"), std::string::npos);
  EXPECT_EQ(s.error().message.find("t0k3n"), std::string::npos);
  EXPECT_EQ(s.error().message.find("whsec"), std::string::npos);
  EXPECT_NE(s.error().internal.find("internal detail"), std::string::npos);
  EXPECT_EQ(r.Got().count, 1);
}

TEST(PostWebhook, RedirectIsNotFollowed) {
  Receiver r(std::make_unique<httplib::Server>(), 302);
  const Status s = PostWebhook(ConfigFor(r), "obligation.overdue", "d-3", kBody);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("HTTP 302"), std::string::npos) << s.error().message;
  EXPECT_EQ(r.Got().count, 1);
  EXPECT_EQ(r.Got().path, "/hooks/accredit");
}

TEST(PostWebhook, ConnectionRefusedIsUnavailable) {
  int port = 0;
  {
    Receiver r(std::make_unique<httplib::Server>());
    port = r.Port();
  }  // stopped: nothing listens there now
  WebhookConfig cfg;
  cfg.url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  cfg.timeout = std::chrono::milliseconds(3000);
  const Status s = PostWebhook(cfg, "obligation.overdue", "d-4", kBody);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.Code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("webhook delivery failed"), std::string::npos);
}

TEST(PostWebhook, RefusesBadInputWithoutSending) {
  Receiver r(std::make_unique<httplib::Server>());
  const WebhookConfig cfg = ConfigFor(r);
  Status s = PostWebhook(cfg, "obligation.overdue", "d-5", "{not json");
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "json_body");
  s = PostWebhook(cfg, "obligation.overdue\r\nX-Injected: 1", "d-5", kBody);
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "event");
  s = PostWebhook(cfg, "obligation.overdue", "", kBody);
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "delivery_id");
  WebhookConfig ftp = cfg;
  ftp.url = "ftp://127.0.0.1/hook";
  s = PostWebhook(ftp, "obligation.overdue", "d-5", kBody);
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "url");
  EXPECT_EQ(r.Got().count, 0);
}

TEST(PostWebhook, HttpsVerifiesTheServerAgainstCaFile) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::WriteSelfSignedCert(dir.File("cert.pem"), dir.File("key.pem")).ok());
  ASSERT_TRUE(testing::WriteSelfSignedCert(dir.File("other.pem"), dir.File("other.key")).ok());
  Receiver r(std::make_unique<httplib::SSLServer>(dir.File("cert.pem").c_str(),
                                                  dir.File("key.pem").c_str()));
  ASSERT_GT(r.Port(), 0);
  WebhookConfig cfg = ConfigFor(r, "https");
  cfg.ca_file = dir.File("cert.pem");
  const Status ok = PostWebhook(cfg, "obligation.due_soon", "d-6", kBody);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(r.Got().count, 1);

  cfg.ca_file = dir.File("other.pem");
  const Status bad = PostWebhook(cfg, "obligation.due_soon", "d-7", kBody);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.Code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.Got().count, 1);
}

}  // namespace
}  // namespace accredit::notify
