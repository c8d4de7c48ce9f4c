// S2.4-6.2 (certified within 6 months of the Effective Date, and throughout: renewal before
// expiry), 6.3 (a copy of each certificate before a party processes Customer Data), 6.6
// (sanitisation evidence before secure destruction) and 6.7 (notice within 2 Working Days of
// ceasing to comply). Due instants worked out by hand from the clause text and docs/CLOCKS.md.

#include <algorithm>

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::FindKey;
using testing::Get;
using testing::HasKey;
using testing::Key;
using testing::ScenarioBuilder;
using testing::StateAt;

// ---- S2.4-6.2: within 6 months of the Effective Date -----------------------------------------

TEST(Rule6_2Certified, SixMonthsFromTheEffectiveDateClampedToTheMonthEnd) {
  ScenarioBuilder s;
  // Effective Mon 31 Aug 2026: six months later is "31 Feb 2027", clamped to Sun 28 Feb 2027;
  // the end of that day is 23:59:59.999 GMT.
  s.Effective("2026-08-31");
  const auto p = s.Party("provider", "Provider Ltd");
  const auto a = s.Party("subcontractor", "Alpha Hosting Ltd", true);
  const auto b = s.Party("subcontractor", "Beta Catering Ltd", false);  // no Customer Data
  s.Certificate(p, "iso27001", "ISO-P", "2027-02-28", "2030-02-27");
  s.Certificate(p, "cyber_essentials_plus", "CEP-P", "2027-03-01", "2028-02-29");
  s.Certificate(a, "iso27001", "ISO-A", "2025-06-01", "2028-05-31");  // already certified
  s.Certificate(b, "iso27001", "ISO-B", "2026-09-01", "2029-08-31");

  const std::string p_iso = Key("S2.4-6.2/suppliers/", p, "iso27001");
  const std::string p_cep = Key("S2.4-6.2/suppliers/", p, "cyber_essentials_plus");
  const std::string a_iso = Key("S2.4-6.2/suppliers/", a, "iso27001");
  const std::string a_cep = Key("S2.4-6.2/suppliers/", a, "cyber_essentials_plus");

  auto obs = s.Evaluate("S2.4-6.2", "2026-09-01T12:00:00Z");
  const Obligation& o = FindKey(obs, a_cep);
  EXPECT_EQ(o.clause, "S2.4-6.2");
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-08-30T23:00:00.000Z");  // 00:00 BST 31 Aug
  EXPECT_EQ(FormatInstantUtc(o.due), "2027-02-28T23:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kUpcoming);
  EXPECT_EQ(o.action,
            "Certify Alpha Hosting Ltd to Cyber Essentials Plus within 6 months of the "
            "Effective Date");
  // Two schemes for the provider and for the sub-contractor with access; none for the other.
  EXPECT_EQ(obs.size(), 4u);
  for (const Obligation& x : obs) {
    EXPECT_NE(x.subject.id, b) << x.key;
  }

  // 5 WD from Fri 19 Feb 2027 reach Fri 26 Feb (upcoming); from Mon 22 Feb, Mon 1 Mar.
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-02-19T12:00:00Z", a_cep), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-02-22T12:00:00Z", a_cep), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-02-28T23:59:59.999Z", a_cep), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-03-01T00:00:00Z", a_cep), State::kOverdue);

  obs = s.Evaluate("S2.4-6.2", "2027-03-10T12:00:00Z");
  EXPECT_EQ(FindKey(obs, p_iso).state, State::kMetOnTime);  // issued on the last day
  EXPECT_EQ(FindKey(obs, p_iso).met_by, "Certificate ISO-P");
  EXPECT_EQ(FindKey(obs, p_cep).state, State::kMetLate);    // issued the day after
  EXPECT_EQ(FindKey(obs, a_iso).state, State::kMetOnTime);  // certified before the contract
  EXPECT_EQ(FindKey(obs, a_cep).state, State::kOverdue);
}

// ---- S2.4-6.2 "throughout": each certificate renewed before it expires -----------------------

TEST(Rule6_2Renewal, DueAtTheEndOfTheExpiryDayVisibleNinetyDaysBefore) {
  ScenarioBuilder s;
  const auto p = s.Party("provider", "Provider Ltd");
  // Expires Wed 9 Jun 2027 (BST): due 2027-06-09T22:59:59.999Z. Shown from 90 days before,
  // Thu 11 Mar 2027 00:00 GMT.
  const auto c = s.Certificate(p, "cyber_essentials_plus", "CEP-1", "2026-06-10", "2027-06-09");
  const std::string key = Key("S2.4-6.2/certifications/", c, "renewal");
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-6.2", "2027-03-10T23:59:59.999Z"), key));
  const Obligation o = Get(s, "S2.4-6.2", "2027-03-11T00:00:00Z", key);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2027-03-11T00:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2027-06-09T22:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kUpcoming);
  EXPECT_EQ(o.action,
            "Renew Provider Ltd's Cyber Essentials Plus certificate CEP-1 before it expires on 9 "
            "Jun 2027");
  // 5 WD from Tue 1 Jun reach Tue 8 Jun; from Wed 2 Jun they reach Wed 9 Jun.
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-06-01T12:00:00Z", key), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-06-02T12:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-06-09T23:00:00Z", key), State::kOverdue);
}

TEST(Rule6_2Renewal, MetByTheNextCertificateOfTheSameSchemeOnTimeOrLate) {
  for (const auto& [renewed, expected] :
       {std::pair{"2027-06-09", State::kMetOnTime}, std::pair{"2027-06-10", State::kMetLate}}) {
    ScenarioBuilder s;
    const auto p = s.Party("provider", "Provider Ltd");
    const auto c = s.Certificate(p, "cyber_essentials_plus", "CEP-1", "2026-06-10", "2027-06-09");
    s.Certificate(p, "iso27001", "ISO-1", "2027-06-01", "2030-05-31");  // another scheme
    s.Certificate(p, "cyber_essentials_plus", "CEP-2", renewed, "2028-06-08");
    const Obligation o =
        Get(s, "S2.4-6.2", "2027-06-20T12:00:00Z", Key("S2.4-6.2/certifications/", c, "renewal"));
    EXPECT_EQ(o.state, expected) << renewed;
    EXPECT_EQ(o.met_by, "Renewed by certificate CEP-2");
  }
}

TEST(Rule6_2Renewal, AShortCertificateIsShownFromItsIssueAndOnlyRequiredOnesCount) {
  ScenarioBuilder s;
  const auto p = s.Party("provider", "Provider Ltd");
  const auto b = s.Party("subcontractor", "Beta Catering Ltd", false);
  const auto short_lived = s.Certificate(p, "iso27001", "ISO-S", "2027-05-01", "2027-06-09");
  const auto cas = s.Certificate(p, "ncsc_cas_sanitisation", "CAS-1", "2026-06-01", "2027-06-09");
  const auto other = s.Certificate(b, "iso27001", "ISO-B", "2026-06-01", "2027-06-09");
  auto obs = s.Evaluate("S2.4-6.2", "2027-06-01T12:00:00Z");
  // 90 days before expiry is before the issue: shown from the issue day, 00:00 BST 1 May.
  EXPECT_EQ(FormatInstantUtc(
                FindKey(obs, Key("S2.4-6.2/certifications/", short_lived, "renewal")).trigger),
            "2027-04-30T23:00:00.000Z");
  EXPECT_FALSE(HasKey(obs, Key("S2.4-6.2/certifications/", cas, "renewal")));
  EXPECT_FALSE(HasKey(obs, Key("S2.4-6.2/certifications/", other, "renewal")));
}

// ---- S2.4-6.3: a copy of each certificate before processing Customer Data --------------------

TEST(Rule6_3, APreconditionPerPartyAndSchemeDueAtServiceCommencement) {
  ScenarioBuilder s;
  s.Effective("2026-04-01").ServiceCommencement("2026-07-01");
  const auto p = s.Party("provider", "Provider Ltd");
  const auto a = s.Party("subcontractor", "Alpha Hosting Ltd", true);
  s.Party("subcontractor", "Beta Catering Ltd", false);
  s.Certificate(p, "iso27001", "ISO-P", "2025-11-10", "2028-11-09", "2026-06-15");
  s.Certificate(p, "cyber_essentials_plus", "CEP-P", "2026-05-05", "2027-05-04", "2026-07-03");
  s.Certificate(a, "iso27001", "ISO-A", "2024-09-01", "2027-08-31");  // never provided
  s.Certificate(a, "cyber_essentials_plus", "CEP-A", "2026-03-02", "2027-03-01", "2026-05-01");

  const std::string p_iso = Key("S2.4-6.3/suppliers/", p, "iso27001");
  const std::string p_cep = Key("S2.4-6.3/suppliers/", p, "cyber_essentials_plus");
  const std::string a_iso = Key("S2.4-6.3/suppliers/", a, "iso27001");
  const std::string a_cep = Key("S2.4-6.3/suppliers/", a, "cyber_essentials_plus");

  auto obs = s.Evaluate("S2.4-6.3", "2026-06-25T12:00:00Z");
  EXPECT_EQ(obs.size(), 4u);
  const Obligation& o = FindKey(obs, a_iso);
  EXPECT_TRUE(o.precondition);
  EXPECT_EQ(o.consequence, kProcessingBar);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-03-31T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-06-30T23:00:00.000Z");  // 00:00 BST 1 Jul
  EXPECT_EQ(o.state, State::kDueSoon);  // 5 WD from Thu 25 Jun reach Thu 2 Jul
  EXPECT_EQ(FindKey(obs, p_iso).state, State::kMetOnTime);
  EXPECT_EQ(FindKey(obs, p_iso).met_by, "Copy of certificate ISO-P provided");

  obs = s.Evaluate("S2.4-6.3", "2026-07-02T12:00:00Z");
  EXPECT_EQ(FindKey(obs, a_iso).state, State::kOverdue);  // not met
  EXPECT_EQ(FindKey(obs, p_cep).state, State::kOverdue);  // provided tomorrow: not yet met
  EXPECT_EQ(FindKey(obs, a_cep).state, State::kMetOnTime);

  // Provided after commencement: met, never "late" (a precondition).
  EXPECT_EQ(StateAt(s, "S2.4-6.3", "2026-07-05T12:00:00Z", p_cep), State::kMetOnTime);
}

// ---- S2.4-6.6: evidence of NCSC-assured sanitisation before secure destruction ----------------

TEST(Rule6_6, APreconditionPerDestructionSiteMetByAProvidedCasCertificate) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  const auto p = s.Party("provider", "Provider Ltd");
  const auto leeds = s.Site("Leeds data centre", true, p);
  const auto office = s.Site("London office", false);
  s.Certificate(p, "iso27001", "ISO-P", "2025-11-10", "2028-11-09", "2026-04-10");  // not CAS
  s.Certificate(p, "ncsc_cas_sanitisation", "CAS-0", "2026-03-01", "2027-02-28");   // not given
  s.Certificate(p, "ncsc_cas_sanitisation", "CAS-1", "2026-04-20", "2027-04-19", "2026-05-10");

  const std::string key = Key("S2.4-6.6/sites/", leeds);
  auto obs = s.Evaluate("S2.4-6.6", "2026-05-09T12:00:00Z");
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_FALSE(HasKey(obs, Key("S2.4-6.6/sites/", office)));
  const Obligation& o = FindKey(obs, key);
  EXPECT_TRUE(o.precondition);
  EXPECT_EQ(o.consequence, kProcessingBar);
  // Required from the Effective Date on (00:00 BST 1 Apr 2026).
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-03-31T23:00:00.000Z");
  EXPECT_EQ(o.state, State::kOverdue);
  EXPECT_EQ(o.Text(),
            "Provide evidence of Provider Ltd's NCSC-assured (CAS) sanitisation before it "
            "destroys Customer Data or media at Leeds data centre (S2.4-6.6), due Wed 1 Apr 2026 "
            "00:00; not met");

  // Provided Sun 10 May 2026: met from 00:00 BST that day.
  EXPECT_EQ(StateAt(s, "S2.4-6.6", "2026-05-09T22:59:59.999Z", key), State::kOverdue);
  const Obligation met = Get(s, "S2.4-6.6", "2026-05-09T23:00:00Z", key);
  EXPECT_EQ(met.state, State::kMetOnTime);
  EXPECT_EQ(met.met_by, "Certificate CAS-1 provided");
}

// ---- Certificates count only while valid, only for their holder (issue: hardening 7) ---------

// S2.4-6.3 "a copy of each such certificate": met while a valid certificate of the party, of
// which the Customer has a copy, is in force. Expiry or withdrawal without a provided successor
// makes it unmet again, and so a reason of the processing gate.
TEST(CertificateValidity, AnExpiredOrWithdrawnCertificateBarsProcessingUntilReplaced) {
  ScenarioBuilder s;
  s.Effective("2026-04-01").ServiceCommencement("2026-07-01");
  const auto p = s.Party("provider", "Provider Ltd");
  // ISO-P expires Fri 23 Oct 2026 (BST): valid to 23:59:59.999 BST, i.e. until
  // 2026-10-23T23:00:00Z. Its successor is issued on 20 Oct but provided only on Mon 2 Nov.
  s.Certificate(p, "iso27001", "ISO-P", "2025-11-10", "2026-10-23", "2026-06-15");
  s.Certificate(p, "iso27001", "ISO-P2", "2026-10-20", "2029-10-19", "2026-11-02");
  // CEP-P is withdrawn on Thu 24 Dec 2026: invalid from 00:00 GMT that day.
  s.Certificate(p, "cyber_essentials_plus", "CEP-P", "2026-03-05", "2027-03-04", "2026-06-15",
                "2026-12-24");
  const std::string iso = Key("S2.4-6.3/suppliers/", p, "iso27001");
  const std::string cep = Key("S2.4-6.3/suppliers/", p, "cyber_essentials_plus");

  // Valid: met.
  Obligation o = Get(s, "S2.4-6.3", "2026-10-23T22:59:59.999Z", iso);
  EXPECT_EQ(o.state, State::kMetOnTime);
  EXPECT_EQ(o.met_by, "Copy of certificate ISO-P provided");
  EXPECT_TRUE(o.lapsed.empty());
  EXPECT_TRUE(EvaluateGate(s.Evaluate("S2.4-6.3", "2026-10-23T22:59:59.999Z")).may_process);

  // Expired: not met, and a gate reason that names the expiry.
  o = Get(s, "S2.4-6.3", "2026-10-23T23:00:00Z", iso);
  EXPECT_EQ(o.state, State::kOverdue);
  EXPECT_EQ(o.lapsed, "certificate ISO-P expired 23 Oct 2026");
  const Gate expired = EvaluateGate(s.Evaluate("S2.4-6.3", "2026-10-26T12:00:00Z"));
  EXPECT_FALSE(expired.may_process);
  ASSERT_EQ(expired.reasons.size(), 1u);
  EXPECT_EQ(expired.reasons[0].obligation_key, iso);
  EXPECT_EQ(expired.reasons[0].text,
            "Provide the Customer with a copy of Provider Ltd's ISO/IEC 27001 certificate before "
            "it uses the Core IMS for Customer Data (S2.4-6.3), due Wed 1 Jul 2026 00:00; not met; "
            "certificate ISO-P expired 23 Oct 2026");

  // The successor counts once its copy is provided (00:00 GMT Mon 2 Nov).
  EXPECT_EQ(StateAt(s, "S2.4-6.3", "2026-11-01T23:59:59.999Z", iso), State::kOverdue);
  o = Get(s, "S2.4-6.3", "2026-11-02T00:00:00Z", iso);
  EXPECT_EQ(o.state, State::kMetOnTime);
  EXPECT_EQ(o.met_by, "Copy of certificate ISO-P2 provided");

  // Withdrawn: not met from the withdrawal day, and a gate reason.
  EXPECT_EQ(StateAt(s, "S2.4-6.3", "2026-12-23T23:59:59.999Z", cep), State::kMetOnTime);
  o = Get(s, "S2.4-6.3", "2026-12-24T00:00:00Z", cep);
  EXPECT_EQ(o.state, State::kOverdue);
  EXPECT_EQ(o.lapsed, "certificate CEP-P withdrawn 24 Dec 2026");
  const Gate withdrawn = EvaluateGate(s.Evaluate("S2.4-6.3", "2026-12-24T12:00:00Z"));
  ASSERT_EQ(withdrawn.reasons.size(), 1u);
  EXPECT_EQ(withdrawn.reasons[0].obligation_key, cep);

  // Evaluated before the withdrawal was dated, the certificate is still valid.
  EXPECT_EQ(StateAt(s, "S2.4-6.3", "2026-12-01T12:00:00Z", cep), State::kMetOnTime);
}

// S2.4-6.2 and 6.3 apply to each party with its own certificates: the Provider's certificate
// does not certify a sub-contractor.
TEST(CertificateValidity, OnlyThePartyThatHoldsACertificateIsCertifiedByIt) {
  ScenarioBuilder s;
  s.Effective("2026-04-01").ServiceCommencement("2026-07-01");
  const auto p = s.Party("provider", "Provider Ltd");
  const auto a = s.Party("subcontractor", "Alpha Hosting Ltd", true);
  s.Certificate(p, "iso27001", "ISO-P", "2025-11-10", "2028-11-09", "2026-06-15");
  const auto obs = s.Evaluate("", "2026-07-02T12:00:00Z");
  // Met for the holder.
  EXPECT_EQ(FindKey(obs, Key("S2.4-6.2/suppliers/", p, "iso27001")).state, State::kMetOnTime);
  EXPECT_EQ(FindKey(obs, Key("S2.4-6.3/suppliers/", p, "iso27001")).state, State::kMetOnTime);
  // Not for the sub-contractor: 6.2 is due by the end of Thu 1 Oct 2026 (6 months, BST), and
  // 6.3 bars its processing.
  const Obligation& certified = FindKey(obs, Key("S2.4-6.2/suppliers/", a, "iso27001"));
  EXPECT_EQ(FormatInstantUtc(certified.due), "2026-10-01T22:59:59.999Z");
  EXPECT_EQ(certified.state, State::kUpcoming);
  EXPECT_EQ(FindKey(obs, Key("S2.4-6.3/suppliers/", a, "iso27001")).state, State::kOverdue);
  const Gate gate = EvaluateGate(obs);
  EXPECT_TRUE(std::any_of(gate.reasons.begin(), gate.reasons.end(), [&](const GateReason& r) {
    return r.obligation_key == Key("S2.4-6.3/suppliers/", a, "iso27001");
  }));
}

// S2.4-6.5, 6.6: the evidence before destruction at a site is the NCSC CAS (Sanitisation)
// certificate of whoever destroys Customer Data there; another party's certificate does not
// count, and a site with nobody recorded cannot be met.
TEST(CertificateValidity, SanitisationEvidenceOnlyFromThePartyThatDestroysAtTheSite) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  const auto p = s.Party("provider", "Provider Ltd");
  const auto sh = s.Party("subcontractor", "Shredsure Ltd", true);
  const auto warrington = s.Site("Warrington facility", true, sh);
  const auto york = s.Site("York store", true);  // nobody recorded
  // The Provider's own CAS certificate, provided: the wrong party for Warrington.
  s.Certificate(p, "ncsc_cas_sanitisation", "CAS-P", "2026-03-01", "2027-02-28", "2026-04-10");
  const std::string w = Key("S2.4-6.6/sites/", warrington);
  const std::string y = Key("S2.4-6.6/sites/", york);

  auto obs = s.Evaluate("S2.4-6.6", "2026-05-01T12:00:00Z");
  EXPECT_EQ(FindKey(obs, w).state, State::kOverdue);
  EXPECT_EQ(FindKey(obs, w).action,
            "Provide evidence of Shredsure Ltd's NCSC-assured (CAS) sanitisation before it "
            "destroys Customer Data or media at Warrington facility");
  EXPECT_EQ(FindKey(obs, y).state, State::kOverdue);
  EXPECT_EQ(FindKey(obs, y).action,
            "Record who destroys Customer Data or media at York store and provide evidence of "
            "their NCSC-assured (CAS) sanitisation before any destruction there");
  EXPECT_EQ(EvaluateGate(obs).reasons.size(), 2u);

  // Shredsure's own certificate, provided Sun 10 May 2026 (00:00 BST) and expiring Mon 19 Apr
  // 2027 (valid until 23:59:59.999 BST, i.e. 2027-04-19T23:00:00Z).
  s.Certificate(sh, "ncsc_cas_sanitisation", "CAS-S", "2026-04-20", "2027-04-19", "2026-05-10");
  EXPECT_EQ(StateAt(s, "S2.4-6.6", "2026-05-09T22:59:59.999Z", w), State::kOverdue);
  const Obligation met = Get(s, "S2.4-6.6", "2026-05-09T23:00:00Z", w);
  EXPECT_EQ(met.state, State::kMetOnTime);
  EXPECT_EQ(met.met_by, "Certificate CAS-S provided");
  EXPECT_EQ(StateAt(s, "S2.4-6.6", "2026-05-10T12:00:00Z", y), State::kOverdue);
  // Expired: evidence no longer in force, a gate reason again.
  EXPECT_EQ(StateAt(s, "S2.4-6.6", "2027-04-19T22:59:59.999Z", w), State::kMetOnTime);
  const Obligation lapsed = Get(s, "S2.4-6.6", "2027-04-19T23:00:00Z", w);
  EXPECT_EQ(lapsed.state, State::kOverdue);
  EXPECT_EQ(lapsed.lapsed, "certificate CAS-S expired 19 Apr 2027");
}

// No obligation is due before the Effective Date: a certificate that lapsed before it leaves
// S2.4-6.2 due at the Effective Date + 6 months, with no renewal or 6.7 notice dated before the
// contract; one expiring inside the 6 months need only be renewed by their end.
TEST(CertificateValidity, ACertificateLapsedBeforeTheEffectiveDateLeavesSixTwoDueAtSixMonths) {
  for (const auto& [issued, expected] :
       {std::pair{"2027-02-26", State::kMetOnTime}, std::pair{"2027-03-05", State::kMetLate}}) {
    ScenarioBuilder s;
    s.Effective("2026-08-31");  // + 6 months: Sun 28 Feb 2027, end of day GMT
    const auto p = s.Party("provider", "Provider Ltd");
    const auto old_cert =
        s.Certificate(p, "iso27001", "ISO-OLD", "2022-05-01", "2025-04-30", "2023-01-01");
    const auto cep = s.Certificate(p, "cyber_essentials_plus", "CEP-P", "2025-10-01", "2026-10-31");
    const std::string key = Key("S2.4-6.2/suppliers/", p, "iso27001");

    auto obs = s.Evaluate("", "2026-09-01T12:00:00Z");
    const Obligation& o = FindKey(obs, key);
    EXPECT_EQ(FormatInstantUtc(o.due), "2027-02-28T23:59:59.999Z");
    EXPECT_EQ(o.state, State::kUpcoming);
    EXPECT_EQ(o.lapsed, "certificate ISO-OLD expired 30 Apr 2025");
    // No renewal or lapse notice for the old certificate, at any instant.
    for (const char* at :
         {"2025-04-15T12:00:00Z", "2025-05-05T12:00:00Z", "2026-09-01T12:00:00Z"}) {
      obs = s.Evaluate("", at);
      EXPECT_FALSE(HasKey(obs, Key("S2.4-6.2/certifications/", old_cert, "renewal"))) << at;
      EXPECT_FALSE(HasKey(obs, Key("S2.4-6.7/certifications/", old_cert))) << at;
    }
    // CE+ expires Sat 31 Oct 2026, inside the first 6 months: renew by their end.
    const Obligation renewal =
        Get(s, "S2.4-6.2", "2026-09-01T12:00:00Z", Key("S2.4-6.2/certifications/", cep, "renewal"));
    EXPECT_EQ(FormatInstantUtc(renewal.due), "2027-02-28T23:59:59.999Z");
    EXPECT_EQ(renewal.action,
              "Renew Provider Ltd's Cyber Essentials Plus certificate CEP-P, which expires on 31 "
              "Oct 2026, within 6 months of the Effective Date");
    EXPECT_EQ(StateAt(s, "S2.4-6.2", "2027-03-01T00:00:00Z", key), State::kOverdue);

    // Certified again: on time by the due day, late after it.
    s.Certificate(p, "iso27001", "ISO-NEW", issued, "2030-01-31");
    const Obligation met = Get(s, "S2.4-6.2", "2027-03-10T12:00:00Z", key);
    EXPECT_EQ(met.state, expected) << issued;
    EXPECT_EQ(met.met_by, "Certificate ISO-NEW");
  }
}

// S2.4-6.2 "and throughout": a gap in a party's certificates after the 6 months is a lapse.
TEST(CertificateValidity, AWithdrawnCertificateLeavesTheSixTwoObligationUnmet) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  const auto a = s.Party("subcontractor", "Alpha Hosting Ltd", true);
  s.Certificate(a, "iso27001", "ISO-A", "2024-09-01", "2027-08-31", "", "2026-11-18");
  const std::string key = Key("S2.4-6.2/suppliers/", a, "iso27001");
  EXPECT_EQ(StateAt(s, "S2.4-6.2", "2026-11-17T12:00:00Z", key), State::kMetOnTime);
  const Obligation o = Get(s, "S2.4-6.2", "2026-11-18T12:00:00Z", key);
  EXPECT_EQ(o.state, State::kOverdue);
  EXPECT_EQ(o.lapsed, "certificate ISO-A withdrawn 18 Nov 2026");
  EXPECT_EQ(o.Text(),
            "Certify Alpha Hosting Ltd to ISO/IEC 27001 within 6 months of the Effective Date "
            "(S2.4-6.2), due Thu 1 Oct 2026 23:59; overdue; certificate ISO-A withdrawn 18 Nov "
            "2026");
}

// ---- S2.4-6.7: notice within 2 WD of ceasing to comply ---------------------------------------

TEST(Rule6_7, WithdrawalOnChristmasEveIsDueTwoWorkingDaysLater) {
  ScenarioBuilder s;
  const auto a = s.Party("subcontractor", "Alpha Hosting Ltd", true);
  // Withdrawn Thu 24 Dec 2026 (from 00:00 GMT). Fri 25 Dec, the weekend and Mon 28 Dec (Boxing
  // Day substitute) are not Working Days: Tue 29 (1), Wed 30 Dec (2) -> 2026-12-30T23:59:59.999Z.
  const auto c = s.Certificate(a, "cyber_essentials_plus", "CEP-A", "2026-03-02", "2027-03-01",
                               "2026-05-01", "2026-12-24");
  const std::string key = Key("S2.4-6.7/certifications/", c);
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-6.7", "2026-12-23T23:59:59.999Z"), key));
  const Obligation o = Get(s, "S2.4-6.7", "2026-12-24T00:00:00Z", key);
  EXPECT_EQ(o.clause, "S2.4-6.7");
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-12-24T00:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-12-30T23:59:59.999Z");
  EXPECT_EQ(o.consequence, kNotificationDuty);
  EXPECT_EQ(o.state, State::kDueSoon);
  EXPECT_EQ(o.action,
            "Notify the Customer that Alpha Hosting Ltd no longer complies with the Cyber "
            "Essentials Plus requirement (certificate CEP-A withdrawn 24 Dec 2026)");

  s.Opts().due_soon_working_days = 1;  // window: the next Working Day
  EXPECT_EQ(StateAt(s, "S2.4-6.7", "2026-12-24T12:00:00Z", key), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-6.7", "2026-12-29T12:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-6.7", "2026-12-31T00:00:00Z", key), State::kOverdue);
}

TEST(Rule6_7, NotifiedOnTheSecondWorkingDayIsOnTimeTheNextDayLate) {
  for (const auto& [notified, expected] :
       {std::pair{"2026-12-30", State::kMetOnTime}, std::pair{"2026-12-31", State::kMetLate}}) {
    ScenarioBuilder s;
    const auto a = s.Party("subcontractor", "Alpha Hosting Ltd", true);
    const auto c = s.Certificate(a, "iso27001", "ISO-A", "2024-09-01", "2027-08-31", "2026-06-01",
                                 "2026-12-24", notified);
    const Obligation o =
        Get(s, "S2.4-6.7", "2027-01-10T12:00:00Z", Key("S2.4-6.7/certifications/", c));
    EXPECT_EQ(o.state, expected) << notified;
    EXPECT_EQ(o.met_by, "Customer notified");
  }
}

TEST(Rule6_7, ExpiryWithoutARenewalByTheExpiryDayAcrossTheAutumnClockChange) {
  ScenarioBuilder s;
  const auto p = s.Party("provider", "Provider Ltd");
  // Expires Fri 23 Oct 2026: the party ceases to comply at 00:00 BST Sat 24 Oct
  // (2026-10-23T23:00Z). 2 WD after Sat 24 Oct: Mon 26 (1), Tue 27 Oct (2), now GMT ->
  // 2026-10-27T23:59:59.999Z.
  const auto lapsed = s.Certificate(p, "iso27001", "ISO-1", "2023-10-24", "2026-10-23");
  s.Certificate(p, "iso27001", "ISO-2", "2026-11-02", "2029-11-01");  // renewed late
  // Renewed on its expiry day: no lapse, no notice.
  const auto kept = s.Certificate(p, "cyber_essentials_plus", "CEP-1", "2025-10-24", "2026-10-23");
  s.Certificate(p, "cyber_essentials_plus", "CEP-2", "2026-10-23", "2027-10-22");

  const std::string key = Key("S2.4-6.7/certifications/", lapsed);
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-6.7", "2026-10-23T22:59:59.999Z"), key));
  auto obs = s.Evaluate("S2.4-6.7", "2026-10-23T23:00:00Z");
  const Obligation& o = FindKey(obs, key);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-10-23T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-10-27T23:59:59.999Z");
  EXPECT_EQ(o.consequence, kNotificationDuty);
  EXPECT_FALSE(HasKey(obs, Key("S2.4-6.7/certifications/", kept)));
  EXPECT_EQ(obs.size(), 1u);
  EXPECT_EQ(StateAt(s, "S2.4-6.7", "2026-10-28T00:00:00Z", key), State::kOverdue);

  // The late renewal also shows on the 6.2 renewal obligation.
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-6.2", "2026-11-03T12:00:00Z"),
                    Key("S2.4-6.2/certifications/", lapsed, "renewal"))
                .state,
            State::kMetLate);
}

TEST(Rule6_7, OnlyTheRequiredSchemesOfPartiesWithCustomerData) {
  ScenarioBuilder s;
  const auto p = s.Party("provider", "Provider Ltd");
  const auto b = s.Party("subcontractor", "Beta Catering Ltd", false);
  s.Certificate(p, "ncsc_cas_sanitisation", "CAS-1", "2026-01-01", "2026-10-23", "", "2026-06-01");
  s.Certificate(b, "iso27001", "ISO-B", "2024-01-01", "2026-10-23", "", "2026-06-01");
  EXPECT_TRUE(s.Evaluate("S2.4-6.7", "2026-12-01T12:00:00Z").empty());
}

}  // namespace
}  // namespace accredit::clocks
