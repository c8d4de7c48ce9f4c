// A year of one contract replayed as a scripted scenario (issue 4, "Done when"): submissions, a
// non-approval, a Rejection Notice, notifiable events, Required Changes Register entries, RMD
// versions, certificates (one expiring mid-year and renewed late, one withdrawn), an ITHC,
// monthly scans with a month missed, incident logs and the CEO's letter. Every rule is evaluated
// at two instants and the COMPLETE set of obligations (key, due instant in UTC, state) is
// compared with a table written by hand from the schedule's text and docs/CLOCKS.md. The test
// fails if any rule changes its due semantics, drops an obligation or adds one.
//
// Calendar facts used below (England and Wales):
//   bank holidays 2026: Fri 3 Apr, Mon 6 Apr, Mon 4 May, Mon 25 May, Mon 31 Aug, Fri 25 Dec,
//     Mon 28 Dec (Boxing Day substitute); 2027: Fri 1 Jan, Fri 26 Mar, Mon 29 Mar, Mon 3 May.
//   BST 2026: 29 Mar - 25 Oct; BST 2027: from 28 Mar. The end of a London day is 22:59:59.999Z
//   in BST and 23:59:59.999Z in GMT; its start is 23:00Z the day before in BST.

#include <algorithm>
#include <iterator>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::ScenarioBuilder;

struct Row {
  std::string key;
  std::string due;  // UTC
  State state;

  bool operator==(const Row& o) const {
    return std::tie(key, due, state) == std::tie(o.key, o.due, o.state);
  }

  bool operator<(const Row& o) const { return key < o.key; }
};

std::string Show(const std::vector<Row>& rows) {
  std::ostringstream out;
  for (const Row& r : rows) {
    out << "  " << r.key << "  " << r.due << "  " << StateName(r.state) << "\n";
  }
  return out.str();
}

// Differences between the two tables, keyed by obligation key, for a readable failure.
std::string Diff(std::vector<Row> got, std::vector<Row> want) {
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  std::vector<Row> missing;
  std::vector<Row> extra;
  std::vector<Row> wrong;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
  for (const Row& g : got) {
    auto it = std::lower_bound(want.begin(), want.end(), g);
    if (it != want.end() && it->key == g.key && !(*it == g)) {
      wrong.push_back(g);
      wrong.push_back(*it);
    }
  }
  return "missing (expected, not produced):\n" + Show(missing) +
         "extra (produced, not expected):\n" + Show(extra) + "different (got, then expected):\n" +
         Show(wrong);
}

std::vector<Row> Rows(const std::vector<Obligation>& obs) {
  std::vector<Row> rows;
  rows.reserve(obs.size());
  for (const Obligation& o : obs) {
    rows.push_back(Row{o.key, FormatInstantUtc(o.due), o.state});
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

void ExpectTable(const std::vector<Obligation>& obs, std::vector<Row> want) {
  std::sort(want.begin(), want.end());
  for (std::size_t i = 1; i < want.size(); ++i) {
    ASSERT_NE(want[i - 1].key, want[i].key) << "the expected table repeats a key";
  }
  const std::vector<Row> got = Rows(obs);
  for (std::size_t i = 1; i < got.size(); ++i) {
    EXPECT_NE(got[i - 1].key, got[i].key) << "the rules produced a key twice";
  }
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want) << Diff(got, want);
}

std::string N(std::int64_t id) {
  return std::to_string(id);
}

TEST(ContractYear, OneYearReplayedAgainstAHandWrittenTable) {
  ScenarioBuilder s;
  s.Effective("2026-04-01").ServiceCommencement("2026-07-01");

  // ---- parties and certificates (S2.4-6) ----
  const auto p = s.Party("provider", "Provider Ltd");
  const auto a = s.Party("subcontractor", "Alpha Hosting Ltd", true);
  const auto b = s.Party("subcontractor", "Beta Support Ltd", true);
  s.Party("subcontractor", "Gamma Catering Ltd", false);  // no Customer Data: no duties
  // Certificate(party, scheme, number, issued, expires, provided, withdrawn, lapse notified)
  s.Certificate(p, "iso27001", "ISO-P", "2025-11-10", "2028-11-09", "2026-05-11");
  const auto p_cep =
      s.Certificate(p, "cyber_essentials_plus", "CEP-P", "2026-05-05", "2027-05-04", "2026-05-11");
  s.Certificate(p, "ncsc_cas_sanitisation", "CAS-P", "2026-04-20", "2027-04-19", "2026-06-22");
  // Alpha's ISO certificate expires mid-year (Wed 30 Sep 2026) and is renewed late (12 Oct);
  // the Customer is told of the lapse on 7 Oct.
  const auto a_iso1 = s.Certificate(a, "iso27001", "ISO-A1", "2024-09-01", "2026-09-30",
                                    "2026-06-01", "", "2026-10-07");
  s.Certificate(a, "iso27001", "ISO-A2", "2026-10-12", "2029-10-11", "2026-10-14");
  // Alpha's Cyber Essentials Plus certificate is renewed in time.
  const auto a_cep1 =
      s.Certificate(a, "cyber_essentials_plus", "CEP-A1", "2026-03-02", "2027-03-01", "2026-06-01");
  s.Certificate(a, "cyber_essentials_plus", "CEP-A2", "2027-02-22", "2028-02-21", "2027-02-23");
  // Beta's ISO certificate is withdrawn on Wed 18 Nov 2026 (Customer told on the 19th); Beta
  // gains Cyber Essentials Plus only on 5 Oct 2026 and provides it on 6 Oct.
  const auto b_iso = s.Certificate(b, "iso27001", "ISO-B", "2026-02-16", "2029-02-15", "2026-06-15",
                                   "2026-11-18", "2026-11-19");
  s.Certificate(b, "cyber_essentials_plus", "CEP-B", "2026-10-05", "2027-10-04", "2026-10-06");
  const auto leeds = s.Site("Leeds data centre", true, p);  // the Provider destroys media there
  s.Site("London office", false);

  // ---- security tests (S2.4-7) ----
  s.Deliverable("ithc", "2026-05-20", "2026-05-27");
  for (const char* day : {"2026-04-28", "2026-05-27", "2026-06-24", "2026-07-29", "2026-08-26",
                          "2026-09-30", "2026-10-31", "2026-11-25", "2026-12-16",
                          /* January 2027 missed */ "2027-02-24", "2027-03-24"}) {
    s.Deliverable("vulnerability_scan", day);
  }
  s.Deliverable("ceo_letter", "2027-03-25", "2027-03-30", "2027");
  // Incident logs, each for the quarter it covers: Q2's on 3 Jul, Q3's on 2 Oct; none for Q4.
  s.Deliverable("incident_log", "2026-07-02", "2026-07-03", "2026-Q2");
  s.Deliverable("incident_log", "2026-10-01", "2026-10-02", "2026-Q3");

  // ---- accreditation (S2.4-5.3 to 5.12) ----
  s.RmdVersion(1, "2026-05-29T15:00:00Z");
  const auto sub1 = s.Accreditation(AccreditationKind::kSubmission, "2026-06-01T09:00:00Z", 1);
  const auto non = s.Accreditation(AccreditationKind::kNonApproval, "2026-06-12T14:00:00Z");
  s.RmdVersion(2, "2026-06-25T10:00:00Z");
  const auto sub2 = s.Accreditation(AccreditationKind::kSubmission, "2026-06-26T10:00:00Z", 2);
  const auto rej = s.Accreditation(AccreditationKind::kRejectionNotice, "2026-07-08T13:00:00Z");
  s.Accreditation(AccreditationKind::kReadyForDecision, "2026-08-05T16:00:00Z");
  s.RmdVersion(3, "2026-08-19T09:00:00Z");
  s.Accreditation(AccreditationKind::kApproval, "2026-08-20T11:00:00Z", 3, "RMAS-1");

  // ---- notifiable events (S2.4-5.13) and RCR provision (5.14) ----
  // NotifiableEvent(kind, became aware, Customer notified, updated RCR provided)
  const auto n0 = s.NotifiableEvent("subcontractor_coc_failure", "2026-07-24T15:00:00Z",
                                    "2026-07-29T08:00:00Z", "2026-08-12T20:00:00Z");
  const auto n5 = s.NotifiableEvent("personal_data_quantity_change", "2026-10-24T23:30:00Z",
                                    "2026-10-26T10:00:00Z");
  const auto n1 = s.NotifiableEvent("architecture_change", "2026-11-03T10:00:00Z",
                                    "2026-11-05T15:00:00Z", "2026-11-12T10:00:00Z");
  const auto n2 = s.NotifiableEvent("new_risk_or_vulnerability", "2026-12-24T16:00:00Z",
                                    "2026-12-31T09:00:00Z", "2027-01-20T10:00:00Z");
  const auto n3 = s.NotifiableEvent("threat_profile_change", "2027-02-15T09:00:00Z");
  const auto n4 = s.NotifiableEvent("site_change_proposal", "2027-03-26T11:00:00Z");

  // ---- Required Changes Register (S2.4-5.15) ----
  // Rcr(ref, status, agreed, implementation due, implemented)
  const auto r3 = s.Rcr("RCR-3", "implemented", "2026-07-15", "2026-09-30", "2026-09-28");
  const auto r1 = s.Rcr("RCR-1", "implemented", "2026-11-20", "2027-01-29", "2027-02-03");
  const auto r2 = s.Rcr("RCR-2", "agreed", "2027-01-21", "2027-03-12");
  s.Rcr("RCR-4", "proposed", "", "");
  const auto r5 = s.Rcr("RCR-5", "agreed", "2027-03-01", "2027-06-30");

  const std::string ev = "/accreditation_events/";
  const std::string ne = "/notifiable_events/";
  const std::string sup = "/suppliers/";
  const std::string cert = "/certifications/";
  const std::string c0 = "/contract/0";

  // ================================================================================================
  // Mid-year: Mon 10 Aug 2026 12:00Z (13:00 BST). The warning window (5 WD) reaches the end of Mon
  // 17 Aug (11, 12, 13, 14, 17). Records dated later are not yet known.
  // ================================================================================================
  const auto mid = s.Evaluate("", "2026-08-10T12:00:00Z");
  ExpectTable(
      mid,
      {
          // S2.4-5.5 "amend it within ten (10) Working Days of a notice of non-approval and
          // re-submit": notice Fri 12 Jun 15:00 BST; 15-19 Jun (5), 22-26 Jun (10) -> Fri 26
          // Jun; resubmitted 26 Jun 11:00 BST.
          {"S2.4-5.5" + ev + N(non) + "/resubmit", "2026-06-26T22:59:59.999Z", State::kMetOnTime},
          // S2.4-5.5 "no longer than fifteen (15) Working Days ... from the date of its first
          // submission" (the Customer's side): submitted Mon 1 Jun; 2-5 Jun (4), 8-12 (9),
          // 15-19 (14), Mon 22 Jun (15). The Approval Statement of 20 Aug is not yet known.
          {"S2.4-5.5" + ev + N(sub1) + "/approval-target", "2026-06-22T22:59:59.999Z",
           State::kOverdue},
          // S2.4-5.8 "within 20 Working Days of the date of the Risk Management Rejection
          // Notice ... notify the Customer that the Core IMS is ready": notice Wed 8 Jul; 9-10
          // Jul (2), 13-17 (7), 20-24 (12), 27-31 (17), 3, 4, 5 Aug (20) -> Wed 5 Aug; ready
          // 5 Aug 17:00 BST.
          {"S2.4-5.8" + ev + N(rej) + "/ready", "2026-08-05T22:59:59.999Z", State::kMetOnTime},
          // S2.4-5.11 "not be permitted to ... Process Customer Data prior to receiving a Risk
          // Management Approval Statement": a precondition from service commencement (00:00
          // BST 1 Jul); no Approval Statement yet -> not met.
          {"S2.4-5.11" + c0, "2026-06-30T23:00:00.000Z", State::kOverdue},
          // S2.4-5.12 "update the Risk Management Documentation annually": each version a
          // year after its London issue day; v1 (29 May 2026) was followed by v2 (25 Jun).
          {"S2.4-5.12/rmd_versions/1", "2027-05-29T22:59:59.999Z", State::kMetOnTime},
          // v2 of 25 Jun 2026; v3 (19 Aug) is not yet issued. v3 itself is not yet known.
          {"S2.4-5.12/rmd_versions/2", "2027-06-25T22:59:59.999Z", State::kUpcoming},
          // S2.4-5.13.4 "notify the Customer within two (2) Working Days after becoming aware of
          // ... a Sub-contractor failure to comply with the ... code of connection": aware Fri
          // 24 Jul 16:00 BST; Mon 27 (1), Tue 28 Jul (2); notified Wed 29 Jul 09:00 BST: late.
          {"S2.4-5.13.4" + ne + N(n0), "2026-07-28T22:59:59.999Z", State::kMetLate},
          // S2.4-5.14 "provide the updated Required Changes Register ... within ten (10) Working
          // Days after the initial notification": notified Wed 29 Jul; 30, 31 Jul (2), 3-7 Aug
          // (7), 10, 11, 12 Aug (10) -> Wed 12 Aug, inside the window.
          {"S2.4-5.14" + ne + N(n0), "2026-08-12T22:59:59.999Z", State::kDueSoon},
          // S2.4-5.15 "fails to implement a change ... by the date agreed": RCR-3 agreed 15 Jul,
          // to be implemented by Wed 30 Sep 2026.
          {"S2.4-5.15/rcr/" + N(r3), "2026-09-30T22:59:59.999Z", State::kUpcoming},
          // S2.4-6.2 "within six (6) months of the Effective Date ... certified": 1 Apr + 6
          // months = Thu 1 Oct 2026. Provider: ISO (Nov 2025) and CE+ (5 May 2026); Alpha: ISO
          // (2024) and CE+ (2 Mar 2026); Beta: ISO (16 Feb 2026); Beta's CE+ comes on 5 Oct.
          {"S2.4-6.2" + sup + N(p) + "/iso27001", "2026-10-01T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-6.2" + sup + N(p) + "/cyber_essentials_plus", "2026-10-01T22:59:59.999Z",
           State::kMetOnTime},
          {"S2.4-6.2" + sup + N(a) + "/iso27001", "2026-10-01T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-6.2" + sup + N(a) + "/cyber_essentials_plus", "2026-10-01T22:59:59.999Z",
           State::kMetOnTime},
          {"S2.4-6.2" + sup + N(b) + "/iso27001", "2026-10-01T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-6.2" + sup + N(b) + "/cyber_essentials_plus", "2026-10-01T22:59:59.999Z",
           State::kUpcoming},
          // S2.4-6.2 "within 6 months of the Effective Date and throughout the remainder of the
          // Term": ISO-A1 expires Wed 30 Sep 2026, inside the first 6 months, so its renewal is
          // due by their end (Thu 1 Oct); shown from 90 days before expiry (2 Jul); the renewal
          // of 12 Oct is not yet known.
          {"S2.4-6.2" + cert + N(a_iso1) + "/renewal", "2026-10-01T22:59:59.999Z",
           State::kUpcoming},
          // S2.4-6.3 "a copy of each such certificate ... before [the party] shall be permitted
          // to use the Core IMS to ... Process any Customer Data": preconditions from
          // commencement; all provided in May/June except Beta's CE+ (6 Oct) -> not met.
          {"S2.4-6.3" + sup + N(p) + "/iso27001", "2026-06-30T23:00:00.000Z", State::kMetOnTime},
          {"S2.4-6.3" + sup + N(p) + "/cyber_essentials_plus", "2026-06-30T23:00:00.000Z",
           State::kMetOnTime},
          {"S2.4-6.3" + sup + N(a) + "/iso27001", "2026-06-30T23:00:00.000Z", State::kMetOnTime},
          {"S2.4-6.3" + sup + N(a) + "/cyber_essentials_plus", "2026-06-30T23:00:00.000Z",
           State::kMetOnTime},
          {"S2.4-6.3" + sup + N(b) + "/iso27001", "2026-06-30T23:00:00.000Z", State::kMetOnTime},
          {"S2.4-6.3" + sup + N(b) + "/cyber_essentials_plus", "2026-06-30T23:00:00.000Z",
           State::kOverdue},
          // S2.4-6.6 "evidence of ... compliance [with 6.5, NCSC CAS sanitisation] before ...
          // the secure destruction of the Customer Data": from the Effective Date; CAS-P
          // provided 22 Jun.
          {"S2.4-6.6/sites/" + N(leeds), "2026-03-31T23:00:00.000Z", State::kMetOnTime},
          // S2.4-7.1.1.1 "an IT Health Check ... prior to it submitting the Risk Management
          // Documentation": due at each submission; the ITHC of 20 May 2026 precedes both.
          {"S2.4-7.1.1.1" + ev + N(sub1), "2026-06-01T09:00:00.000Z", State::kMetOnTime},
          {"S2.4-7.1.1.1" + ev + N(sub2), "2026-06-26T10:00:00.000Z", State::kMetOnTime},
          // S2.4-7.1.1.3 "once every 12 months during the Term": the first within 12 months of
          // 1 Apr 2026 (met 20 May), the next within 12 months of 20 May 2026.
          {"S2.4-7.1.1.3" + c0 + "/2026-04-01", "2027-04-01T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.1.3" + c0 + "/2026-05-20", "2027-05-20T22:59:59.999Z", State::kUpcoming},
          // S2.4-7.1.2 "vulnerability scanning ... monthly": each calendar month by its last
          // day; April to July scanned, August's scan (26 Aug) is still to come.
          {"S2.4-7.1.2" + c0 + "/2026-04", "2026-04-30T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-05", "2026-05-31T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-06", "2026-06-30T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-07", "2026-07-31T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-08", "2026-08-31T22:59:59.999Z", State::kUpcoming},
          // S2.4-7.13 "by 31 March of each year during the Term ... a letter from its chief
          // executive officer": the first 31 March in the Term is 31 Mar 2027 (BST).
          {"S2.4-7.13" + c0 + "/2027", "2027-03-31T22:59:59.999Z", State::kUpcoming},
          // S2.4-10.1 "a full log of Security Incidents ... on a quarterly basis": each calendar
          // quarter's log once the quarter has ended, by the end of the next quarter; Q2's
          // provided 3 Jul. (Q3 is still running: no obligation yet.)
          {"S2.4-10.1" + c0 + "/2026-Q2", "2026-09-30T22:59:59.999Z", State::kMetOnTime},
      });

  // S2.4-5.11 and 6.3: no Approval Statement yet and Beta's CE+ certificate not provided.
  const Gate mid_gate = EvaluateGate(mid);
  EXPECT_FALSE(mid_gate.may_process);
  ASSERT_EQ(mid_gate.reasons.size(), 2u);
  EXPECT_EQ(mid_gate.reasons[0].clause, "S2.4-5.11");
  EXPECT_EQ(mid_gate.reasons[0].obligation_key, "S2.4-5.11" + c0);
  EXPECT_EQ(mid_gate.reasons[1].clause, "S2.4-6.3");
  EXPECT_EQ(mid_gate.reasons[1].obligation_key, "S2.4-6.3" + sup + N(b) + "/cyber_essentials_plus");

  // ================================================================================================
  // Year end: Wed 31 Mar 2027 12:00Z (13:00 BST). The warning window reaches the end of Wed 7
  // Apr (1, 2, 5, 6, 7 Apr; Easter 2027 was 26-29 Mar).
  // ================================================================================================
  const auto end = s.Evaluate("", "2027-03-31T12:00:00Z");
  ExpectTable(
      end,
      {
          // S2.4-5.5 resubmission within 10 WD: as at mid-year.
          {"S2.4-5.5" + ev + N(non) + "/resubmit", "2026-06-26T22:59:59.999Z", State::kMetOnTime},
          // S2.4-5.5 15 WD target from the first submission: the Approval Statement came on 20
          // Aug 2026, late; the resubmission did not restart the count.
          {"S2.4-5.5" + ev + N(sub1) + "/approval-target", "2026-06-22T22:59:59.999Z",
           State::kMetLate},
          // S2.4-5.8 ready within 20 WD of the Rejection Notice: as at mid-year.
          {"S2.4-5.8" + ev + N(rej) + "/ready", "2026-08-05T22:59:59.999Z", State::kMetOnTime},
          // S2.4-5.11 met by the Approval Statement RMAS-1 (a precondition: met, never late).
          {"S2.4-5.11" + c0, "2026-06-30T23:00:00.000Z", State::kMetOnTime},
          // S2.4-5.12 annual RMD update: v1 and v2 were superseded within the year; v3 (19 Aug
          // 2026) is due for update by 19 Aug 2027.
          {"S2.4-5.12/rmd_versions/1", "2027-05-29T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-5.12/rmd_versions/2", "2027-06-25T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-5.12/rmd_versions/3", "2027-08-19T22:59:59.999Z", State::kUpcoming},
          // S2.4-5.13.4 notified a day late; S2.4-5.14 RCR provided 12 Aug 21:00 BST, in time.
          {"S2.4-5.13.4" + ne + N(n0), "2026-07-28T22:59:59.999Z", State::kMetLate},
          {"S2.4-5.14" + ne + N(n0), "2026-08-12T22:59:59.999Z", State::kMetOnTime},
          // S2.4-5.13.6 "a significant change in the quantity of Personal Data": aware 00:30 BST
          // Sun 25 Oct 2026 (the clock-change day; the UTC date is the 24th); Mon 26 (1), Tue 27
          // (2), GMT; notified Mon 26 Oct.
          {"S2.4-5.13.6" + ne + N(n5), "2026-10-27T23:59:59.999Z", State::kMetOnTime},
          // S2.4-5.14 within 10 WD of the notification of Mon 26 Oct: 27-30 Oct (4), 2-6 Nov
          // (9), Mon 9 Nov (10); the updated RCR was never provided.
          {"S2.4-5.14" + ne + N(n5), "2026-11-09T23:59:59.999Z", State::kOverdue},
          // S2.4-5.13.1 "a significant change to the components or architecture": aware Tue 3
          // Nov; Wed 4 (1), Thu 5 Nov (2); notified 5 Nov 15:00.
          {"S2.4-5.13.1" + ne + N(n1), "2026-11-05T23:59:59.999Z", State::kMetOnTime},
          // S2.4-5.14 from Thu 5 Nov: 6 (1), 9-13 (6), 16-19 Nov (10); provided 12 Nov.
          {"S2.4-5.14" + ne + N(n1), "2026-11-19T23:59:59.999Z", State::kMetOnTime},
          // S2.4-5.13.2 "a new risk or vulnerability": aware Thu 24 Dec; 25 Dec, the weekend and
          // 28 Dec are not Working Days: Tue 29 (1), Wed 30 Dec (2); notified 31 Dec: late.
          {"S2.4-5.13.2" + ne + N(n2), "2026-12-30T23:59:59.999Z", State::kMetLate},
          // S2.4-5.14 from Thu 31 Dec: [1 Jan], 4-8 Jan (5), 11-15 Jan (10) -> Fri 15 Jan;
          // provided 20 Jan: late.
          {"S2.4-5.14" + ne + N(n2), "2027-01-15T23:59:59.999Z", State::kMetLate},
          // S2.4-5.13.3 "a change in the threat profile": aware Mon 15 Feb 2027; Tue 16 (1),
          // Wed 17 Feb (2); never notified. No 5.14 duty without a notification.
          {"S2.4-5.13.3" + ne + N(n3), "2027-02-17T23:59:59.999Z", State::kOverdue},
          // S2.4-5.13.7 "a proposal to change any of the Sites": aware Good Friday 26 Mar 2027;
          // [Easter Monday 29 Mar], Tue 30 (1), Wed 31 Mar (2), BST -> due tonight.
          {"S2.4-5.13.7" + ne + N(n4), "2027-03-31T22:59:59.999Z", State::kDueSoon},
          // S2.4-5.15: RCR-3 implemented 28 Sep, before its date (30 Sep 2026).
          {"S2.4-5.15/rcr/" + N(r3), "2026-09-30T22:59:59.999Z", State::kMetOnTime},
          // RCR-1 to be implemented by Fri 29 Jan 2027, implemented 3 Feb: a material Default,
          // since remedied.
          {"S2.4-5.15/rcr/" + N(r1), "2027-01-29T23:59:59.999Z", State::kMetLate},
          // RCR-2 to be implemented by Fri 12 Mar 2027 and not implemented: a material Default
          // that bars processing (5.15.1).
          {"S2.4-5.15/rcr/" + N(r2), "2027-03-12T23:59:59.999Z", State::kOverdue},
          // RCR-5 agreed 1 Mar 2027, due Wed 30 Jun 2027. (RCR-4 is only proposed: no duty.)
          {"S2.4-5.15/rcr/" + N(r5), "2027-06-30T22:59:59.999Z", State::kUpcoming},
          // S2.4-6.2 certified within 6 months: Beta's CE+ came on 5 Oct 2026, after 1 Oct.
          {"S2.4-6.2" + sup + N(p) + "/iso27001", "2026-10-01T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-6.2" + sup + N(p) + "/cyber_essentials_plus", "2026-10-01T22:59:59.999Z",
           State::kMetOnTime},
          // S2.4-6.2 "within 6 months ... and throughout": a certificate counts only while valid.
          // Alpha was uncertified to ISO/IEC 27001 on the due day (ISO-A1 expired 30 Sep, ISO-A2
          // issued 12 Oct): met late. Beta's ISO-B was withdrawn on 18 Nov with no successor.
          {"S2.4-6.2" + sup + N(a) + "/iso27001", "2026-10-01T22:59:59.999Z", State::kMetLate},
          {"S2.4-6.2" + sup + N(a) + "/cyber_essentials_plus", "2026-10-01T22:59:59.999Z",
           State::kMetOnTime},
          {"S2.4-6.2" + sup + N(b) + "/iso27001", "2026-10-01T22:59:59.999Z", State::kOverdue},
          {"S2.4-6.2" + sup + N(b) + "/cyber_essentials_plus", "2026-10-01T22:59:59.999Z",
           State::kMetLate},
          // S2.4-6.2 throughout: ISO-A1 expires 30 Sep 2026, inside the first 6 months, so its
          // renewal is due by their end (1 Oct); renewed 12 Oct: late.
          {"S2.4-6.2" + cert + N(a_iso1) + "/renewal", "2026-10-01T22:59:59.999Z", State::kMetLate},
          // CEP-A1 expires Mon 1 Mar 2027 (GMT), shown from 1 Dec 2026, renewed 22 Feb 2027.
          {"S2.4-6.2" + cert + N(a_cep1) + "/renewal", "2027-03-01T23:59:59.999Z",
           State::kMetOnTime},
          // CEP-P expires Tue 4 May 2027 (BST), shown from 3 Feb 2027; not yet renewed. (The
          // other certificates expire more than 90 days after today.)
          {"S2.4-6.2" + cert + N(p_cep) + "/renewal", "2027-05-04T22:59:59.999Z", State::kUpcoming},
          // S2.4-6.3 copies before processing: Beta's CE+ provided 6 Oct 2026; Alpha's ISO gap
          // (1-13 Oct) has ended with ISO-A2 provided 14 Oct; Beta's ISO-B withdrawn 18 Nov 2026
          // with no successor: a copy of a valid certificate is missing again (not met).
          {"S2.4-6.3" + sup + N(p) + "/iso27001", "2026-06-30T23:00:00.000Z", State::kMetOnTime},
          {"S2.4-6.3" + sup + N(p) + "/cyber_essentials_plus", "2026-06-30T23:00:00.000Z",
           State::kMetOnTime},
          {"S2.4-6.3" + sup + N(a) + "/iso27001", "2026-06-30T23:00:00.000Z", State::kMetOnTime},
          {"S2.4-6.3" + sup + N(a) + "/cyber_essentials_plus", "2026-06-30T23:00:00.000Z",
           State::kMetOnTime},
          {"S2.4-6.3" + sup + N(b) + "/iso27001", "2026-06-30T23:00:00.000Z", State::kOverdue},
          {"S2.4-6.3" + sup + N(b) + "/cyber_essentials_plus", "2026-06-30T23:00:00.000Z",
           State::kMetOnTime},
          // S2.4-6.6 sanitisation evidence: as at mid-year.
          {"S2.4-6.6/sites/" + N(leeds), "2026-03-31T23:00:00.000Z", State::kMetOnTime},
          // S2.4-6.7 "notify ... within two (2) Working Days, if the Service Provider or any
          // Sub-contractor ceases to be compliant": ISO-A1 lapsed at 00:00 BST Thu 1 Oct 2026
          // (expired 30 Sep, renewed 12 Oct); Fri 2 (1), Mon 5 Oct (2); told 7 Oct: late.
          {"S2.4-6.7" + cert + N(a_iso1), "2026-10-05T22:59:59.999Z", State::kMetLate},
          // ISO-B withdrawn Wed 18 Nov 2026; Thu 19 (1), Fri 20 Nov (2); told 19 Nov.
          {"S2.4-6.7" + cert + N(b_iso), "2026-11-20T23:59:59.999Z", State::kMetOnTime},
          // S2.4-7.1.1.1 an ITHC before each submission: as at mid-year.
          {"S2.4-7.1.1.1" + ev + N(sub1), "2026-06-01T09:00:00.000Z", State::kMetOnTime},
          {"S2.4-7.1.1.1" + ev + N(sub2), "2026-06-26T10:00:00.000Z", State::kMetOnTime},
          // S2.4-7.1.1.3 every 12 months: the next ITHC is due by Thu 20 May 2027.
          {"S2.4-7.1.1.3" + c0 + "/2026-04-01", "2027-04-01T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.1.3" + c0 + "/2026-05-20", "2027-05-20T22:59:59.999Z", State::kUpcoming},
          // S2.4-7.1.2 monthly scans, April 2026 to March 2027; January 2027 was missed (the
          // February scan does not cure it). October ends in GMT; March 2027 in BST.
          {"S2.4-7.1.2" + c0 + "/2026-04", "2026-04-30T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-05", "2026-05-31T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-06", "2026-06-30T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-07", "2026-07-31T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-08", "2026-08-31T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-09", "2026-09-30T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-10", "2026-10-31T23:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-11", "2026-11-30T23:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2026-12", "2026-12-31T23:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2027-01", "2027-01-31T23:59:59.999Z", State::kOverdue},
          {"S2.4-7.1.2" + c0 + "/2027-02", "2027-02-28T23:59:59.999Z", State::kMetOnTime},
          {"S2.4-7.1.2" + c0 + "/2027-03", "2027-03-31T22:59:59.999Z", State::kMetOnTime},
          // S2.4-7.13 the CEO's letter, provided 30 Mar 2027. (The 2028 letter's year begins
          // tomorrow, 1 Apr 2027.)
          {"S2.4-7.13" + c0 + "/2027", "2027-03-31T22:59:59.999Z", State::kMetOnTime},
          // S2.4-10.1 quarterly incident log, attributed to the quarter each log covers: Q2 and
          // Q3 in time; Q4's log is due tonight, the end of Q1 2027 (which is still running).
          {"S2.4-10.1" + c0 + "/2026-Q2", "2026-09-30T22:59:59.999Z", State::kMetOnTime},
          {"S2.4-10.1" + c0 + "/2026-Q3", "2026-12-31T23:59:59.999Z", State::kMetOnTime},
          {"S2.4-10.1" + c0 + "/2026-Q4", "2027-03-31T22:59:59.999Z", State::kDueSoon},
      });

  // S2.4-5.15.1: RCR-2 is overdue, so processing must stop until it is implemented; and
  // S2.4-6.3: Beta's ISO/IEC 27001 certificate was withdrawn, so Beta may not process Customer
  // Data (a withdrawn certificate is a gate reason). 5.11 and 6.6 are met.
  const Gate end_gate = EvaluateGate(end);
  EXPECT_FALSE(end_gate.may_process);
  ASSERT_EQ(end_gate.reasons.size(), 2u);
  EXPECT_EQ(end_gate.reasons[0].clause, "S2.4-5.15.1");
  EXPECT_EQ(end_gate.reasons[0].obligation_key, "S2.4-5.15/rcr/" + N(r2));
  EXPECT_EQ(end_gate.reasons[0].text,
            "Implement Required Changes Register entry RCR-2 (Change RCR-2) by its agreed date 12 "
            "Mar 2027 (S2.4-5.15), due Fri 12 Mar 2027 23:59; overdue");
  EXPECT_EQ(end_gate.reasons[1].clause, "S2.4-6.3");
  EXPECT_EQ(end_gate.reasons[1].obligation_key, "S2.4-6.3" + sup + N(b) + "/iso27001");
  EXPECT_EQ(end_gate.reasons[1].text,
            "Provide the Customer with a copy of Beta Support Ltd's ISO/IEC 27001 certificate "
            "before it uses the Core IMS for Customer Data (S2.4-6.3), due Wed 1 Jul 2026 00:00; "
            "not met; certificate ISO-B withdrawn 18 Nov 2026");

  // Consequences the clauses carry, on rows of the table.
  auto consequence = [&](const std::string& key) {
    return testing::FindKey(end, key).consequence;
  };
  EXPECT_EQ(consequence("S2.4-5.15/rcr/" + N(r2)),
            kMaterialDefault | kProcessingBar | kTerminationRight);
  EXPECT_EQ(consequence("S2.4-5.13.3" + ne + N(n3)), kNotificationDuty);
  EXPECT_EQ(consequence("S2.4-6.7" + cert + N(b_iso)), kNotificationDuty);
  EXPECT_EQ(consequence("S2.4-5.5" + ev + N(sub1) + "/approval-target"), kCustomerTarget);
}

}  // namespace
}  // namespace accredit::clocks
