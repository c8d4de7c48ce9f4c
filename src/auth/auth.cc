#include "auth/auth.h"

#include <string>

// Roles, actions and the authorisation matrix: the one place where accredit decides who may do
// what (S2.4-A1-5.2, least privilege). docs/AUTH.md shows the same matrix as a table; the test
// in tests/auth/authorize_test.cc holds an independently written copy of it.

namespace accredit::auth {

namespace {

// One row of the matrix: the actions a role may take. Kept as explicit lists (rather than
// "everything except ...") so that a new Action is denied to every role but admin until someone
// decides otherwise.
bool SecurityManagerMay(Action a) {
  switch (a) {
    case Action::kUserRead:
    case Action::kTokenCreate:
    case Action::kAuditRead:
    case Action::kAuditExport:
    case Action::kAuditVerify:
    case Action::kContractRead:
    case Action::kCalendarRead:
    case Action::kSupplierRead:
    case Action::kSupplierWrite:
    case Action::kDashboardRead:
    case Action::kRegisterRead:
    case Action::kRegisterWrite:
    case Action::kRiskWrite:
    case Action::kDocumentRead:
    case Action::kDocumentIssue:
    case Action::kAccreditationRecord:
    case Action::kAccreditationSubmit:
      return true;
    default:
      return false;
  }
}

bool EngineerMay(Action a) {
  switch (a) {
    case Action::kTokenCreate:
    case Action::kContractRead:
    case Action::kCalendarRead:
    case Action::kSupplierRead:
    case Action::kDashboardRead:
    case Action::kRegisterRead:
    case Action::kRegisterWrite:
    case Action::kDocumentRead:
      return true;
    default:
      return false;
  }
}

bool VettingOfficerMay(Action a) {
  switch (a) {
    case Action::kUserRead:
    case Action::kTokenCreate:
    case Action::kContractRead:
    case Action::kCalendarRead:
    case Action::kDashboardRead:
      return true;
    default:
      return false;
  }
}

bool SubcontractorMay(Action a) {
  switch (a) {
    case Action::kTokenCreate:
    case Action::kContractRead:
    case Action::kCalendarRead:
    case Action::kSupplierRead:   // own supplier only: see Authorize
    case Action::kSupplierWrite:  // own supplier only: see Authorize
    case Action::kDashboardRead:
      return true;
    default:
      return false;
  }
}

bool CustomerReviewerMay(Action a) {
  switch (a) {
    case Action::kTokenCreate:
    case Action::kAuditRead:
    case Action::kContractRead:
    case Action::kCalendarRead:
    case Action::kSupplierRead:
    case Action::kDashboardRead:
    case Action::kRegisterRead:
    case Action::kDocumentRead:
    case Action::kAccreditationRecord:
    case Action::kAccreditationDecide:
      return true;
    default:
      return false;
  }
}

bool AuditorMay(Action a) {
  switch (a) {
    case Action::kUserRead:
    case Action::kTokenCreate:
    case Action::kAuditRead:
    case Action::kAuditExport:
    case Action::kAuditVerify:
    case Action::kContractRead:
    case Action::kCalendarRead:
    case Action::kSupplierRead:
    case Action::kDashboardRead:
    case Action::kRegisterRead:
    case Action::kDocumentRead:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kSecurityManager:
      return "security_manager";
    case Role::kEngineer:
      return "engineer";
    case Role::kVettingOfficer:
      return "vetting_officer";
    case Role::kSubcontractor:
      return "subcontractor";
    case Role::kCustomerReviewer:
      return "customer_reviewer";
    case Role::kAuditor:
      return "auditor";
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view s) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == s) {
      return r;
    }
  }
  return Err(ErrorCode::kInvalidArgument,
             "unknown role; expected one of admin, security_manager, engineer, vetting_officer, "
             "subcontractor, customer_reviewer, auditor",
             "role");
}

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kUserRead:
      return "user.read";
    case Action::kUserCreate:
      return "user.create";
    case Action::kUserUpdate:
      return "user.update";
    case Action::kTokenCreate:
      return "token.create";
    case Action::kTokenRevokeAny:
      return "token.revoke_any";
    case Action::kAuditRead:
      return "audit.read";
    case Action::kAuditExport:
      return "audit.export";
    case Action::kAuditVerify:
      return "audit.verify";
    case Action::kContractRead:
      return "contract.read";
    case Action::kContractUpdate:
      return "contract.update";
    case Action::kCalendarRead:
      return "calendar.read";
    case Action::kCalendarUpdate:
      return "calendar.update";
    case Action::kSupplierRead:
      return "supplier.read";
    case Action::kSupplierWrite:
      return "supplier.write";
    case Action::kDashboardRead:
      return "dashboard.read";
    case Action::kRegisterRead:
      return "register.read";
    case Action::kRegisterWrite:
      return "register.write";
    case Action::kRiskWrite:
      return "risk.write";
    case Action::kDocumentRead:
      return "document.read";
    case Action::kDocumentIssue:
      return "document.issue";
    case Action::kAccreditationRecord:
      return "accreditation.record";
    case Action::kAccreditationSubmit:
      return "accreditation.submit";
    case Action::kAccreditationDecide:
      return "accreditation.decide";
  }
  return "unknown";
}

bool RoleMay(Role role, Action action) {
  switch (role) {
    case Role::kAdmin:
      // Everything except the Customer's accreditation decisions (S2.4-5.5, 5.7): an approval
      // recorded by the supplier's own administrator would be a forgery.
      return action != Action::kAccreditationDecide;
    case Role::kSecurityManager:
      return SecurityManagerMay(action);
    case Role::kEngineer:
      return EngineerMay(action);
    case Role::kVettingOfficer:
      return VettingOfficerMay(action);
    case Role::kSubcontractor:
      return SubcontractorMay(action);
    case Role::kCustomerReviewer:
      return CustomerReviewerMay(action);
    case Role::kAuditor:
      return AuditorMay(action);
  }
  return false;  // an out-of-range enum value is denied, never allowed
}

Status Authorize(const Principal& who, Action action, const Scope& scope) {
  const std::string what =
      "role " + std::string(RoleName(who.role)) + " may not " + std::string(ActionName(action));
  if (!RoleMay(who.role, action)) {
    return Err(ErrorCode::kPermissionDenied, what, "",
               "user '" + who.username + "' refused " + std::string(ActionName(action)));
  }
  // A subcontractor sees only records of its own supplier. A subcontractor principal without a
  // supplier (misconfigured account) is refused every scoped record. An unscoped request (a
  // listing) is allowed: the service filters it to the principal's supplier.
  if (who.role == Role::kSubcontractor && scope.supplier_id.has_value() &&
      (!who.supplier_id.has_value() || *who.supplier_id != *scope.supplier_id)) {
    return Err(ErrorCode::kPermissionDenied, what + " for another supplier's records", "",
               "user '" + who.username + "' refused " + std::string(ActionName(action)) +
                   " outside its supplier scope");
  }
  return Status::Ok();
}

Principal CliOperator(std::string_view os_user) {
  Principal p;
  p.user_id = 0;
  p.username = "cli:" + std::string(os_user);
  p.role = Role::kAdmin;
  return p;
}

}  // namespace accredit::auth
