#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "auth/auth.h"

namespace accredit::auth {
namespace {

// The expected matrix, written out independently of RoleMay (docs/AUTH.md shows the same table).
// accreditation.decide is the Customer's alone: not even admin holds it (issue 4).
const std::map<std::string, std::set<std::string>>& ExpectedMatrix() {
  static const std::map<std::string, std::set<std::string>> kMatrix{
      {"admin", {"user.read",           "user.create",      "user.update",
                 "token.create",        "token.revoke_any", "audit.read",
                 "audit.export",        "audit.verify",     "contract.read",
                 "contract.update",     "calendar.read",    "calendar.update",
                 "supplier.read",       "supplier.write",   "dashboard.read",
                 "register.read",       "register.write",   "risk.write",
                 "document.read",       "document.issue",   "accreditation.record",
                 "accreditation.submit"}},
      {"security_manager",
       {"user.read", "token.create", "audit.read", "audit.export", "audit.verify", "contract.read",
        "calendar.read", "supplier.read", "supplier.write", "dashboard.read", "register.read",
        "register.write", "risk.write", "document.read", "document.issue", "accreditation.record",
        "accreditation.submit"}},
      {"engineer",
       {"token.create", "contract.read", "calendar.read", "supplier.read", "dashboard.read",
        "register.read", "register.write", "document.read"}},
      {"vetting_officer",
       {"user.read", "token.create", "contract.read", "calendar.read", "dashboard.read"}},
      {"subcontractor",
       {"token.create", "contract.read", "calendar.read", "supplier.read", "supplier.write",
        "dashboard.read"}},
      {"customer_reviewer",
       {"token.create", "audit.read", "contract.read", "calendar.read", "supplier.read",
        "dashboard.read", "register.read", "document.read", "accreditation.record",
        "accreditation.decide"}},
      {"auditor",
       {"user.read", "token.create", "audit.read", "audit.export", "audit.verify", "contract.read",
        "calendar.read", "supplier.read", "dashboard.read", "register.read", "document.read"}},
  };
  return kMatrix;
}

Principal As(Role r, std::optional<std::int64_t> supplier = std::nullopt) {
  Principal p;
  p.user_id = 7;
  p.username = "someone";
  p.role = r;
  p.supplier_id = supplier;
  return p;
}

// Checks one (role, action) pair against the expected table.
void CheckPair(Role role, Action action) {
  const std::string role_name(RoleName(role));
  const std::string action_name(ActionName(action));
  const bool expect = ExpectedMatrix().at(role_name).contains(action_name);
  // Subcontractors need their supplier to be set; no scope, so no scope refusal.
  const Principal who =
      As(role, role == Role::kSubcontractor ? std::optional<std::int64_t>(1) : std::nullopt);
  const Status s = Authorize(who, action);
  EXPECT_EQ(s.ok(), expect) << role_name << " x " << action_name;
  EXPECT_EQ(RoleMay(role, action), expect) << role_name << " x " << action_name;
  if (!expect) {
    std::string message = "role ";
    message += role_name;
    message += " may not ";
    message += action_name;
    EXPECT_EQ(s.Code(), ErrorCode::kPermissionDenied);
    EXPECT_EQ(s.error().message, message);
  }
}

TEST(AuthorizeTest, RoleActionMatrix) {
  int pairs = 0;
  for (Role role : kAllRoles) {
    ASSERT_TRUE(ExpectedMatrix().contains(std::string(RoleName(role)))) << RoleName(role);
    for (Action action : kAllActions) {
      CheckPair(role, action);
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 7 * 23);
}

TEST(AuthorizeTest, ExpectedTableNamesOnlyRealActions) {
  std::set<std::string> names;
  for (Action a : kAllActions) {
    names.insert(std::string(ActionName(a)));
  }
  for (const auto& [role, actions] : ExpectedMatrix()) {
    for (const auto& a : actions) {
      EXPECT_TRUE(names.contains(a)) << role << ": " << a;
    }
  }
}

TEST(AuthorizeTest, SubcontractorIsScopedToItsSupplier) {
  const Principal sub = As(Role::kSubcontractor, 1);
  EXPECT_TRUE(Authorize(sub, Action::kSupplierRead, Scope{1}).ok());
  EXPECT_TRUE(Authorize(sub, Action::kSupplierWrite, Scope{1}).ok());
  const Status other = Authorize(sub, Action::kSupplierRead, Scope{2});
  EXPECT_EQ(other.Code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(other.error().message.find("supplier.read"), std::string::npos);
  EXPECT_EQ(Authorize(sub, Action::kSupplierWrite, Scope{2}).Code(), ErrorCode::kPermissionDenied);
  // Unscoped (a listing): allowed, the service filters.
  EXPECT_TRUE(Authorize(sub, Action::kSupplierRead).ok());
  // A subcontractor account without a supplier gets no scoped record at all.
  EXPECT_EQ(Authorize(As(Role::kSubcontractor), Action::kSupplierRead, Scope{1}).Code(),
            ErrorCode::kPermissionDenied);
  // Scope does not restrict other roles.
  EXPECT_TRUE(Authorize(As(Role::kEngineer), Action::kSupplierRead, Scope{2}).ok());
}

TEST(AuthorizeTest, CliOperatorIsAdmin) {
  const Principal p = CliOperator("root");
  EXPECT_EQ(p.user_id, 0);
  EXPECT_EQ(p.username, "cli:root");
  EXPECT_EQ(p.role, Role::kAdmin);
  EXPECT_TRUE(Authorize(p, Action::kUserCreate).ok());
}

TEST(AuthorizeTest, OnlyTheCustomerDecidesAccreditation) {
  for (Role role : kAllRoles) {
    EXPECT_EQ(RoleMay(role, Action::kAccreditationDecide), role == Role::kCustomerReviewer)
        << RoleName(role);
  }
  const Status admin = Authorize(CliOperator("root"), Action::kAccreditationDecide);
  EXPECT_EQ(admin.Code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin.error().message, "role admin may not accreditation.decide");
  EXPECT_FALSE(RoleMay(Role::kCustomerReviewer, Action::kAccreditationSubmit));
}

TEST(AuthorizeTest, RoleNamesRoundTrip) {
  for (Role r : kAllRoles) {
    auto parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, r);
  }
  auto bad = ParseRole("superuser");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "role");
}

}  // namespace
}  // namespace accredit::auth
