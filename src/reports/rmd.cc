// The Risk Management Documentation in the Annex 3 layout (S2.4-5.3, 5.4; Annex 3), built from a
// Snapshot. Section map and gap rules: docs/RMD.md.

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "reports/internal.h"

namespace accredit::reports {

const std::vector<std::string>& Annex3Headings() {
  static const std::vector<std::string> kHeadings = {
      "1 Executive Summary",
      "2 Change History",
      "3 References, Links and Dependencies",
      "4 System Description",
      "4.1 Background",
      "4.2 Organisational Ownership and Structure",
      "4.3 Information Assets and Flows",
      "4.4 System Architecture",
      "4.5 Users",
      "4.6 Locations",
      "4.7 Test and Development Systems",
      "4.8 Key Roles and Responsibilities",
      "5 Risk Assessment",
      "5.1 Accreditation and Assurance Scope",
      "5.2 Accreditation Plan",
      "5.3 Risk Appetite",
      "5.4 Business Impact Assessment",
      "5.5 Risk Assessment Table",
      "5.6 Controls Table",
      "5.7 Residual Risks and Actions",
      "6 In-Service Controls",
      "7 Security Operating Procedures",
      "8 Major Hardware and Software and End of Support Dates",
      "9 Incident Management Process",
      "10 Security Requirements for User Organisations",
      "11 Required Changes Register",
      "12 Personal Data Processing Statement",
      "Annex A ISO 27001 and Cyber Essentials Plus Certificates",
      "Annex B Cloud Security Principles Assessment",
      "Annex C Bulk Data Assessment",
      "Annex D IT Health Check Report and Vulnerability Correction Plan",
  };
  return kHeadings;
}

namespace internal {
namespace {

using docs::Block;
using docs::Document;
using docs::Heading;
using docs::Notice;
using docs::NoticeKind;
using docs::RowStyle;
using docs::Table;

// "4.1 Background" -> "a3-4-1"; "Annex A ..." -> "a3-annex-a".
std::string AnchorOf(const std::string& heading) {
  if (heading.rfind("Annex ", 0) == 0 && heading.size() > 6) {
    return std::string("a3-annex-") + static_cast<char>(heading[6] - 'A' + 'a');
  }
  std::string number = heading.substr(0, heading.find(' '));
  std::replace(number.begin(), number.end(), '.', '-');
  return "a3-" + number;
}

class Builder {
 public:
  Builder(const Snapshot& s, const catalog::Catalog& catalog) : s_(s), catalog_(catalog) {}

  Document Build() {
    doc_.title = "Risk Management Documentation";
    doc_.subtitle = s_.contract.title.empty()
                        ? std::string("Information Management System")
                        : s_.contract.title + " \u2014 Information Management System";
    doc_.date = FormatDate(s_.today);
    ExecutiveSummary();
    ChangeHistory();
    References();
    SystemDescription();
    RiskAssessment();
    InServiceControls();
    SecurityOperatingProcedures();
    HardwareSoftware();
    IncidentManagement();
    UserOrganisations();
    RequiredChanges();
    Pdps();
    Annexes();
    return std::move(doc_);
  }

 private:
  void H(int level, const std::string& text) {
    doc_.blocks.emplace_back(Heading{level, text, AnchorOf(text)});
  }

  void P(std::string text) { doc_.blocks.emplace_back(docs::Text(std::move(text))); }

  void Gap(std::string text) {
    doc_.blocks.emplace_back(Notice{NoticeKind::kGap, std::move(text)});
  }

  void Note(std::string text) {
    doc_.blocks.emplace_back(Notice{NoticeKind::kInfo, std::move(text)});
  }

  void Add(Table t) {
    if (!t.row_styles.empty() && std::all_of(t.row_styles.begin(), t.row_styles.end(),
                                             [](RowStyle r) { return r == RowStyle::kNormal; })) {
      t.row_styles.clear();
    }
    doc_.blocks.emplace_back(std::move(t));
  }

  const std::vector<Json>& R(std::string_view reg) const { return s_.Of(reg); }

  // References whose title or reference mentions any of `words` (case-insensitive).
  std::vector<const Json*> ReferencesAbout(std::initializer_list<std::string_view> words) const {
    std::vector<const Json*> out;
    for (const auto& r : R("references")) {
      std::string text = Str(r, "title") + " " + Str(r, "reference");
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      for (std::string_view w : words) {
        if (text.find(w) != std::string::npos) {
          out.push_back(&r);
          break;
        }
      }
    }
    return out;
  }

  void ReferenceTable(const std::vector<const Json*>& refs, const std::string& caption) {
    Table t;
    t.caption = caption;
    t.header = {"ID", "Title", "Reference", "Date"};
    for (const Json* r : refs) {
      t.rows.push_back(
          {Str(*r, "ref_id"), Str(*r, "title"), Cell(Str(*r, "reference")), Cell(Str(*r, "date"))});
    }
    Add(std::move(t));
  }

  static std::string Level(const Json& r, std::string_view level, std::string_view score) {
    const std::string l = Str(r, level);
    const std::string sc = Str(r, score);
    if (l.empty() && sc.empty()) {
      return "not assessed";
    }
    if (l.empty()) {
      return "score " + sc;
    }
    return Human(l) + " (" + sc + ")";
  }

  void ExecutiveSummary() {
    H(1, "1 Executive Summary");
    const auto& c = s_.contract;
    std::string intro =
        "This Risk Management Documentation (RMD) describes the Information "
        "Management System (IMS) of ";
    intro += c.title.empty() ? std::string("the contract") : c.title;
    if (!c.reference.empty()) {
      intro += " (" + c.reference + ")";
    }
    intro += ", provided by " + Cell(c.provider_name) + " to " + Cell(c.customer_name) +
             ", in the layout of Schedule 2.4 Annex 3. It is generated from the registers; the "
             "date on the title page is the date they were read.";
    P(intro);

    std::int64_t core = 0;
    std::int64_t wider = 0;
    for (const auto& a : R("assets")) {
      (Str(a, "ims_part") == "core" ? core : wider) += 1;
    }
    std::int64_t open_risks = 0;
    std::int64_t above = 0;
    for (const auto& r : R("risks")) {
      open_risks += Str(r, "status") != "closed" ? 1 : 0;
      above += Bool(r, "above_appetite") ? 1 : 0;
    }
    std::int64_t subcontractors = 0;
    for (const auto& p : R("suppliers")) {
      subcontractors += Str(p, "kind") == "subcontractor" ? 1 : 0;
    }
    docs::BulletList facts;
    facts.items.push_back("IMS assets: " + std::to_string(core + wider) + " (" +
                          std::to_string(core) + " Core, " + std::to_string(wider) + " Wider)");
    facts.items.push_back("Sites: " + std::to_string(R("sites").size()) +
                          "; sub-contractors: " + std::to_string(subcontractors));
    facts.items.push_back("Risks: " + std::to_string(R("risks").size()) + " (" +
                          std::to_string(open_risks) +
                          " open); controls: " + std::to_string(R("controls").size()));
    facts.items.push_back("Residual risks above the Customer's risk appetite: " +
                          std::to_string(above));
    // From the Accreditation Plan only (not from issued versions), so that issuing a version
    // does not by itself change this section.
    std::string status;
    std::string next_iteration;
    const std::string today = FormatDate(s_.today);
    for (const auto& p : R("accreditation_plan")) {
      const std::string date = Str(p, "planned_date");
      if (Str(p, "kind") == "approval_needed_by" && status.empty()) {
        status = "Risk Management Approval Statement needed by " + date;
      }
      if (Str(p, "kind") == "rmd_iteration" && date >= today &&
          (next_iteration.empty() || date < next_iteration)) {
        next_iteration = date;
      }
    }
    if (status.empty()) {
      status = "no date for the Risk Management Approval Statement is planned";
    }
    if (!next_iteration.empty()) {
      status += "; next RMD iteration planned for " + next_iteration;
    }
    facts.items.push_back("Accreditation status: " + status);
    doc_.blocks.emplace_back(std::move(facts));

    const ReadinessReport readiness = BuildReadiness(s_, catalog_);
    std::vector<std::string> gaps;
    for (const auto& item : readiness.items) {
      for (const auto& reason : item.reasons) {
        gaps.push_back(item.clause_id + ": " + reason);
      }
    }
    if (gaps.empty()) {
      P("Readiness (S2.4-5.4): every required content of paragraph 5.4 is present.");
    } else {
      P("Readiness (S2.4-5.4): " + std::to_string(gaps.size()) +
        " gap(s) against paragraph 5.4, a reasonable ground for the Customer to refuse approval "
        "(S2.4-5.5):");
      constexpr std::size_t kMaxListed = 25;
      docs::BulletList list;
      for (std::size_t i = 0; i < gaps.size() && i < kMaxListed; ++i) {
        list.items.push_back(gaps[i]);
      }
      if (gaps.size() > kMaxListed) {
        list.items.push_back("... and " + std::to_string(gaps.size() - kMaxListed) +
                             " more (run `accredit rmd check`)");
      }
      doc_.blocks.emplace_back(std::move(list));
    }
  }

  void ChangeHistory() {
    H(1, "2 Change History");
    if (s_.history.empty()) {
      Gap("No changes are recorded in the audit log — Annex 3 section 2 records who changed "
          "what and why.");
      return;
    }

    // Summarised per day and actor: the actions with their counts, and the notes given.
    struct Day {
      std::map<std::string, int> actions;
      std::vector<std::string> why;
    };

    std::map<std::pair<std::string, std::string>, Day> days;
    for (const auto& r : s_.history) {
      Day& d = days[{FormatDate(LondonDate(r.at)), r.entry.actor}];
      d.actions[r.entry.action] += 1;
      if (r.entry.action == "rmd.issue") {
        auto after = Json::parse(r.entry.after_json, nullptr, false);
        if (after.is_object()) {
          std::string why = "Issued RMD version " + Str(after, "version");
          if (!Str(after, "note").empty()) {
            why += ": " + Str(after, "note");
          }
          d.why.push_back(std::move(why));
        }
      }
    }
    Table t;
    t.caption = "Changes to the registers behind this RMD, from the audit log (per day)";
    t.header = {"Date", "Who", "What", "Why"};
    t.column_widths_hint = {2, 2, 5, 3};
    for (const auto& [key, day] : days) {
      std::string what;
      for (const auto& [action, n] : day.actions) {
        if (!what.empty()) {
          what += "; ";
        }
        what += action + (n > 1 ? " \u00d7" + std::to_string(n) : std::string());
      }
      std::string why;
      for (const auto& w : day.why) {
        why += (why.empty() ? "" : "; ") + w;
      }
      t.rows.push_back(
          {key.first, key.second, what, Cell(why.empty() ? "Register maintenance" : why)});
    }
    Add(std::move(t));
  }

  void References() {
    H(1, "3 References, Links and Dependencies");
    if (R("references").empty()) {
      Gap("No references recorded — Annex 3 section 3 lists the documents this RMD relies on "
          "(id, title, reference, date).");
      return;
    }
    std::vector<const Json*> all;
    for (const auto& r : R("references")) {
      all.push_back(&r);
    }
    ReferenceTable(all, "");
  }

  void SystemDescription() {
    H(1, "4 System Description");
    const auto& c = s_.contract;
    H(2, "4.1 Background");
    if (c.title.empty() && c.customer_name.empty()) {
      Gap("The contract settings (title, Customer, Provider, dates) are not recorded.");
    } else {
      Table t;
      t.header = {"Item", "Value"};
      t.column_widths_hint = {1, 3};
      t.rows = {{"Contract", Cell(c.title)},
                {"Contract reference", Cell(c.reference)},
                {"Customer", Cell(c.customer_name)},
                {"Provider", Cell(c.provider_name)},
                {"Effective Date", c.effective_date ? FormatDate(*c.effective_date) : "\u2014"},
                {"Operational Service Commencement Date",
                 c.operational_service_commencement_date
                     ? FormatDate(*c.operational_service_commencement_date)
                     : "\u2014"}};
      Add(std::move(t));
    }

    H(2, "4.2 Organisational Ownership and Structure");
    if (R("suppliers").empty()) {
      Gap("No parties recorded — the Customer, the Provider and each sub-contractor (S2.4-6.2).");
    } else {
      Table t;
      t.header = {"Party", "Role", "Services", "Access to Customer Data", "Code of connection"};
      for (const auto& p : R("suppliers")) {
        t.rows.push_back({Str(p, "name"), Human(Str(p, "kind")), Cell(Str(p, "services")),
                          YesNo(Bool(p, "access_to_customer_data")),
                          Human(Str(p, "code_of_connection_status"))});
      }
      Add(std::move(t));
    }

    H(2, "4.3 Information Assets and Flows");
    if (R("information_assets").empty()) {
      Gap("No information assets recorded — Annex 3 section 4.3 gives the types and volumes of "
          "data and the personal data fields held.");
    } else {
      Table t;
      t.caption = "Information assets";
      t.header = {"Information asset",    "Data types",     "Volume",
                  "Personal data fields", "Classification", "Owner (IAO)"};
      for (const auto& a : R("information_assets")) {
        t.rows.push_back({Str(a, "name"), Cell(Tags(a, "data_types")), Cell(Str(a, "volume")),
                          Bool(a, "personal_data") ? Cell(Tags(a, "personal_data_fields")) : "None",
                          Cell(Str(a, "classification")), Cell(Str(a, "owner"))});
      }
      Add(std::move(t));
    }
    if (R("data_flows").empty()) {
      Gap("No data flows recorded (Annex 3 section 4.3).");
    } else {
      Table t;
      t.caption = "Data flows";
      t.header = {"Flow", "From", "To", "Transport", "Encryption", "Crosses a public network"};
      for (const auto& f : R("data_flows")) {
        t.rows.push_back({Str(f, "name"), Str(f, "from"), Str(f, "to"), Cell(Str(f, "transport")),
                          Cell(Str(f, "encryption")), YesNo(Bool(f, "crosses_public_network"))});
      }
      Add(std::move(t));
    }

    H(2, "4.4 System Architecture");
    if (R("assets").empty()) {
      Gap("No IMS assets recorded — S2.4-3.2 requires documentation of the Core and Wider IMS "
          "assets for the Customer's boundary decision.");
    } else {
      for (const std::string part : {"core", "wider"}) {
        Table t;
        t.caption = part == "core" ? "Core Information Management System"
                                   : "Wider Information Management System";
        t.header = {"Asset", "Type", "Environment", "Classification", "Internet-facing", "Owner"};
        for (const auto& a : R("assets")) {
          if (Str(a, "ims_part") == part) {
            t.rows.push_back({Str(a, "name"), Human(Str(a, "asset_type")), Str(a, "environment"),
                              Cell(Str(a, "classification")), YesNo(Bool(a, "internet_facing")),
                              Cell(Str(a, "owner"))});
          }
        }
        if (t.rows.empty()) {
          if (part == "core") {
            Gap("No Core IMS assets recorded (S2.4-3.2).");
          } else {
            P("No Wider IMS assets are recorded.");
          }
        } else {
          Add(std::move(t));
        }
      }
      Note("The architecture diagram is kept as an evidence file and referenced in section 3.");
    }

    H(2, "4.5 Users");
    if (R("key_roles").empty() && R("device_types").empty()) {
      Gap("No users, roles or end-user device types recorded (Annex 3 section 4.5).");
    } else {
      std::map<std::string, int> by_org;
      for (const auto& k : R("key_roles")) {
        by_org[Cell(Str(k, "organisation"))] += 1;
      }
      docs::BulletList list;
      for (const auto& [org, n] : by_org) {
        list.items.push_back(org + ": " + std::to_string(n) + " key role holder(s)");
      }
      list.items.push_back("Approved end-user device types: " +
                           std::to_string(R("device_types").size()) + " (section 10)");
      doc_.blocks.emplace_back(std::move(list));
      Note("Clearance levels of users are held in the personnel vetting register.");
    }

    H(2, "4.6 Locations");
    if (R("sites").empty()) {
      Gap("No sites recorded — Annex 3 section 4.6 lists the locations with their "
          "certifications and any off-shoring (S2.4-11.1.1).");
    } else {
      Table t;
      t.header = {"Site",       "Country",     "ISO 27001 scope", "Certificate",
                  "Processing", "Destruction", "Off-shoring"};
      for (const auto& site : R("sites")) {
        std::string cert = "\u2014";
        if (auto id = Int(site, "iso_certification_id")) {
          if (const Json* certificate = s_.Find("certifications", *id)) {
            cert = Str(*certificate, "certificate_number");
          }
        }
        const bool flagged = Bool(site, "outside_uk_eu");
        const bool consent = !Str(site, "consent_reference").empty();
        std::string offshore = "No";
        if (flagged) {
          offshore = "Yes \u2014 outside UK/EU without consent";
        } else if (consent) {
          offshore = "Yes \u2014 consent " + Str(site, "consent_reference");
        }
        t.rows.push_back({Str(site, "name"), Str(site, "country"),
                          YesNo(Bool(site, "in_iso27001_scope")), cert,
                          YesNo(Bool(site, "used_for_processing")),
                          YesNo(Bool(site, "used_for_destruction")), offshore});
        t.row_styles.push_back(flagged ? RowStyle::kDanger : RowStyle::kNormal);
      }
      Add(std::move(t));
    }

    H(2, "4.7 Test and Development Systems");
    {
      Table t;
      t.header = {"Asset", "Environment", "IMS part", "Holds live data"};
      for (const auto& a : R("assets")) {
        const std::string env = Str(a, "environment");
        if (env == "test" || env == "dev") {
          const bool live = Bool(a, "test_holds_live_data");
          t.rows.push_back({Str(a, "name"), env, Str(a, "ims_part"), YesNo(live)});
          t.row_styles.push_back(live ? RowStyle::kWarning : RowStyle::kNormal);
        }
      }
      if (t.rows.empty()) {
        P("No test or development systems are recorded in the asset register.");
      } else {
        Add(std::move(t));
      }
    }

    H(2, "4.8 Key Roles and Responsibilities");
    {
      std::set<std::string> present;
      Table t;
      t.header = {"Role", "Name", "Organisation", "E-mail"};
      for (const auto& k : R("key_roles")) {
        present.insert(Str(k, "role"));
        t.rows.push_back(
            {Str(k, "role"), Str(k, "name"), Cell(Str(k, "organisation")), Cell(Str(k, "email"))});
      }
      if (!t.rows.empty()) {
        Add(std::move(t));
      }
      for (const char* role : {"SIRO", "IAO", "Security Manager", "Accreditor"}) {
        if (!present.contains(role)) {
          Gap(std::string("No ") + role + " recorded (Annex 3 section 4.8).");
        }
      }
    }
  }

  void RiskAssessment() {
    H(1, "5 Risk Assessment");
    H(2, "5.1 Accreditation and Assurance Scope");
    {
      std::int64_t core = 0;
      std::set<std::int64_t> sites;
      for (const auto& a : R("assets")) {
        if (Str(a, "ims_part") == "core") {
          ++core;
          if (auto id = Int(a, "site_id")) {
            sites.insert(*id);
          }
        }
      }
      if (core == 0) {
        Gap("The accreditation scope (the Core IMS) is not defined: no Core IMS assets are "
            "recorded (S2.4-3.2, 5.1).");
      } else {
        std::string names;
        for (std::int64_t id : sites) {
          if (const Json* site = s_.Find("sites", id)) {
            names += (names.empty() ? "" : ", ") + Str(*site, "name");
          }
        }
        P("The scope of accreditation is the Core Information Management System: " +
          std::to_string(core) + " asset(s)" + (names.empty() ? std::string() : " at " + names) +
          " (section 4.4). The Wider IMS is assured through the Certification Requirements "
          "(S2.4-6).");
      }
    }

    H(2, "5.2 Accreditation Plan");
    if (R("accreditation_plan").empty()) {
      Gap("No Accreditation Plan dates — S2.4-5.4.1 requires the dates of each RMD iteration "
          "and the date by which an Approval Statement is needed, with tasks, milestones and "
          "Customer responsibilities.");
    } else {
      std::vector<const Json*> items;
      for (const auto& p : R("accreditation_plan")) {
        items.push_back(&p);
      }
      std::stable_sort(items.begin(), items.end(), [](const Json* a, const Json* b) {
        return Str(*a, "planned_date") < Str(*b, "planned_date");
      });
      Table t;
      t.header = {"Milestone", "Kind", "Planned date", "Owner", "Notes"};
      for (const Json* p : items) {
        t.rows.push_back({Str(*p, "milestone"), Human(Str(*p, "kind")), Str(*p, "planned_date"),
                          Cell(Str(*p, "owner")), Cell(Str(*p, "notes"))});
      }
      Add(std::move(t));
    }

    H(2, "5.3 Risk Appetite");
    if (R("risk_appetite").empty()) {
      Gap("No Statement of Information Risk Appetite recorded (S2.4-4.1): residual risks cannot "
          "be compared with the Customer's appetite.");
    } else {
      Table t;
      t.header = {"Category", "Appetite (highest accepted score)", "Statement"};
      std::vector<std::string> unset;
      for (const auto& a : R("risk_appetite")) {
        const std::string level = Str(a, "appetite_level");
        if (level.empty()) {
          unset.push_back(Str(a, "category"));
        }
        t.rows.push_back({Str(a, "category"), level.empty() ? std::string("not recorded") : level,
                          Cell(Str(a, "statement"))});
      }
      Add(std::move(t));
      for (const auto& category : unset) {
        Gap("The Customer's appetite for the category \"" + category +
            "\" is not recorded (S2.4-4.1): its risks cannot be compared with it.");
      }
    }

    H(2, "5.4 Business Impact Assessment");
    BusinessImpact();

    H(2, "5.5 Risk Assessment Table");
    if (R("risks").empty()) {
      Gap("No risks recorded — S2.4-5.4.2 requires risks to be identified, documented, "
          "communicated to the Customer and mitigated.");
    } else {
      Table t;
      t.header = {"Risk ID",       "Inherent risk", "Inherent level",
                  "Vulnerability", "Controls",      "Residual level"};
      t.column_widths_hint = {1, 4, 1.5, 3, 2, 1.5};
      for (const auto& r : R("risks")) {
        std::string risk = Str(r, "title");
        if (!Str(r, "threat").empty()) {
          risk += "\nThreat: " + Str(r, "threat");
        }
        if (Str(r, "status") == "closed") {
          risk += "\n(closed)";
        }
        std::string controls;
        for (const auto& ref : ControlRefsOfRisk(s_, Int(r, "id").value_or(0))) {
          controls += (controls.empty() ? "" : ", ") + ref;
        }
        t.rows.push_back({Str(r, "ref"), risk, Level(r, "inherent_level", "inherent_score"),
                          Cell(Str(r, "vulnerability")),
                          controls.empty() ? std::string("None") : controls,
                          Level(r, "residual_level", "residual_score")});
        t.row_styles.push_back(Bool(r, "above_appetite") ? RowStyle::kDanger : RowStyle::kNormal);
      }
      Add(std::move(t));
    }

    H(2, "5.6 Controls Table");
    if (R("controls").empty()) {
      Gap("No controls recorded — S2.4-5.4.5 requires the proposed controls.");
    } else {
      std::map<std::int64_t, std::vector<std::string>> annex_a;
      for (const auto& [id, controls] : s_.controls_of_annex_a) {
        for (std::int64_t c : controls) {
          annex_a[c].push_back(id);
        }
      }
      Table t;
      t.header = {"ID", "Title", "Description", "Further information and assurance status"};
      t.column_widths_hint = {1, 2.5, 4, 4};
      for (const auto& c : R("controls")) {
        const std::int64_t id = Int(c, "id").value_or(0);
        std::string further = "Implementation: " + Human(Str(c, "implementation_status")) +
                              "; assurance: " + Human(Str(c, "assurance_status"));
        if (!Str(c, "owner").empty()) {
          further += "; owner: " + Str(c, "owner");
        }
        if (auto it = s_.risks_of_control.find(id); it != s_.risks_of_control.end()) {
          std::vector<std::string> refs;
          for (std::int64_t r : it->second) {
            if (const Json* risk = s_.Find("risks", r)) {
              refs.push_back(Str(*risk, "ref"));
            }
          }
          std::sort(refs.begin(), refs.end());
          std::string joined;
          for (const auto& ref : refs) {
            joined += (joined.empty() ? "" : ", ") + ref;
          }
          further += "\nMitigates: " + joined;
        }
        if (auto it = annex_a.find(id); it != annex_a.end()) {
          std::string joined;
          for (const auto& a : it->second) {
            joined += (joined.empty() ? "" : ", ") + a;
          }
          further += "\nISO 27001 Annex A: " + joined;
        }
        if (!Str(c, "evidence_notes").empty()) {
          further += "\n" + Str(c, "evidence_notes");
        }
        t.rows.push_back({Str(c, "ref"), Str(c, "title"), Cell(Str(c, "description")), further});
      }
      Add(std::move(t));
    }

    H(2, "5.7 Residual Risks and Actions");
    if (R("risks").empty()) {
      Gap("No risks recorded, so no residual risks can be reported (S2.4-5.4.2).");
    } else {
      std::map<std::int64_t, std::string> appetite;  // appetite id -> "Cyber attack ≤ 8"
      for (const auto& a : R("risk_appetite")) {
        appetite[Int(a, "id").value_or(0)] =
            Str(a, "category") + " \u2264 " + Str(a, "appetite_level");
      }
      Table t;
      t.caption = "Residual risks above the Customer's risk appetite (S2.4-4.1)";
      t.header = {"Risk ID", "Risk",      "Residual level",     "Appetite",
                  "Owner",   "Treatment", "Customer acceptance"};
      for (const auto& r : R("risks")) {
        if (!Bool(r, "above_appetite")) {
          continue;
        }
        std::string acceptance = Str(r, "customer_acceptance_reference");
        if (!Str(r, "customer_acceptance_date").empty()) {
          acceptance += (acceptance.empty() ? "" : ", ") + Str(r, "customer_acceptance_date");
        }
        std::string residual = Level(r, "residual_level", "residual_score");
        if (residual == "not assessed") {
          residual = "not assessed; inherent " + Level(r, "inherent_level", "inherent_score");
        }
        const auto category = appetite.find(Int(r, "category_id").value_or(0));
        t.rows.push_back({Str(r, "ref"), Str(r, "title"), residual,
                          Cell(category != appetite.end() ? category->second : std::string()),
                          Cell(Str(r, "owner")), Cell(Human(Str(r, "treatment"))),
                          acceptance.empty() ? std::string("Not accepted") : acceptance});
        t.row_styles.push_back(RowStyle::kDanger);
      }
      if (t.rows.empty()) {
        P("No residual risk is above the Customer's risk appetite.");
      } else {
        Add(std::move(t));
      }
    }
  }

  void BusinessImpact() {
    // Confidentiality, integrity and availability impact from the risks whose category names
    // the aspect, and the highest classification of the data held.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kAspects = {
        {{"Confidentiality", "confid"}, {"Integrity", "integr"}, {"Availability", "avail"}}};
    Table t;
    t.header = {"Aspect", "Highest inherent impact (1-5)", "Risks"};
    bool any = false;
    for (const auto& [aspect, stem] : kAspects) {
      std::int64_t worst = 0;
      std::vector<std::string> refs;
      for (const auto& r : R("risks")) {
        const Json* appetite = s_.Find("risk_appetite", Int(r, "category_id").value_or(0));
        std::string cat = appetite != nullptr ? Str(*appetite, "category") : std::string();
        std::transform(cat.begin(), cat.end(), cat.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (cat.find(stem) != std::string::npos) {
          worst = std::max(worst, Int(r, "inherent_impact").value_or(0));
          refs.push_back(Str(r, "ref"));
        }
      }
      std::string joined;
      for (const auto& ref : refs) {
        joined += (joined.empty() ? "" : ", ") + ref;
      }
      any = any || worst > 0;
      t.rows.push_back(
          {std::string(aspect), worst > 0 ? std::to_string(worst) : "not assessed", Cell(joined)});
    }
    std::string highest;
    static const std::vector<std::string> kOrder = {"OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"};
    int best = -1;
    for (const auto* reg : {"information_assets", "assets"}) {
      for (const auto& a : R(reg)) {
        auto it = std::find(kOrder.begin(), kOrder.end(), Str(a, "classification"));
        if (it != kOrder.end()) {
          best = std::max(best, static_cast<int>(it - kOrder.begin()));
        }
      }
    }
    if (!any && best < 0) {
      Gap("No business impact assessment: no risks with a confidentiality, integrity or "
          "availability category and no classified information assets are recorded.");
      return;
    }
    if (best >= 0) {
      P("Highest Government Security Classification of the data held: " +
        kOrder[static_cast<std::size_t>(best)] + ".");
    }
    Add(std::move(t));
  }

  void InServiceControls() {
    H(1, "6 In-Service Controls");
    P("The following controls operate throughout the Term:");
    docs::BulletList list;
    list.items = {
        "Risk review triggers: the RMD is reviewed at least annually and after any significant "
        "change, Breach of Security or new threat (S2.4-5.6, 5.14).",
        "Patching timescales (S2.4-8.3): Critical patches within 7 days of public release, "
        "Important within 30 days, Other within 60 days.",
        "Protective monitoring: anomalous behaviour is monitored and audit records are kept "
        "(S2.4-8.6.3, Annex 1 paragraph 6).",
        "Configuration and change management: changes to the Core IMS go through Change "
        "Control (S2.4-3.3).",
        "Incident management: see section 9 (S2.4-10).",
        "Vulnerability management: components are scanned proactively and a monthly report is "
        "given within 5 Working Days of each month end (S2.4-8.6.5, 8.6.6).",
        "User access management: least privilege; accounts inactive for 90 days are disabled "
        "(S2.4-A1-5.2, A1-5.5).",
        "Sanitisation and disposal: by NCSC CAS-certified services (S2.4-6.5.3).",
    };
    doc_.blocks.emplace_back(std::move(list));

    if (R("retention_periods").empty()) {
      Gap("No audit-record retention periods recorded (S2.4-A1-6.1.4).");
    } else {
      Table t;
      t.caption = "Audit-record retention periods (S2.4-A1-6.1.4)";
      t.header = {"Record type", "Retention", "Agreed with", "Agreed date"};
      for (const auto& r : R("retention_periods")) {
        t.rows.push_back({Str(r, "record_type"), Str(r, "retention"), Cell(Str(r, "agreed_with")),
                          Cell(Str(r, "agreed_date"))});
      }
      Add(std::move(t));
    }

    // Controls that address the in-service clauses (8 patching, 9 malware, 10 breach, A1).
    std::map<std::int64_t, std::vector<std::string>> clauses_of;
    for (const auto& [clause, controls] : s_.controls_of_clause) {
      const bool in_service = clause.rfind("S2.4-8", 0) == 0 || clause.rfind("S2.4-9", 0) == 0 ||
                              clause.rfind("S2.4-10", 0) == 0 || clause.rfind("S2.4-A1", 0) == 0;
      if (in_service) {
        for (std::int64_t c : controls) {
          clauses_of[c].push_back(clause);
        }
      }
    }
    Table t;
    t.caption = "Controls addressing the in-service clauses";
    t.header = {"Control", "Title", "Clauses", "Implementation"};
    for (const auto& [id, clauses] : clauses_of) {
      if (const Json* c = s_.Find("controls", id)) {
        std::string joined;
        for (const auto& cl : clauses) {
          joined += (joined.empty() ? "" : ", ") + cl;
        }
        t.rows.push_back(
            {Str(*c, "ref"), Str(*c, "title"), joined, Human(Str(*c, "implementation_status"))});
      }
    }
    if (t.rows.empty()) {
      Note("No control is linked to the in-service clauses (S2.4-8, 9, 10, Annex 1) yet.");
    } else {
      Add(std::move(t));
    }
  }

  void SecurityOperatingProcedures() {
    H(1, "7 Security Operating Procedures");
    const auto refs = ReferencesAbout({"syop", "security operating procedure"});
    if (refs.empty()) {
      Gap("No Security Operating Procedures are referenced: record them in the references "
          "register (title containing \"Security Operating Procedures\" or \"SyOPs\").");
    } else {
      P("Users and administrators follow these Security Operating Procedures:");
      ReferenceTable(refs, "");
    }
  }

  void HardwareSoftware() {
    H(1, "8 Major Hardware and Software and End of Support Dates");
    if (R("products").empty()) {
      Gap("No hardware or software products recorded — S2.4-8.5 requires COTS software to stay "
          "in mainstream support; Annex 3 section 8 lists end-of-support dates.");
      return;
    }
    Table t;
    t.header = {"Vendor",    "Name", "Version", "Mainstream support ends", "Extended support ends",
                "RAG status"};
    for (const auto& p : R("products")) {
      const std::string rag = Str(p, "rag");
      t.rows.push_back({Str(p, "vendor"), Str(p, "name"), Cell(Str(p, "version")),
                        Cell(Str(p, "mainstream_support_end")),
                        Cell(Str(p, "extended_support_end")), rag.empty() ? "grey" : rag});
      t.row_styles.push_back(rag == "red"     ? RowStyle::kDanger
                             : rag == "amber" ? RowStyle::kWarning
                                              : RowStyle::kNormal);
    }
    Add(std::move(t));
    P("RAG: red after the mainstream support end date; amber within 180 days of it; green "
      "otherwise; grey when no date is recorded.");
  }

  void IncidentManagement() {
    H(1, "9 Incident Management Process");
    P("Breaches of Security are handled under paragraph 10 of Schedule 2.4: the Provider "
      "notifies the Customer, takes immediate steps to contain and remedy the breach, "
      "preserves evidence (ISO 27037, S2.4-A1-6.4), and performs a root cause analysis with a "
      "Major Problem Review for Major Incidents (S2.4-A1-6.3).");
    const auto refs = ReferencesAbout({"incident"});
    if (refs.empty()) {
      Gap("No incident management policy is referenced (S2.4-A1-6.2): record it in the "
          "references register.");
    } else {
      ReferenceTable(refs, "");
    }
  }

  void UserOrganisations() {
    H(1, "10 Security Requirements for User Organisations");
    if (R("device_types").empty()) {
      Gap("No approved end-user device types recorded (S2.4-A1-2.1).");
      return;
    }
    Table t;
    t.caption = "Approved end-user device types (S2.4-A1-2.1)";
    t.header = {"Device type", "Approved", "Assured encryption product", "Description"};
    for (const auto& d : R("device_types")) {
      t.rows.push_back({Str(d, "name"), YesNo(Bool(d, "approved")),
                        Cell(Str(d, "assured_encryption_product")), Cell(Str(d, "description"))});
      t.row_styles.push_back(Bool(d, "approved") ? RowStyle::kNormal : RowStyle::kWarning);
    }
    Add(std::move(t));
  }

  void RequiredChanges() {
    H(1, "11 Required Changes Register");
    if (R("rcr").empty()) {
      P("The Required Changes Register has no entries (S2.4-5.4.6).");
      return;
    }
    const std::string today = FormatDate(s_.today);
    Table t;
    t.header = {"Ref",   "Section", "Change", "Agreed With", "Date agreed", "Documentation update",
                "Status"};
    t.column_widths_hint = {1, 1, 4, 2, 1.5, 2, 1.5};
    for (const auto& r : R("rcr")) {
      const std::string status = Str(r, "status");
      const std::string due = Str(r, "implementation_due_date");
      const bool overdue =
          !due.empty() && due < today && (status == "proposed" || status == "agreed");
      t.rows.push_back({Str(r, "ref"), Cell(Str(r, "rmd_section")), Str(r, "change"),
                        Cell(Str(r, "agreed_with")), Cell(Str(r, "date_agreed")),
                        Cell(Str(r, "documentation_update")),
                        Human(status) + (overdue ? " (overdue: due " + due + ")" : "")});
      t.row_styles.push_back(overdue ? RowStyle::kDanger : RowStyle::kNormal);
    }
    Add(std::move(t));
  }

  void Pdps() {
    H(1, "12 Personal Data Processing Statement");
    if (R("pdps").empty()) {
      Gap("No Personal Data Processing Statement entries — S2.4-5.4.8 requires the PDPS in the "
          "RMD.");
      return;
    }
    Table t;
    t.header = {
        "Processing activity", "Data subjects", "Types of personal data", "Nature", "Purpose",
        "Locations",           "Retention",     "Protective measures"};
    for (const auto& p : R("pdps")) {
      t.rows.push_back({Str(p, "processing_activity"), Cell(Tags(p, "data_subjects")),
                        Cell(Tags(p, "data_types")), Cell(Str(p, "nature")), Str(p, "purpose"),
                        Cell(Tags(p, "locations")), Cell(Str(p, "retention")),
                        Cell(Str(p, "protective_measures"))});
    }
    Add(std::move(t));
  }

  void Annexes() {
    H(1, "Annex A ISO 27001 and Cyber Essentials Plus Certificates");
    if (R("certifications").empty()) {
      Gap("No certificates recorded — S2.4-6.2 requires ISO/IEC 27001 and Cyber Essentials "
          "Plus certification of the Provider and each sub-contractor with access to Customer "
          "Data (evidence for S2.4-5.4.7).");
    } else {
      Table t;
      t.header = {"Party", "Scheme",      "Certificate", "Certification body",
                  "UKAS",  "Expiry date", "Status"};
      for (const auto& c : R("certifications")) {
        std::string party = "\u2014";
        if (auto id = Int(c, "party_id")) {
          if (const Json* p = s_.Find("suppliers", *id)) {
            party = Str(*p, "name");
          }
        }
        const std::string status = Str(c, "status");
        t.rows.push_back({party, SchemeName(Str(c, "scheme")), Str(c, "certificate_number"),
                          Cell(Str(c, "certification_body")), YesNo(Bool(c, "ukas_accredited")),
                          Cell(Str(c, "expiry_date")), status});
        t.row_styles.push_back(status == "expired"    ? RowStyle::kDanger
                               : status == "expiring" ? RowStyle::kWarning
                                                      : RowStyle::kNormal);
      }
      Add(std::move(t));
    }
    H(1, "Annex B Cloud Security Principles Assessment");
    AnnexByReference({"cloud security principle"},
                     "No NCSC Cloud Security Principles assessment is referenced (record it in "
                     "the references register).");
    H(1, "Annex C Bulk Data Assessment");
    AnnexByReference({"bulk data"},
                     "No Bulk Data assessment is referenced (record it in the references "
                     "register).");
    H(1, "Annex D IT Health Check Report and Vulnerability Correction Plan");
    AnnexByReference({"ithc", "it health check", "vulnerability correction plan"},
                     "No IT Health Check report or Vulnerability Correction Plan is referenced "
                     "(S2.4-7.1.1, 7.3.3.1): record them in the references register.");
  }

  void AnnexByReference(std::initializer_list<std::string_view> words, std::string gap) {
    const auto refs = ReferencesAbout(words);
    if (refs.empty()) {
      Gap(std::move(gap));
    } else {
      ReferenceTable(refs, "");
    }
  }

 public:
  static std::string SchemeName(const std::string& scheme) {
    if (scheme == "iso27001") {
      return "ISO/IEC 27001";
    }
    if (scheme == "cyber_essentials_plus") {
      return "Cyber Essentials Plus";
    }
    if (scheme == "ncsc_cas_sanitisation") {
      return "NCSC CAS sanitisation";
    }
    return Human(scheme);
  }

 private:
  const Snapshot& s_;
  const catalog::Catalog& catalog_;
  Document doc_;
};

}  // namespace

docs::Document BuildRmdDocument(const Snapshot& s, const catalog::Catalog& catalog) {
  return Builder(s, catalog).Build();
}

}  // namespace internal
}  // namespace accredit::reports
