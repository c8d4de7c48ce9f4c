// Unit tests of the register pages' and API's small helpers: the headers evidence files are
// served with, and list queries from request parameters.

#include <gtest/gtest.h>

#include "http/internal.h"

namespace accredit::http::internal {
namespace {

TEST(EvidenceHeadersTest, ContentTypeIsAllowListedNeverHtml) {
  struct Case {
    const char* declared;
    const char* served;
  };

  const Case cases[] = {{"application/pdf", "application/pdf"},
                        {"image/PNG", "image/png"},
                        {"image/jpeg; charset=binary", "image/jpeg"},
                        {"text/plain; charset=utf-8", "text/plain"},
                        {"text/html", "application/octet-stream"},
                        {"image/svg+xml", "application/octet-stream"},
                        {"application/xhtml+xml", "application/octet-stream"},
                        {"", "application/octet-stream"}};
  for (const auto& c : cases) {
    EXPECT_EQ(SafeContentType(c.declared), c.served) << c.declared;
  }
}

TEST(EvidenceHeadersTest, DispositionIsAttachmentWithSafeFallbackAndRfc5987Name) {
  EXPECT_EQ(AttachmentDisposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  EXPECT_EQ(AttachmentDisposition("pen test é.html"),
            "attachment; filename=\"pen test __.html\"; filename*=UTF-8''pen%20test%20%C3%A9.html");
  // Quotes, CR/LF and path separators cannot break out of the header or the name.
  EXPECT_EQ(AttachmentDisposition("a\"b\r\nSet-Cookie: x/..\\y"),
            "attachment; filename=\"a_b__Set-Cookie: x_.._y\"; "
            "filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x%2F..%5Cy");
  EXPECT_EQ(AttachmentDisposition(""), "attachment; filename=\"evidence\"; filename*=UTF-8''");
}

TEST(RegisterQueryTest, StrictModeNamesTheBadParameter) {
  const auto* def = registers::RegisterService::Find("risks");
  ASSERT_NE(def, nullptr);
  httplib::Request req;
  req.params = {{"status", "open"}, {"q", "phishing"}, {"sort", "-title"}, {"limit", "10"}};
  auto q = ListQueryFromRequest(*def, req, QueryMode::kStrict);
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->filters.at("status"), "open");
  EXPECT_EQ(q->q, "phishing");
  EXPECT_EQ(q->sort, "-title");
  EXPECT_EQ(q->limit, 10);

  httplib::Request bad;
  bad.params = {{"colour", "red"}};
  auto err = ListQueryFromRequest(*def, bad, QueryMode::kStrict);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().field, "colour");
  EXPECT_TRUE(ListQueryFromRequest(*def, bad, QueryMode::kLenient).ok());

  httplib::Request bad_sort;
  bad_sort.params = {{"sort", "-password"}};
  auto sort_err = ListQueryFromRequest(*def, bad_sort, QueryMode::kStrict);
  ASSERT_FALSE(sort_err.ok());
  EXPECT_EQ(sort_err.error().field, "sort");
  auto lenient = ListQueryFromRequest(*def, bad_sort, QueryMode::kLenient);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->sort, "");
}

}  // namespace
}  // namespace accredit::http::internal
