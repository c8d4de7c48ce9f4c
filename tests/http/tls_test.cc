// `accredit serve --tls-cert --tls-key`: HTTPS from PEM files, with HSTS and Secure cookies
// (issue 2, point 7). The certificate is made by the openssl CLI for 127.0.0.1 and the client
// verifies the server against it.

#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>

#include "http/server_fixture.h"

namespace accredit::http {
namespace {

class TlsServerTest : public ServerTest {
 protected:
  void SetUp() override {
    cert_ = tls_dir_.File("cert.pem");
    key_ = tls_dir_.File("key.pem");
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
        " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key_ + "' -out '" + cert_ + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl CLI failed";  // NOLINT(cert-env33-c)
    ServerOptions opts;
    opts.tls_cert_pem = cert_;
    opts.tls_key_pem = key_;
    Start(opts);
  }

  std::unique_ptr<httplib::SSLClient> Tls() const {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port_);
    c->set_ca_cert_path(cert_.c_str());
    c->enable_server_certificate_verification(true);
    c->set_read_timeout(10, 0);
    return c;
  }

  testing::TempDir tls_dir_;
  std::string cert_;
  std::string key_;
};

TEST_F(TlsServerTest, ServesHttpsWithHstsAndSecureSessionCookie) {
  auto tls = Tls();
  httplib::SSLClient& c = *tls;
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->get_header_value("Strict-Transport-Security").find("max-age="),
            std::string::npos);

  auto page = c.Get("/login");
  ASSERT_TRUE(page);
  const std::string login_cookie = ExtractCookie(page, "accredit_login_csrf");
  const std::string csrf = ExtractCsrf(page->body);
  ASSERT_FALSE(csrf.empty());
  auto res = c.Post("/login", {{"Cookie", login_cookie}},
                    "username=admin&password=correct+horse+battery+staple&csrf_token=" + csrf,
                    "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 303);
  bool secure_session = false;
  for (auto [it, end] = res->headers.equal_range("Set-Cookie"); it != end; ++it) {
    if (it->second.rfind("accredit_session=", 0) == 0) {
      secure_session = it->second.find("; Secure") != std::string::npos &&
                       it->second.find("HttpOnly") != std::string::npos;
    }
  }
  EXPECT_TRUE(secure_session);
}

TEST_F(TlsServerTest, PlainHttpToTheTlsPortGetsNoPage) {
  httplib::Client plain("127.0.0.1", port_);
  plain.set_read_timeout(3, 0);
  auto res = plain.Get("/healthz");
  EXPECT_TRUE(!res || res->status != 200);
}

TEST_F(TlsServerTest, AClientThatDoesNotTrustTheCertificateRefusesIt) {
  httplib::SSLClient c("127.0.0.1", port_);
  c.enable_server_certificate_verification(true);  // system CAs only: our cert is unknown
  c.set_read_timeout(3, 0);
  auto res = c.Get("/healthz");
  EXPECT_FALSE(res);
}

}  // namespace
}  // namespace accredit::http
