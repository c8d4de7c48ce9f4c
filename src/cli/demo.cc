// The demo contract: `accredit demo` and cli::LoadDemo.

#include <chrono>
#include <filesystem>
#include <iterator>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace accredit::cli {
namespace {

using registers::Party;
using registers::PartyKind;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

struct DemoUser {
  const char* username;
  const char* display_name;
  const char* email;
  auth::Role role;
};

constexpr std::string_view kDemoTitle =
    "Highways England — Traffic Management and Technology Services";

// Fictional people; example.com/.test addresses never deliver.
constexpr DemoUser kDemoUsers[] = {
    {"admin", "Alex Morgan", "alex.morgan@northgate-roadside.example", auth::Role::kAdmin},
    {"secman", "Priya Shah", "priya.shah@northgate-roadside.example", auth::Role::kSecurityManager},
    {"engineer", "Tom Hughes", "tom.hughes@northgate-roadside.example", auth::Role::kEngineer},
    {"vetting", "Grace Okafor", "grace.okafor@northgate-roadside.example",
     auth::Role::kVettingOfficer},
    {"subcontractor", "Sam Reid", "sam.reid@stratus-cloud.example", auth::Role::kSubcontractor},
    {"reviewer", "Helen Clarke", "helen.clarke@highways-customer.example",
     auth::Role::kCustomerReviewer},
    {"auditor", "David Evans", "david.evans@audit-partners.example", auth::Role::kAuditor},
};

// --- The registers of issue 3 -------------------------------------------------------------------
// Fictional but realistic content for the Highways England contract. Contract-process dates
// (reviews, milestones, RCR) are relative to the Effective Date (2026-04-01), never to the wall
// clock, so the demo is deterministic; vendor support and certificate dates are calendar facts.
// Network identities use only documentation ranges (RFC 5737 192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24; RFC 3849 2001:db8::/32; RFC 7042 MAC 00:00:5e:00:53:xx) and .example names:
// nothing ever connects to them.

using Json = nlohmann::json;

constexpr Date kEffectiveDate =
    Date{std::chrono::year{2026}, std::chrono::month{4}, std::chrono::day{1}};

// The Effective Date plus `days`, as YYYY-MM-DD.
std::string Eff(int days) {
  return FormatDate(Date{std::chrono::sys_days(kEffectiveDate) + std::chrono::days(days)});
}

Json Tags(std::initializer_list<const char*> values) {
  Json arr = Json::array();
  for (const char* v : values) {
    arr.push_back(v);
  }
  return arr;
}

struct DemoRisk {
  const char* ref;
  const char* title;
  const char* category;
  const char* threat;
  const char* vulnerability;
  int il, ii, rl, ri;  // inherent and residual likelihood x impact
  const char* owner;
  const char* treatment;
  int review;  // days after the Effective Date
};

// Two residual risks are above appetite on purpose (R3: 12 > 8, R5: 9 > 8), as A3-5.7 expects.
constexpr DemoRisk kDemoRisks[] = {
    {"R1", "Ransomware on roadside-device management servers", "Cyber attack",
     "Organised criminal group deploying ransomware via a phished administrator or an exposed "
     "service.",
     "Flat administrative access to the device management servers; backups reachable from "
     "the same domain.",
     4, 5, 2, 4, "Tom Hughes", "treat", 240},
    {"R2", "Insider misuse of ANPR data", "People and insider",
     "A vetted operator searches ANPR reads for personal reasons or sells them (S2.4-A1-4.3: "
     "NPPV for ANPR access).",
     "Broad query rights on the ANPR read store; misuse only detectable after the fact.", 3, 5, 1,
     5, "Daniel Price", "treat", 240},
    {"R3", "Unpatched OT firmware in roadside cabinets", "Cyber attack",
     "Attacker with physical or network access exploits known controller firmware "
     "vulnerabilities to alter signals or signs.",
     "Cabinet controllers run vendor firmware that can only be updated on site; the patch "
     "backlog exceeds the S2.4-8.3 windows.",
     4, 4, 3, 4, "Tom Hughes", "tolerate", 183},
    {"R4", "Cloud misconfiguration exposing Customer Data", "Data protection",
     "A storage bucket or security group is opened to the internet by mistake.",
     "Manual changes to cloud configuration outside the reviewed pipeline.", 3, 5, 1, 5,
     "Priya Shah", "treat", 240},
    {"R5", "Compromise of a sub-contractor", "Supply chain",
     "A sub-contractor with remote access is breached and used as a route into the Core IMS.",
     "Standing remote access for field engineering; one sub-contractor's Cyber Essentials Plus "
     "certificate has lapsed.",
     3, 4, 3, 3, "Priya Shah", "treat", 183},
    {"R6", "Loss of removable media holding Customer Data", "Data protection",
     "Engineer loses a USB drive with cabinet configuration and ANPR extracts.",
     "Removable media used for on-site firmware and log transfer.", 3, 4, 1, 4, "Tom Hughes",
     "treat", 240},
    {"R7", "DDoS on the public traveller-information API", "Operational resilience",
     "Volumetric or application-layer denial of service against the public API during severe "
     "weather.",
     "Public API endpoints with finite origin capacity.", 4, 3, 2, 3, "Alex Morgan", "treat", 300},
    {"R8", "Weak privileged access", "Cyber attack",
     "Stolen or shared administrator credentials used to take over the Core IMS.",
     "Shared break-glass accounts; privileged sessions not recorded.", 4, 5, 2, 4, "Priya Shah",
     "treat", 183},
    {"R9", "Failure of backups to restore Customer Data", "Operational resilience",
     "Backups corrupted, incomplete or encrypted by an attacker are discovered only when "
     "needed.",
     "Restore procedures not exercised end to end.", 3, 4, 2, 4, "Alex Morgan", "treat", 300},
    {"R10", "Phishing leading to credential theft", "Cyber attack",
     "Targeted phishing of control-room and engineering staff.",
     "E-mail is the main channel with suppliers; users receive external links daily.", 5, 3, 2, 3,
     "Priya Shah", "treat", 300},
    {"R11", "Customer Data processed outside the UK/EU", "Data protection",
     "A cloud service replicates data to a region outside the UK/EU (S2.4-11.1.1).",
     "Default regions of SaaS tools are not always UK/EU.", 2, 4, 1, 3, "Daniel Price", "treat",
     365},
    {"R12", "Internet-facing software not patched in time", "Cyber attack",
     "Mass exploitation of a critical vulnerability in the VPN gateway or web tier within days "
     "of disclosure (S2.4-8.3.1).",
     "Emergency patching depends on a small operations team.", 4, 4, 2, 4, "Tom Hughes", "treat",
     183},
    {"R13", "Staff with access to Customer Data not vetted", "People and insider",
     "A new starter or contractor gets access before BPSS checks complete (S2.4-A1-4.1).",
     "Urgent onboarding for winter operations.", 3, 4, 1, 4, "Grace Okafor", "treat", 365},
    {"R14", "Ineffective protective monitoring", "Operational resilience",
     "An intrusion goes unnoticed because audit records are missing or not reviewed "
     "(S2.4-A1-6).",
     "Roadside gateways log locally only; log sources are added by hand.", 3, 3, 2, 3, "Priya Shah",
     "treat", 300},
    {"R15", "Insecure destruction of Customer Data media", "Supply chain",
     "Failed disks are resold or disposed of without sanitisation (S2.4-6.5).",
     "Disk replacement by the hosting provider and field engineers.", 2, 4, 1, 4, "Alex Morgan",
     "treat", 365},
    {"R16", "Malware on field-engineer laptops", "Cyber attack",
     "Malware introduced on a laptop that later connects to cabinet gateways (S2.4-9.1).",
     "Laptops connect to untrusted networks between site visits.", 4, 3, 2, 3, "Tom Hughes",
     "treat", 300},
};

struct DemoControl {
  const char* ref;
  const char* title;
  const char* implementation;
  const char* assurance;
  const char* owner;
  std::vector<const char*> risks;    // mitigates
  std::vector<const char*> annex_a;  // implements catalog:iso27001-2013
  std::vector<const char*> clauses;  // addresses catalog:schedule-2.4
};

const std::vector<DemoControl>& DemoControls() {
  static const std::vector<DemoControl> kControls = {
      {"C01",
       "Vulnerability scanning and patching within 7/30/60 days",
       "implemented",
       "tested",
       "Tom Hughes",
       {"R1", "R3", "R12"},
       {"A.12.6.1"},
       {"S2.4-8.3.1", "S2.4-8.3.2", "S2.4-8.3.3"}},
      {"C02",
       "OT firmware update programme for cabinet controllers",
       "partial",
       "self_assessed",
       "Tom Hughes",
       {"R3"},
       {"A.12.6.1", "A.12.5.1"},
       {"S2.4-8.5"}},
      {"C03",
       "Privileged access management vault with session recording",
       "implemented",
       "independently_assured",
       "Priya Shah",
       {"R8", "R1"},
       {"A.9.2.3", "A.9.4.4"},
       {"S2.4-A1-5.1.1"}},
      {"C04",
       "Multi-factor authentication for administrators and remote access",
       "implemented",
       "tested",
       "Priya Shah",
       {"R8", "R10", "R5"},
       {"A.9.4.2"},
       {"S2.4-A1-5.1.1"}},
      {"C05",
       "Quarterly review of user access rights",
       "implemented",
       "self_assessed",
       "Priya Shah",
       {"R2", "R8"},
       {"A.9.2.5"},
       {}},
      {"C06",
       "Removal of access within one working day of leaving",
       "implemented",
       "self_assessed",
       "Grace Okafor",
       {"R2", "R13"},
       {"A.9.2.6", "A.7.3.1"},
       {}},
      {"C07",
       "BPSS screening for all staff; NPPV for ANPR access",
       "implemented",
       "independently_assured",
       "Grace Okafor",
       {"R2", "R13"},
       {"A.7.1.1"},
       {"S2.4-A1-4.1", "S2.4-A1-4.3"}},
      {"C08",
       "ANPR query audit with monthly misuse review",
       "implemented",
       "tested",
       "Daniel Price",
       {"R2"},
       {"A.12.4.1", "A.12.4.3"},
       {"S2.4-A1-6.1"}},
      {"C09",
       "Immutable off-site backups with quarterly restore tests",
       "implemented",
       "tested",
       "Alex Morgan",
       {"R1", "R9"},
       {"A.12.3.1"},
       {"S2.4-11.1.3"}},
      {"C10",
       "Disaster recovery to the EU DR site with an annual failover exercise",
       "partial",
       "none",
       "Alex Morgan",
       {"R9", "R7"},
       {"A.17.1.2", "A.17.2.1"},
       {}},
      {"C11",
       "Cloud security posture management against the CIS benchmarks",
       "implemented",
       "tested",
       "Priya Shah",
       {"R4", "R11"},
       {"A.18.2.3"},
       {"S2.4-5.18"}},
      {"C12",
       "Infrastructure as code with peer-reviewed changes",
       "implemented",
       "self_assessed",
       "Tom Hughes",
       {"R4"},
       {"A.12.1.2", "A.14.2.2"},
       {"S2.4-3.3"}},
      {"C13",
       "Encryption of Customer Data at rest (AES-256, managed keys)",
       "implemented",
       "tested",
       "Tom Hughes",
       {"R4", "R6"},
       {"A.10.1.1", "A.10.1.2"},
       {"S2.4-A1-2.2"}},
      {"C14",
       "TLS 1.2 or later for all data crossing public networks",
       "implemented",
       "tested",
       "Tom Hughes",
       {"R4"},
       {"A.13.2.1", "A.10.1.1"},
       {"S2.4-A1-3.2"}},
      {"C15",
       "Removable media blocked by device control; encrypted exceptions only",
       "implemented",
       "self_assessed",
       "Tom Hughes",
       {"R6"},
       {"A.8.3.1"},
       {"S2.4-A1-2.2"}},
      {"C16",
       "Supplier security assessment and certificate tracking",
       "partial",
       "self_assessed",
       "Priya Shah",
       {"R5", "R15"},
       {"A.15.1.1", "A.15.2.1"},
       {"S2.4-6.2", "S2.4-6.3"}},
      {"C17",
       "Flow-down of Schedule 2.4 into sub-contracts",
       "implemented",
       "self_assessed",
       "Alex Morgan",
       {"R5"},
       {"A.15.1.2"},
       {"S2.4-6.4"}},
      {"C18",
       "Brokered, time-limited supplier remote access",
       "planned",
       "none",
       "Priya Shah",
       {"R5"},
       {"A.9.1.2", "A.15.1.3"},
       {}},
      {"C19",
       "DDoS protection service and rate limiting on the public API",
       "implemented",
       "tested",
       "Alex Morgan",
       {"R7"},
       {"A.13.1.1", "A.13.1.2"},
       {}},
      {"C20",
       "CDN caching of traveller information with origin shielding",
       "implemented",
       "self_assessed",
       "Alex Morgan",
       {"R7"},
       {"A.17.2.1"},
       {}},
      {"C21",
       "Endpoint detection and response on every IMS endpoint and server",
       "implemented",
       "tested",
       "Tom Hughes",
       {"R1", "R16", "R10"},
       {"A.12.2.1"},
       {"S2.4-9.1"}},
      {"C22",
       "E-mail filtering and phishing simulation",
       "implemented",
       "self_assessed",
       "Priya Shah",
       {"R10"},
       {"A.13.2.3"},
       {}},
      {"C23",
       "Annual security awareness training",
       "implemented",
       "self_assessed",
       "Grace Okafor",
       {"R10", "R2"},
       {"A.7.2.2"},
       {}},
      {"C24",
       "24x7 protective monitoring by the SOC (SIEM)",
       "implemented",
       "independently_assured",
       "Priya Shah",
       {"R14", "R1", "R2"},
       {"A.12.4.1", "A.16.1.2"},
       {"S2.4-A1-6.1"}},
      {"C25",
       "Central time synchronisation for all log sources",
       "implemented",
       "self_assessed",
       "Tom Hughes",
       {"R14"},
       {"A.12.4.4"},
       {}},
      {"C26",
       "Security incident management and reporting procedure",
       "implemented",
       "tested",
       "Priya Shah",
       {"R1", "R14"},
       {"A.16.1.1", "A.16.1.2"},
       {"S2.4-10.1", "S2.4-10.3"}},
      {"C27",
       "Data location policy: UK and EU regions only, enforced by policy",
       "implemented",
       "tested",
       "Daniel Price",
       {"R11"},
       {"A.18.1.4"},
       {"S2.4-11.1.1"}},
      {"C28",
       "Destruction by an NCSC CAS-certified supplier with certificates of destruction",
       "implemented",
       "independently_assured",
       "Alex Morgan",
       {"R15", "R6"},
       {"A.8.3.2", "A.11.2.7"},
       {"S2.4-6.5", "S2.4-11.1.5"}},
      {"C29",
       "Segmentation of OT cabinet networks from corporate networks",
       "partial",
       "self_assessed",
       "Tom Hughes",
       {"R3", "R1", "R16"},
       {"A.13.1.3"},
       {"S2.4-A1-3.1"}},
      {"C30",
       "Annual CHECK IT Health Check of the Core IMS",
       "planned",
       "none",
       "Priya Shah",
       {"R12", "R3", "R4"},
       {"A.18.2.3"},
       {"S2.4-7.1.1"}},
  };
  return kControls;
}

struct DemoAsset {
  const char* name;
  const char* ims_part;
  const char* type;
  const char* owner;
  const char* env;
  bool test_live_data;
  bool internet_facing;
  const char* classification;
  const char* host;  // short name; the FQDN is added under .northgate-roadside.example
  const char* ipv4;
  const char* ipv6;   // may be empty
  int mac;            // last octet of 00:00:5e:00:53:xx; -1 for none
  int site;           // index into the demo sites; -1 for none
  const char* party;  // operating sub-contractor, or ""
};

constexpr const char* kStratus = "Stratus Cloud Hosting Ltd";
constexpr const char* kPennine = "Pennine Field Engineering Ltd";
constexpr const char* kSentinel = "Sentinel Watch SOC Ltd";

constexpr DemoAsset kDemoAssets[] = {
    // Core IMS, live, UK data centre.
    {"Roadside device management server 1", "core", "server", "Tom Hughes", "live", false, false,
     "OFFICIAL-SENSITIVE", "rdm-mgmt-01", "192.0.2.10", "2001:db8:10::10", 0x10, 0, kStratus},
    {"Roadside device management server 2", "core", "server", "Tom Hughes", "live", false, false,
     "OFFICIAL-SENSITIVE", "rdm-mgmt-02", "192.0.2.11", "2001:db8:10::11", 0x11, 0, kStratus},
    {"ANPR read store", "core", "database", "Daniel Price", "live", false, false,
     "OFFICIAL-SENSITIVE", "anpr-db-01", "192.0.2.20", "2001:db8:10::20", 0x20, 0, kStratus},
    {"ANPR ingest gateway", "core", "server", "Daniel Price", "live", false, false,
     "OFFICIAL-SENSITIVE", "anpr-ingest-01", "192.0.2.21", "", 0x21, 0, kStratus},
    {"Traveller information API node 1", "core", "application", "Alex Morgan", "live", false, true,
     "OFFICIAL", "tis-api-01", "203.0.113.20", "2001:db8:20::20", 0x30, 0, kStratus},
    {"Traveller information API node 2", "core", "application", "Alex Morgan", "live", false, true,
     "OFFICIAL", "tis-api-02", "203.0.113.21", "2001:db8:20::21", 0x31, 0, kStratus},
    {"Traveller information CDN", "core", "cloud_service", "Alex Morgan", "live", false, true,
     "OFFICIAL", "tis-cdn", "203.0.113.30", "", -1, -1, ""},
    {"Variable message sign controller", "core", "server", "Tom Hughes", "live", false, false,
     "OFFICIAL-SENSITIVE", "vms-ctrl-01", "192.0.2.12", "", 0x12, 0, kStratus},
    {"NTIS data feed interface", "core", "application", "Alex Morgan", "live", false, false,
     "OFFICIAL", "ntis-feed-01", "192.0.2.13", "", 0x13, 0, kStratus},
    {"Core perimeter firewall A", "core", "network_device", "Tom Hughes", "live", false, true,
     "OFFICIAL", "core-fw-01", "203.0.113.1", "2001:db8:20::1", 0x01, 0, ""},
    {"Core perimeter firewall B", "core", "network_device", "Tom Hughes", "live", false, true,
     "OFFICIAL", "core-fw-02", "203.0.113.2", "2001:db8:20::2", 0x02, 0, ""},
    {"Core switch stack", "core", "network_device", "Tom Hughes", "live", false, false, "OFFICIAL",
     "core-sw-01", "192.0.2.2", "", 0x03, 0, ""},
    {"Remote access VPN gateway", "core", "network_device", "Priya Shah", "live", false, true,
     "OFFICIAL", "vpn-gw-01", "203.0.113.5", "2001:db8:20::5", 0x05, 0, ""},
    {"SIEM collector", "core", "server", "Priya Shah", "live", false, false, "OFFICIAL-SENSITIVE",
     "siem-01", "192.0.2.40", "", 0x40, 0, kSentinel},
    {"Privileged access management vault", "core", "server", "Priya Shah", "live", false, false,
     "OFFICIAL-SENSITIVE", "pam-01", "192.0.2.41", "", 0x41, 0, ""},
    {"Administrative bastion host", "core", "server", "Priya Shah", "live", false, false,
     "OFFICIAL-SENSITIVE", "bastion-01", "192.0.2.42", "", 0x42, 0, ""},
    {"Certification authority (A1-7)", "core", "server", "Priya Shah", "live", false, false,
     "OFFICIAL-SENSITIVE", "pki-ca-01", "192.0.2.43", "", 0x43, 0, ""},
    {"Audit log archive", "core", "database", "Priya Shah", "live", false, false,
     "OFFICIAL-SENSITIVE", "log-store-01", "192.0.2.44", "", 0x44, 0, kStratus},
    {"Time source", "core", "server", "Tom Hughes", "live", false, false, "OFFICIAL", "ntp-01",
     "192.0.2.45", "", 0x45, 0, ""},
    {"Identity provider tenant", "core", "cloud_service", "Priya Shah", "live", false, true,
     "OFFICIAL-SENSITIVE", "idp", "203.0.113.40", "", -1, -1, ""},
    // Core IMS, live, EU DR site (Ireland).
    {"Backup server", "core", "server", "Alex Morgan", "live", false, false, "OFFICIAL-SENSITIVE",
     "backup-01", "198.51.100.10", "2001:db8:30::10", 0x50, 1, kStratus},
    {"Immutable backup vault", "core", "cloud_service", "Alex Morgan", "live", false, false,
     "OFFICIAL-SENSITIVE", "backup-vault", "198.51.100.11", "", -1, 1, kStratus},
    {"DR device management server", "core", "server", "Tom Hughes", "live", false, false,
     "OFFICIAL-SENSITIVE", "dr-rdm-01", "198.51.100.20", "2001:db8:30::20", 0x51, 1, kStratus},
    {"DR ANPR read store replica", "core", "database", "Daniel Price", "live", false, false,
     "OFFICIAL-SENSITIVE", "dr-anpr-db-01", "198.51.100.21", "", 0x52, 1, kStratus},
    // Wider IMS, live: roadside estate, end-user devices, SaaS.
    {"Cabinet gateway M62 J25", "wider", "network_device", "Tom Hughes", "live", false, false,
     "OFFICIAL", "cab-gw-m62-025", "192.0.2.100", "", 0x60, -1, kPennine},
    {"Cabinet gateway M1 J14", "wider", "network_device", "Tom Hughes", "live", false, false,
     "OFFICIAL", "cab-gw-m1-014", "192.0.2.101", "", 0x61, -1, kPennine},
    {"Cabinet controller A1(M) J7", "wider", "other", "Tom Hughes", "live", false, false,
     "OFFICIAL", "cab-ctrl-a1m-007", "192.0.2.102", "", 0x62, -1, kPennine},
    {"ANPR camera M62 J25 eastbound", "wider", "endpoint", "Daniel Price", "live", false, false,
     "OFFICIAL-SENSITIVE", "anpr-cam-m62-101", "192.0.2.110", "", 0x70, -1, kPennine},
    {"ANPR camera M1 J14 northbound", "wider", "endpoint", "Daniel Price", "live", false, false,
     "OFFICIAL-SENSITIVE", "anpr-cam-m1-202", "192.0.2.111", "", 0x71, -1, kPennine},
    {"Field engineer laptop 001", "wider", "endpoint", "Tom Hughes", "live", false, false,
     "OFFICIAL", "eng-laptop-001", "192.0.2.150", "", 0x80, -1, kPennine},
    {"Field engineer laptop 002", "wider", "endpoint", "Tom Hughes", "live", false, false,
     "OFFICIAL", "eng-laptop-002", "192.0.2.151", "", 0x81, -1, kPennine},
    {"Control-room workstation 1", "wider", "endpoint", "Alex Morgan", "live", false, false,
     "OFFICIAL-SENSITIVE", "ops-ws-01", "192.0.2.160", "", 0x90, -1, ""},
    {"Control-room workstation 2", "wider", "endpoint", "Alex Morgan", "live", false, false,
     "OFFICIAL-SENSITIVE", "ops-ws-02", "192.0.2.161", "", 0x91, -1, ""},
    {"Office productivity tenant", "wider", "cloud_service", "Alex Morgan", "live", false, true,
     "OFFICIAL", "office-tenant", "203.0.113.50", "", -1, -1, ""},
    {"IT service management SaaS", "wider", "cloud_service", "Alex Morgan", "live", false, true,
     "OFFICIAL", "itsm", "203.0.113.51", "", -1, -1, ""},
    // Test and development.
    {"Device management test server", "core", "server", "Tom Hughes", "test", false, false,
     "OFFICIAL", "rdm-test-01", "198.51.100.110", "2001:db8:40::10", 0xa0, 0, kStratus},
    {"ANPR read store (test)", "core", "database", "Daniel Price", "test", true, false,
     "OFFICIAL-SENSITIVE", "anpr-db-test-01", "198.51.100.111", "", 0xa1, 0, kStratus},
    {"Traveller information API (test)", "core", "application", "Alex Morgan", "test", false, false,
     "OFFICIAL", "tis-api-test-01", "198.51.100.112", "", 0xa2, 0, kStratus},
    {"Device management development server", "wider", "server", "Tom Hughes", "dev", false, false,
     "OFFICIAL", "rdm-dev-01", "198.51.100.120", "", 0xb0, 0, kStratus},
    {"Build and CI runner", "wider", "server", "Tom Hughes", "dev", false, false, "OFFICIAL",
     "ci-runner-01", "198.51.100.121", "", 0xb1, 0, kStratus},
};

struct DemoProduct {
  const char* vendor;
  const char* name;
  const char* version;
  const char* type;
  const char* mainstream_end;  // "" when none
  const char* extended_end;
  std::vector<const char*> runs_on;  // asset host names
};

// One past mainstream support (red) and one within 180 days of it (amber) at the time of the
// contract's first year (2026/27).
const std::vector<DemoProduct>& DemoProducts() {
  static const std::vector<DemoProduct> kProducts = {
      {"Microsoft",
       "Windows Server",
       "2016 Standard",
       "software",
       "2022-01-11",
       "2027-01-12",
       {"vms-ctrl-01"}},
      {"Canonical",
       "Ubuntu Server",
       "22.04 LTS",
       "software",
       "2027-04-30",
       "2032-04-30",
       {"rdm-test-01", "rdm-dev-01", "ci-runner-01"}},
      {"Canonical",
       "Ubuntu Server",
       "24.04 LTS",
       "software",
       "2029-05-31",
       "2034-04-30",
       {"rdm-mgmt-01", "rdm-mgmt-02", "anpr-ingest-01", "dr-rdm-01", "tis-api-01", "tis-api-02"}},
      {"Microsoft",
       "Windows Server",
       "2025 Datacenter",
       "software",
       "2029-11-13",
       "2034-11-14",
       {"pam-01", "bastion-01", "pki-ca-01"}},
      {"PostgreSQL Global Development Group",
       "PostgreSQL",
       "16",
       "software",
       "2028-11-09",
       "2028-11-09",
       {"anpr-db-01", "dr-anpr-db-01", "anpr-db-test-01"}},
      {"Fortinet",
       "FortiGate 200F (FortiOS)",
       "7.6",
       "firmware",
       "2028-07-25",
       "2029-01-25",
       {"core-fw-01", "core-fw-02", "vpn-gw-01"}},
      {"Cisco",
       "Catalyst 9300 (IOS XE)",
       "17.12",
       "firmware",
       "2028-12-31",
       "2030-06-30",
       {"core-sw-01"}},
      {"Siemens Mobility",
       "Cabinet controller firmware",
       "4.2",
       "firmware",
       "2028-03-31",
       "2029-03-31",
       {"cab-ctrl-a1m-007", "cab-gw-m62-025", "cab-gw-m1-014"}},
      {"Genetec",
       "AutoVu SharpV camera firmware",
       "13.4",
       "firmware",
       "2028-06-30",
       "2029-06-30",
       {"anpr-cam-m62-101", "anpr-cam-m1-202"}},
      {"Veeam",
       "Backup & Replication",
       "12.3",
       "software",
       "2028-02-28",
       "2029-02-28",
       {"backup-01"}},
      {"Elastic",
       "Elastic Security (SIEM)",
       "8.17",
       "software",
       "2027-07-15",
       "2027-07-15",
       {"siem-01", "log-store-01"}},
      {"F5",
       "NGINX Plus",
       "R33",
       "software",
       "2027-11-30",
       "2027-11-30",
       {"tis-api-01", "tis-api-02", "tis-api-test-01"}},
      {"Microsoft",
       "Windows 11 Enterprise",
       "24H2",
       "software",
       "2027-10-12",
       "2027-10-12",
       {"eng-laptop-001", "eng-laptop-002", "ops-ws-01", "ops-ws-02"}},
      {"Dell",
       "PowerEdge R760 server",
       "",
       "hardware",
       "2030-05-31",
       "2032-05-31",
       {"rdm-mgmt-01", "rdm-mgmt-02", "backup-01"}},
      {"Microsoft", "Entra ID", "", "service", "", "", {"idp"}},
  };
  return kProducts;
}

// Loads the issue 3 registers of the demo through RegisterService.
class DemoRegisters {
 public:
  DemoRegisters(registers::RegisterService& service, auth::Principal op,
                std::map<std::string, std::int64_t> party_ids)
      : service_(service), op_(std::move(op)), party_ids_(std::move(party_ids)) {}

  Status Load() {
    ACC_RETURN_IF_ERROR(LoadSuppliers());
    ACC_RETURN_IF_ERROR(LoadSitesAndAssets());
    ACC_RETURN_IF_ERROR(LoadProducts());
    ACC_RETURN_IF_ERROR(LoadRisksAndControls());
    ACC_RETURN_IF_ERROR(LoadChangesAndPlan());
    ACC_RETURN_IF_ERROR(LoadReferenceData());
    ACC_RETURN_IF_ERROR(LoadPersonalData());
    return Status::Ok();
  }

 private:
  // Creates one record; an error names the register so a broken demo is easy to fix.
  Result<std::int64_t> Add(std::string_view reg, const Json& fields) {
    const registers::RegisterDef* def = registers::RegisterService::Find(reg);
    if (def == nullptr) {
      return Err(ErrorCode::kInternal, "demo data names an unknown register", std::string(reg));
    }
    auto created = service_.Create(op_, *def, fields);
    if (!created) {
      Error e = created.error();
      e.field = "demo " + std::string(reg) + (e.field.empty() ? "" : ": " + e.field);
      return e;
    }
    return created->at("id").get<std::int64_t>();
  }

  Status Link(std::string_view from, std::int64_t from_id, std::string_view relation,
              std::string_view to, std::string to_key) {
    registers::Link link;
    link.from_register = std::string(from);
    link.from_id = from_id;
    link.relation = std::string(relation);
    link.to_register = std::string(to);
    link.to_key = std::move(to_key);
    auto added = service_.AddLink(op_, link);
    if (!added) {
      Error e = added.error();
      e.field = "demo link " + link.relation + " " + link.to_key +
                (e.field.empty() ? "" : ": " + e.field);
      return e;
    }
    return Status::Ok();
  }

  std::int64_t Party(const std::string& name) const {
    auto it = party_ids_.find(name);
    return it == party_ids_.end() ? 0 : it->second;
  }

  Status LoadSuppliers() {
    // A fifth sub-contractor: secure destruction (S2.4-6.5).
    ACC_ASSIGN_OR_RETURN(
        party_ids_["Shredsure Secure Destruction Ltd"],
        Add("suppliers", Json{{"kind", "subcontractor"},
                              {"name", "Shredsure Secure Destruction Ltd"},
                              {"company_number", "10293847"},
                              {"address", "Unit 3, Gateway Park, Warrington"},
                              {"contact_email", "assurance@shredsure.example"},
                              {"access_to_customer_data", true},
                              {"services",
                               "Collection and destruction of failed disks and removable media "
                               "holding Customer Data, with certificates of destruction"},
                              {"code_of_connection_status", "not_required"}}));
    const registers::RegisterDef* suppliers = registers::RegisterService::Find("suppliers");
    if (suppliers == nullptr) {
      return Err(ErrorCode::kInternal, "demo data names an unknown register", "suppliers");
    }
    const std::pair<const char*, const char*> coco[] = {
        {kStratus, "compliant"}, {kSentinel, "compliant"}, {kPennine, "pending"}};
    for (const auto& [name, status] : coco) {
      ACC_RETURN_IF_ERROR(service_.Update(op_, *suppliers, Party(name),
                                          Json{{"code_of_connection_status", status}}));
    }

    struct Cert {
      const char* party;
      const char* scheme;
      const char* number;
      const char* body;
      bool ukas;
      const char* scope;
      const char* issued;
      const char* expires;
      int provided;  // days after the Effective Date; kNotProvided when not yet provided
    };

    constexpr int kNotProvided = -100000;
    const Cert certs[] = {
        {"Northgate Roadside Systems Ltd", "iso27001", "IS 712345", "BSI Assurance UK Ltd", true,
         "Design, operation and support of roadside technology and traffic management "
         "services, including the Core IMS",
         "2025-06-12", "2028-06-11", 14},
        {"Northgate Roadside Systems Ltd", "cyber_essentials_plus", "CEP-2026-118204",
         "IASME Consortium (assessor: Cyber Assure Ltd)", false, "Whole organisation", "2026-03-02",
         "2027-03-01", 14},
        {kStratus, "iso27001", "IS 698812", "BSI Assurance UK Ltd", true,
         "IaaS hosting in the UK South and EU West regions", "2024-09-30", "2027-09-29", 30},
        {kStratus, "cyber_essentials_plus", "CEP-2026-104551",
         "IASME Consortium (assessor: Secure Routes Ltd)", false, "Whole organisation",
         "2026-05-20", "2027-05-19", 60},
        {kSentinel, "iso27001", "GB21/874411", "SGS United Kingdom Ltd", true,
         "Security operations centre services", "2025-11-03", "2028-11-02", 45},
        {kSentinel, "cyber_essentials_plus", "CEP-2026-109873",
         "IASME Consortium (assessor: Cyber Assure Ltd)", false, "Whole organisation", "2026-04-14",
         "2027-04-13", 45},
        // Expired on purpose: the readiness check and the supplier page flag it.
        {kPennine, "cyber_essentials_plus", "CEP-2025-087316",
         "IASME Consortium (assessor: Northern Cyber Ltd)", false, "Whole organisation",
         "2025-02-28", "2026-02-27", kNotProvided},
        {"Lakeside Print and Post Ltd", "cyber_essentials_plus", "CEP-2026-121009",
         "IASME Consortium (assessor: Secure Routes Ltd)", false, "Whole organisation",
         "2026-06-01", "2027-05-31", 75},
        {"Shredsure Secure Destruction Ltd", "iso27001", "IS 705521", "BSI Assurance UK Ltd", true,
         "Secure collection and destruction of media at the Warrington facility", "2025-01-20",
         "2028-01-19", 20},
        {"Shredsure Secure Destruction Ltd", "ncsc_cas_sanitisation", "CAS-S-2025-0147",
         "NCSC Commercial Product Assurance (CAS-S)", false,
         "Destruction of magnetic and solid-state media to NCSC standards", "2025-04-01",
         "2027-03-31", 20},
        {"Shredsure Secure Destruction Ltd", "cyber_essentials_plus", "CEP-2026-099712",
         "IASME Consortium (assessor: Cyber Assure Ltd)", false, "Whole organisation", "2026-02-10",
         "2027-02-09", 20},
    };
    for (const auto& c : certs) {
      Json fields{{"party_id", Party(c.party)},     {"scheme", c.scheme},
                  {"certificate_number", c.number}, {"certification_body", c.body},
                  {"ukas_accredited", c.ukas},      {"scope", c.scope},
                  {"issue_date", c.issued},         {"expiry_date", c.expires}};
      if (c.provided != kNotProvided) {
        fields["provided_to_customer_date"] = Eff(c.provided);
      }
      ACC_ASSIGN_OR_RETURN(const std::int64_t id, Add("certifications", fields));
      cert_ids_[c.number] = id;
    }
    return Status::Ok();
  }

  Status LoadSitesAndAssets() {
    ACC_ASSIGN_OR_RETURN(
        site_ids_[0], Add("sites", Json{{"name", "Stratus UK South data centre (Reading)"},
                                        {"address", "Unit 7, Thames Valley Park, Reading RG6 1RB"},
                                        {"country", "GB"},
                                        {"in_iso27001_scope", true},
                                        {"iso_certification_id", cert_ids_["IS 698812"]},
                                        {"used_for_processing", true},
                                        {"used_for_destruction", false}}));
    ACC_ASSIGN_OR_RETURN(
        site_ids_[1],
        Add("sites", Json{{"name", "Stratus EU West disaster-recovery site (Dublin)"},
                          {"address", "Grange Castle Business Park, Clondalkin, Dublin 22"},
                          {"country", "IE"},
                          {"in_iso27001_scope", true},
                          {"iso_certification_id", cert_ids_["IS 698812"]},
                          {"used_for_processing", true},
                          {"used_for_destruction", false}}));
    ACC_ASSIGN_OR_RETURN(
        site_ids_[2],
        Add("sites", Json{{"name", "Shredsure destruction facility (Warrington)"},
                          {"address", "Unit 3, Gateway Park, Warrington WA5 7XX"},
                          {"country", "GB"},
                          {"in_iso27001_scope", true},
                          {"iso_certification_id", cert_ids_["IS 705521"]},
                          {"used_for_processing", false},
                          {"used_for_destruction", true},
                          {"destruction_party_id", Party("Shredsure Secure Destruction Ltd")}}));

    for (const DemoAsset& a : kDemoAssets) {
      Json fields{{"name", a.name},
                  {"ims_part", a.ims_part},
                  {"asset_type", a.type},
                  {"owner", a.owner},
                  {"environment", a.env},
                  {"internet_facing", a.internet_facing},
                  {"classification", a.classification},
                  {"hostnames", Tags({a.host})}};
      fields["hostnames"].push_back(std::string(a.host) + ".northgate-roadside.example");
      fields["ip_addresses"] = Tags({a.ipv4});
      if (*a.ipv6 != '\0') {
        fields["ip_addresses"].push_back(a.ipv6);
      }
      if (a.mac >= 0) {
        static constexpr char kHex[] = "0123456789abcdef";
        std::string mac = "00:00:5e:00:53:";
        mac += kHex[(a.mac >> 4) & 0xf];
        mac += kHex[a.mac & 0xf];
        fields["mac_addresses"] = Tags({mac.c_str()});
      }
      if (std::string_view(a.env) != "live") {
        fields["test_holds_live_data"] = a.test_live_data;
      }
      if (a.site >= 0) {
        fields["site_id"] = site_ids_[a.site];
      }
      if (*a.party != '\0') {
        fields["party_id"] = Party(a.party);
      }
      if (std::string_view(a.ims_part) == "core") {
        fields["boundary_decision"] =
            "Placed in the Core IMS by the Customer's Accreditor at the boundary workshop of " +
            Eff(21) + " (S2.4-3.2): processes or protects Customer Data.";
      } else {
        fields["boundary_decision"] =
            "Wider IMS by the Customer's decision of " + Eff(21) +
            " (S2.4-3.2): supports the service without holding Customer Data at rest.";
      }
      ACC_ASSIGN_OR_RETURN(asset_ids_[a.host], Add("assets", fields));
    }
    return Status::Ok();
  }

  Status LoadProducts() {
    for (const DemoProduct& p : DemoProducts()) {
      Json fields{{"vendor", p.vendor}, {"name", p.name}, {"product_type", p.type}};
      if (*p.version != '\0') {
        fields["version"] = p.version;
      }
      if (*p.mainstream_end != '\0') {
        fields["mainstream_support_end"] = p.mainstream_end;
        fields["extended_support_end"] = p.extended_end;
      } else {
        fields["notes"] = "Evergreen cloud service: no support end date.";
      }
      ACC_ASSIGN_OR_RETURN(const std::int64_t id, Add("products", fields));
      for (const char* host : p.runs_on) {
        ACC_RETURN_IF_ERROR(
            Link("products", id, "runs_on", "assets", std::to_string(asset_ids_.at(host))));
      }
    }
    return Status::Ok();
  }

  Status LoadRisksAndControls() {
    const std::pair<const char*, int> appetite[] = {{"Cyber attack", 8},
                                                    {"Data protection", 6},
                                                    {"Operational resilience", 10},
                                                    {"Supply chain", 8},
                                                    {"People and insider", 6}};
    const char* statements[] = {
        "Cautious: residual cyber risk up to medium (8) is accepted where controls are "
        "independently assured.",
        "Averse: the Customer accepts at most a low residual risk (6) to the confidentiality of "
        "Customer Data, including personal data from ANPR.",
        "Open: short service interruptions (score up to 10) are tolerated; safety-related "
        "roadside functions fail safe.",
        "Cautious: sub-contractors hold the Certification Requirements; residual supply-chain "
        "risk up to 8.",
        "Averse: residual insider risk to personal data at most 6."};
    std::map<std::string, std::int64_t, std::less<>> category_ids;
    for (std::size_t i = 0; i < std::size(appetite); ++i) {
      ACC_ASSIGN_OR_RETURN(category_ids[appetite[i].first],
                           Add("risk_appetite", Json{{"category", appetite[i].first},
                                                     {"appetite_level", appetite[i].second},
                                                     {"statement", statements[i]}}));
    }

    std::map<std::string, std::int64_t> risk_ids;
    for (const DemoRisk& r : kDemoRisks) {
      Json fields{{"ref", r.ref},
                  {"title", r.title},
                  {"category_id", category_ids.at(r.category)},
                  {"threat", r.threat},
                  {"vulnerability", r.vulnerability},
                  {"description", std::string(r.threat) + " " + r.vulnerability},
                  {"inherent_likelihood", r.il},
                  {"inherent_impact", r.ii},
                  {"residual_likelihood", r.rl},
                  {"residual_impact", r.ri},
                  {"owner", r.owner},
                  {"treatment", r.treatment},
                  {"review_date", Eff(r.review)},
                  {"status", "open"}};
      // The Customer has accepted the residual risks within appetite at the first review.
      if (r.rl * r.ri <= 6) {
        fields["customer_acceptance_reference"] = std::string("HE-RA-2026-") + r.ref;
        fields["customer_acceptance_date"] = Eff(120);
      }
      ACC_ASSIGN_OR_RETURN(risk_ids[r.ref], Add("risks", fields));
    }

    std::set<std::string> annex_a;
    std::map<std::string, std::vector<std::string>> controls_of_annex;
    for (const DemoControl& c : DemoControls()) {
      ACC_ASSIGN_OR_RETURN(const std::int64_t id,
                           Add("controls", Json{{"ref", c.ref},
                                                {"title", c.title},
                                                {"description", c.title},
                                                {"implementation_status", c.implementation},
                                                {"assurance_status", c.assurance},
                                                {"owner", c.owner}}));
      control_ids_[c.ref] = id;
      for (const char* risk : c.risks) {
        ACC_RETURN_IF_ERROR(
            Link("controls", id, "mitigates", "risks", std::to_string(risk_ids.at(risk))));
      }
      for (const char* a : c.annex_a) {
        ACC_RETURN_IF_ERROR(Link("controls", id, "implements", "catalog:iso27001-2013", a));
        annex_a.insert(a);
        controls_of_annex[a].push_back(c.implementation);
      }
      for (const char* clause : c.clauses) {
        ACC_RETURN_IF_ERROR(Link("controls", id, "addresses", "catalog:schedule-2.4", clause));
      }
    }

    // Statement of Applicability: the Annex A controls implemented above, plus justified
    // exclusions. The other Annex A controls are gaps (no row yet).
    for (const std::string& a : annex_a) {
      const auto& statuses = controls_of_annex[a];
      std::string status = "implemented";
      for (const std::string& s : statuses) {
        if (s != "implemented") {
          status = s == "planned" && statuses.size() == 1 ? "planned" : "partial";
        }
      }
      ACC_RETURN_IF_ERROR(Add("soa", Json{{"control_id", a},
                                          {"applicable", true},
                                          {"justification",
                                           "Required to treat the risks in the risk register "
                                           "(A3-5.5) and by Schedule 2.4."},
                                          {"implementation_status", status}}));
    }
    const std::pair<const char*, const char*> excluded[] = {
        {"A.11.1.6",
         "No delivery or loading areas: the Core IMS is hosted by a certified IaaS "
         "provider."},
        {"A.14.2.7", "No outsourced software development."},
        {"A.11.2.5", "No equipment is taken off site from the hosting facilities."},
    };
    for (const auto& [id, why] : excluded) {
      ACC_RETURN_IF_ERROR(Add("soa", Json{{"control_id", id},
                                          {"applicable", false},
                                          {"justification", why},
                                          {"implementation_status", "not_applicable"}}));
    }

    // Compliance matrix: a realistic subset; the remaining clauses show as gaps.
    const std::tuple<const char*, const char*, const char*, const char*> rows[] = {
        {"S2.4-3.2", "met", "Asset register with the Customer's Core/Wider boundary decisions.",
         "Priya Shah"},
        {"S2.4-4.1", "met", "Risk appetite per category recorded; residual risks compared.",
         "Priya Shah"},
        {"S2.4-5.3", "met",
         "RMD version 1 submitted on 1 Jun 2026 and not approved; version 2 resubmitted on 30 "
         "Jun and approved on 20 Jul 2026 (HE-RMAS-2026-01).",
         "Priya Shah"},
        {"S2.4-5.4.1", "met", "Accreditation Plan with iteration and approval dates.",
         "Priya Shah"},
        {"S2.4-5.4.2", "met", "Risk register with inherent and residual assessment.", "Priya Shah"},
        {"S2.4-5.4.3", "partly_met", "Statement of Applicability drafted; some controls open.",
         "Priya Shah"},
        {"S2.4-5.4.6", "met", "Required Changes Register maintained.", "Priya Shah"},
        {"S2.4-6.1", "met", "This compliance matrix.", "Alex Morgan"},
        {"S2.4-6.2", "partly_met",
         "Provider and most sub-contractors certified; one Cyber Essentials Plus certificate "
         "has expired.",
         "Alex Morgan"},
        {"S2.4-6.5", "met", "Destruction by an NCSC CAS-certified supplier.", "Alex Morgan"},
        {"S2.4-7.1.1", "met",
         "CHECK IT Health Check on 12 May 2026, before the first RMD submission; the next is due "
         "within 12 months.",
         "Priya Shah"},
        {"S2.4-8.3.1", "partly_met",
         "Critical patches within 7 days except roadside cabinet firmware (RCR-002).",
         "Tom Hughes"},
        {"S2.4-8.5", "partly_met", "One product past mainstream support (Windows Server 2016).",
         "Tom Hughes"},
        {"S2.4-9.1", "met", "EDR on every IMS endpoint and server.", "Tom Hughes"},
        {"S2.4-10.1", "met", "Incident management policy; quarterly incident log.", "Priya Shah"},
        {"S2.4-11.1.1", "met", "Processing only at UK and Irish sites.", "Daniel Price"},
    };
    for (const auto& [clause, status, response, owner] : rows) {
      ACC_RETURN_IF_ERROR(Add("compliance", Json{{"clause_id", clause},
                                                 {"status", status},
                                                 {"response", response},
                                                 {"owner", owner},
                                                 {"last_reviewed", Eff(150)}}));
    }
    return Status::Ok();
  }

  Status LoadChangesAndPlan() {
    ACC_RETURN_IF_ERROR(
        Add("rcr", Json{{"ref", "RCR-001"},
                        {"rmd_section", "A3-5.6"},
                        {"change",
                         "Enforce multi-factor authentication on the remote access VPN "
                         "for all sub-contractor accounts."},
                        {"agreed_with", "Highways England Accreditor"},
                        {"date_agreed", Eff(40)},
                        {"implementation_due_date", Eff(70)},
                        {"documentation_update", "RMD v0.2, controls table (C04)"},
                        {"status", "implemented"},
                        {"triggering_event",
                         "Security Test finding: single-factor VPN access "
                         "(S2.4-5.13)."},
                        {"implemented_date", Eff(62)}}));
    // Overdue: agreed, implementation date passed (S2.4-5.15).
    ACC_RETURN_IF_ERROR(
        Add("rcr", Json{{"ref", "RCR-002"},
                        {"rmd_section", "A3-5.5"},
                        {"change",
                         "Upgrade cabinet controller firmware to 4.2.3 on all roadside "
                         "cabinets and close the patch backlog (risk R3)."},
                        {"agreed_with", "Highways England Accreditor"},
                        {"date_agreed", Eff(75)},
                        {"implementation_due_date", Eff(150)},
                        {"documentation_update", "RMD v0.3, risk R3 and control C02"},
                        {"status", "agreed"},
                        {"triggering_event",
                         "Vendor advisory for cabinet controller firmware "
                         "(S2.4-5.13.2: new risk)."}}));
    ACC_RETURN_IF_ERROR(
        Add("rcr", Json{{"ref", "RCR-003"},
                        {"rmd_section", "A3-4.6"},
                        {"change", "Add the Shredsure Warrington facility as a destruction site."},
                        {"agreed_with", "Highways England Accreditor"},
                        {"date_agreed", Eff(95)},
                        {"implementation_due_date", Eff(280)},
                        {"documentation_update", "RMD v0.3, sites table"},
                        {"status", "agreed"},
                        {"triggering_event",
                         "New sub-contractor for secure destruction "
                         "(S2.4-5.13.1)."}}));
    ACC_RETURN_IF_ERROR(
        Add("rcr", Json{{"ref", "RCR-004"},
                        {"rmd_section", "A3-4.4"},
                        {"change", "Bring the ITSM SaaS into the Core IMS boundary."},
                        {"status", "proposed"},
                        {"triggering_event", "Change Request CR-014 (S2.4-5.16)."}}));

    struct Milestone {
      const char* milestone;
      const char* kind;
      int day;
      const char* owner;
      const char* notes;
    };

    // The dates of the accreditation story in DemoClockRecords (ITHC 12 May, submission
    // 1 Jun 2026).
    const Milestone plan[] = {
        {"Boundary workshop: Core and Wider IMS agreed", "task", 21, "Priya Shah", "S2.4-3.2"},
        {"CHECK IT Health Check of the Core IMS", "task", 41, "Priya Shah",
         "Before submitting the RMD for an Accreditation Decision (S2.4-7.1.1.1)."},
        {"RMD submitted for Accreditation Decision", "rmd_iteration", 61, "Priya Shah",
         "S2.4-5.3: before the Operational Service Commencement Date."},
        {"Customer technical risk assessment workshop", "customer_responsibility", 70,
         "Highways England Accreditor", "S2.4-5.6"},
        {"Risk Management Approval Statement needed", "approval_needed_by", 82,
         "Highways England Accreditor",
         "15 Working Days after the submission (S2.4-5.5); 5.11: no Customer Data on the Core "
         "IMS before approval."},
        {"Certificates of the Provider and sub-contractors held", "task", 183, "Alex Morgan",
         "Within 6 months of the Effective Date (S2.4-6.2)."},
        {"Annual RMD review", "rmd_iteration", 365, "Priya Shah", "S2.4-5.12"},
    };
    for (const Milestone& m : plan) {
      ACC_RETURN_IF_ERROR(Add("accreditation_plan", Json{{"milestone", m.milestone},
                                                         {"kind", m.kind},
                                                         {"planned_date", Eff(m.day)},
                                                         {"owner", m.owner},
                                                         {"notes", m.notes}}));
    }
    return Status::Ok();
  }

  Status LoadReferenceData() {
    const std::tuple<const char*, const char*, const char*> roles[] = {
        {"SIRO", "Rebecca Lawson", "Highways England"},
        {"Accreditor", "Martin Ashworth", "Highways England"},
        {"Security Manager", "Priya Shah", "Northgate Roadside Systems Ltd"},
        {"IAO", "Daniel Price", "Northgate Roadside Systems Ltd"},
        {"other", "Alex Morgan", "Northgate Roadside Systems Ltd"},
    };
    const char* emails[] = {
        "rebecca.lawson@highways-customer.example", "martin.ashworth@highways-customer.example",
        "priya.shah@northgate-roadside.example", "daniel.price@northgate-roadside.example",
        "alex.morgan@northgate-roadside.example"};
    for (std::size_t i = 0; i < std::size(roles); ++i) {
      const auto& [role, name, org] = roles[i];
      ACC_RETURN_IF_ERROR(
          Add("key_roles",
              Json{{"role", role}, {"name", name}, {"organisation", org}, {"email", emails[i]}}));
    }

    const std::tuple<const char*, const char*, const char*, const char*> refs[] = {
        {"REF-01", "Schedule 2.4 (Security Management)", "HE-TMTS-2026-0417", "2026-04-01"},
        {"REF-02", "Highways England Data Security Standard", "HE-DSS v2.1", "2025-09-01"},
        {"REF-03", "HMG Baseline Personnel Security Standard", "BPSS v6.0", "2018-05-01"},
        {"REF-04", "NCSC Cloud Security Principles", "NCSC guidance", "2024-07-01"},
        {"REF-05", "ISO/IEC 27001:2013 Information security management systems",
         "ISO/IEC 27001:2013", "2013-10-01"},
        {"REF-06", "Provider Information Security Policy", "ISP-001 v3.2", "2026-02-15"},
        {"REF-07", "Core IMS architecture (Annex 2)", "ARC-CORE-002 v1.1", "2026-05-20"},
    };
    for (const auto& [id, title, reference, date] : refs) {
      ACC_RETURN_IF_ERROR(
          Add("references",
              Json{{"ref_id", id}, {"title", title}, {"reference", reference}, {"date", date}}));
    }

    const std::tuple<const char*, const char*, bool, const char*> devices[] = {
        {"Provider-managed Windows 11 laptop",
         "Corporate build, Intune-managed, EDR, device control.", true, "BitLocker (XTS-AES 256)"},
        {"Managed iPhone", "Intune-managed, work profile only, for MFA and e-mail.", true,
         "iOS data protection"},
        {"Rugged field tablet", "For cabinet diagnostics; no Customer Data stored locally.", true,
         "BitLocker (XTS-AES 256)"},
        {"Personally owned devices (BYOD)", "Not permitted to connect to the IMS (S2.4-A1-2.1).",
         false, ""},
    };
    for (const auto& [name, description, approved, encryption] : devices) {
      Json fields{{"name", name}, {"description", description}, {"approved", approved}};
      if (*encryption != '\0') {
        fields["assured_encryption_product"] = encryption;
      }
      ACC_RETURN_IF_ERROR(Add("device_types", fields));
    }

    const std::pair<const char*, const char*> retention[] = {
        {"Firewall, proxy and DHCP logs (S2.4-A1-6.1.1)", "12 months"},
        {"Authentication and privileged-session logs", "12 months"},
        {"ANPR query audit records", "2 years"},
        {"Security incident records", "6 years"},
    };
    for (const auto& [type, period] : retention) {
      ACC_RETURN_IF_ERROR(Add("retention_periods", Json{{"record_type", type},
                                                        {"retention", period},
                                                        {"agreed_with", "Highways England SIRO"},
                                                        {"agreed_date", Eff(45)}}));
    }
    return Status::Ok();
  }

  Status LoadPersonalData() {
    ACC_ASSIGN_OR_RETURN(
        const std::int64_t anpr,
        Add("information_assets",
            Json{{"name", "ANPR reads"},
                 {"description",
                  "Vehicle registration marks read by roadside cameras, with "
                  "time, location and plate images."},
                 {"data_types", Tags({"VRM", "plate image", "location", "timestamp"})},
                 {"volume", "about 40 million reads a month"},
                 {"personal_data", true},
                 {"personal_data_fields", Tags({"VRM", "plate image"})},
                 {"classification", "OFFICIAL-SENSITIVE"},
                 {"owner", "Daniel Price"}}));
    ACC_ASSIGN_OR_RETURN(
        const std::int64_t tis,
        Add("information_assets",
            Json{{"name", "Traveller information"},
                 {"description",
                  "Journey times, incidents and sign settings published to the "
                  "public."},
                 {"data_types", Tags({"journey times", "incidents", "sign settings"})},
                 {"personal_data", false},
                 {"classification", "OFFICIAL"},
                 {"owner", "Alex Morgan"}}));
    ACC_RETURN_IF_ERROR(
        Add("information_assets",
            Json{{"name", "Staff and contractor accounts"},
                 {"description", "Identity records of everyone with access to the IMS."},
                 {"data_types", Tags({"name", "e-mail", "role", "vetting status"})},
                 {"volume", "about 350 people"},
                 {"personal_data", true},
                 {"personal_data_fields", Tags({"name", "e-mail", "vetting status"})},
                 {"classification", "OFFICIAL-SENSITIVE"},
                 {"owner", "Grace Okafor"}}));

    ACC_RETURN_IF_ERROR(Add("data_flows", Json{{"name", "ANPR reads to the ingest gateway"},
                                               {"from", "ANPR cameras (roadside)"},
                                               {"to", "ANPR ingest gateway"},
                                               {"information_asset_id", anpr},
                                               {"transport", "MQTT over IPsec VPN"},
                                               {"encryption", "IPsec (AES-256-GCM)"},
                                               {"crosses_public_network", true}}));
    ACC_RETURN_IF_ERROR(Add("data_flows", Json{{"name", "Replication to the DR site"},
                                               {"from", "UK South data centre"},
                                               {"to", "EU West DR site (Dublin)"},
                                               {"information_asset_id", anpr},
                                               {"transport", "Private interconnect"},
                                               {"encryption", "TLS 1.3"},
                                               {"crosses_public_network", false}}));
    ACC_RETURN_IF_ERROR(Add("data_flows", Json{{"name", "Traveller information to the public"},
                                               {"from", "Traveller information API"},
                                               {"to", "Public and app developers"},
                                               {"information_asset_id", tis},
                                               {"transport", "HTTPS via CDN"},
                                               {"encryption", "TLS 1.2+"},
                                               {"crosses_public_network", true}}));

    ACC_RETURN_IF_ERROR(
        Add("pdps", Json{{"processing_activity", "ANPR read processing"},
                         {"data_subjects", Tags({"registered keepers", "drivers"})},
                         {"data_types", Tags({"VRM", "plate image", "location", "time"})},
                         {"nature", "Collection, storage, matching and deletion of ANPR reads."},
                         {"purpose",
                          "Journey-time measurement and incident management on the strategic "
                          "road network, as instructed by the Customer."},
                         {"locations", Tags({"GB", "IE"})},
                         {"retention", "90 days, then deleted"},
                         {"protective_measures",
                          "Encryption at rest and in transit, NPPV-vetted access, "
                          "query audit (controls C07, C08, C13, C14)."},
                         {"lawful_basis", "Public task (UK GDPR Art. 6(1)(e))"}}));
    ACC_RETURN_IF_ERROR(Add(
        "pdps", Json{{"processing_activity", "IMS user administration"},
                     {"data_subjects", Tags({"Provider staff", "sub-contractor staff"})},
                     {"data_types", Tags({"name", "e-mail", "role", "vetting status"})},
                     {"nature", "Account provisioning, access reviews and audit."},
                     {"purpose", "Controlling and auditing access to Customer Data (S2.4-A1-5)."},
                     {"locations", Tags({"GB"})},
                     {"retention", "Account life plus 12 months"},
                     {"protective_measures", "MFA, PAM, quarterly access reviews (C03-C06)."},
                     {"lawful_basis", "Legitimate interests (UK GDPR Art. 6(1)(f))"}}));
    return Status::Ok();
  }

  registers::RegisterService& service_;
  auth::Principal op_;
  std::map<std::string, std::int64_t> party_ids_;
  std::map<std::string, std::int64_t> cert_ids_;
  std::int64_t site_ids_[3] = {0, 0, 0};
  std::map<std::string, std::int64_t> asset_ids_;
  std::map<std::string, std::int64_t> control_ids_;
};

// --- The contract clocks of issue 4 -------------------------------------------------------------
// A realistic first contract year: the accreditation workflow (a non-approval, a resubmission
// within 10 Working Days, an approval), notifiable events (on time, late, not yet notified) with
// their RCR updates, and the security deliverables (an ITHC, monthly scans with August missed,
// quarterly incident logs). Every date is fixed; what has not happened by the clock's now is
// left out (a demo loaded "in April" has no June events), so the demo is a deterministic function
// of the clock and the validators' "not in the future" rules hold. The Provider's records are
// made by the security manager, the Customer's decisions by the customer reviewer (only that
// role holds accreditation.decide).
class DemoClockRecords {
 public:
  DemoClockRecords(App& app, auth::Principal secman, auth::Principal reviewer)
      : app_(app), secman_(std::move(secman)), reviewer_(std::move(reviewer)) {}

  Status Load() {
    ACC_RETURN_IF_ERROR(LoadAccreditation());
    ACC_RETURN_IF_ERROR(LoadNotifiableEvents());
    return LoadDeliverables();
  }

 private:
  // "2026-06-01 10:00" (Europe/London) as an instant; the demo's own constants always parse.
  static Instant London(const char* wall_clock) {
    auto t = ParseInstant(wall_clock);
    ACC_CHECK(t.ok(), "demo instants are valid London wall-clock times");
    return *t;
  }

  bool Happened(Instant t) const { return t <= app_.clock.Now(); }

  bool Happened(const char* date) const {
    auto d = ParseDate(date);
    return d.ok() &&
           std::chrono::sys_days(*d) <= std::chrono::sys_days(LondonDate(app_.clock.Now()));
  }

  Result<std::int64_t> Add(const auth::Principal& who, std::string_view reg, const Json& fields) {
    const registers::RegisterDef* def = registers::RegisterService::Find(reg);
    if (def == nullptr) {
      return Err(ErrorCode::kInternal, "demo data names an unknown register", std::string(reg));
    }
    auto created = app_.register_service->Create(who, *def, fields);
    if (!created) {
      Error e = created.error();
      e.field = "demo " + std::string(reg) + (e.field.empty() ? "" : ": " + e.field);
      return e;
    }
    return created->at("id").get<std::int64_t>();
  }

  // Issues the next RMD version as at `when` (its issued_at), through the reports module.
  Status IssueRmd(Instant when, std::string_view note) {
    const FakeClock at(when);
    reports::Reports reports(*app_.store, *app_.audit, *app_.register_service, *app_.registers,
                             *app_.catalog, at);
    auto issued = reports.IssueRmd(secman_, note);
    if (!issued) {
      Error e = issued.error();
      e.field = "demo rmd issue" + (e.field.empty() ? "" : ": " + e.field);
      return e;
    }
    return Status::Ok();
  }

  Status LoadAccreditation() {
    struct Step {
      const char* at;        // London wall clock
      const char* kind;      // an accreditation event, or "issue_rmd"
      std::int64_t version;  // rmd_version (0: none)
      const char* reasons;
      const char* reference;
      const char* notes;
      bool customer;  // recorded by the customer reviewer
    };

    const Step story[] = {
        {"2026-05-29 16:00", "issue_rmd", 0, "", "",
         "Version 1 for the Accreditation Decision (ITHC of 12 May included).", false},
        {"2026-06-01 10:00", "submission", 1, "", "NRS-ACC-2026-01",
         "RMD version 1 submitted to the Highways England Accreditor (S2.4-5.3).", false},
        {"2026-06-19 15:00", "non_approval", 0,
         "The risk assessment table (A3-5.5) does not cover the roadside cabinet firmware "
         "backlog, and the Vulnerability Correction Plan for the ITHC findings is missing.",
         "HE-ACC-2026-NA-01", "", true},
        {"2026-06-29 17:00", "issue_rmd", 0, "", "",
         "Version 2: risk R3 reassessed, Vulnerability Correction Plan added (Annex D).", false},
        {"2026-06-30 10:00", "submission", 2, "", "NRS-ACC-2026-02",
         "Amended RMD resubmitted within 10 Working Days of the non-approval (S2.4-5.5).", false},
        {"2026-07-20 11:00", "approval", 2, "", "HE-RMAS-2026-01",
         "Risk Management Approval Statement (S2.4-5.7.1): the Core IMS may process Customer "
         "Data.",
         true},
    };
    for (const Step& step : story) {
      const Instant at = London(step.at);
      if (!Happened(at)) {
        break;  // the story is in time order
      }
      if (std::string_view(step.kind) == "issue_rmd") {
        ACC_RETURN_IF_ERROR(IssueRmd(at, step.notes));
        continue;
      }
      Json fields{{"kind", step.kind}, {"at", FormatInstantUtc(at)}};
      if (step.version > 0) {
        fields["rmd_version"] = step.version;
      }
      for (const auto& [name, value] :
           {std::pair{"reasons", step.reasons}, std::pair{"reference", step.reference},
            std::pair{"notes", step.notes}}) {
        if (*value != '\0') {
          fields[name] = value;
        }
      }
      ACC_RETURN_IF_ERROR(
          Add(step.customer ? reviewer_ : secman_, "accreditation_events", fields).status());
    }
    return Status::Ok();
  }

  Result<std::int64_t> RcrId(const std::string& ref) {
    const registers::RegisterDef* rcr = registers::RegisterService::Find("rcr");
    registers::ListQuery q;
    q.filters["ref"] = ref;
    ACC_ASSIGN_OR_RETURN(auto found, app_.register_service->List(secman_, *rcr, q));
    for (const auto& item : found.items) {
      if (item.value("ref", "") == ref) {
        return item.at("id").get<std::int64_t>();
      }
    }
    return Err(ErrorCode::kInternal, "demo RCR entry missing", ref);
  }

  Status LoadNotifiableEvents() {
    struct Event {
      const char* kind;
      const char* description;
      const char* became_aware;  // London wall clock; the later instants may be empty
      const char* notified;
      const char* notified_to;
      const char* reference;
      const char* rcr_provided;
      const char* rcr_approved;
      const char* rcr_ref;  // the RCR entry it requires, or ""
    };

    const Event events[] = {
        // On time: aware Wed 6 May, notified Thu 7 May (due Fri 8 May); RCR provided and
        // approved.
        {"architecture_change",
         "A second ANPR ingest gateway cluster was added to the EU West DR site, changing the "
         "Core IMS architecture (S2.4-5.13.1).",
         "2026-05-06 09:30", "2026-05-07 14:00", "Martin Ashworth (Accreditor)", "NRS-NE-2026-001",
         "2026-05-15 12:00", "2026-05-22 10:00", ""},
        // Late: aware Tue 2 Jun, due Thu 4 Jun, notified Mon 8 Jun.
        {"new_risk_or_vulnerability",
         "Vendor advisory: remotely exploitable flaw in the cabinet controller firmware below "
         "4.2.3 (S2.4-5.13.2).",
         "2026-06-02 08:45", "2026-06-08 11:00", "Martin Ashworth (Accreditor)", "NRS-NE-2026-002",
         "2026-06-12 16:00", "2026-06-15 10:00", "RCR-002"},
        // On time: aware Mon 22 Jun, notified Tue 23 Jun.
        {"site_change_proposal",
         "Proposal to add the Shredsure Warrington facility as a destruction site "
         "(S2.4-5.13.7).",
         "2026-06-22 10:00", "2026-06-23 16:30", "Martin Ashworth (Accreditor)", "NRS-NE-2026-003",
         "2026-07-01 12:00", "2026-07-03 15:00", "RCR-003"},
        // Notified on time, but no RCR update provided yet (due 10 Working Days after).
        {"subcontractor_coc_failure",
         "Pennine Field Engineering failed the code of connection check: unsupported VPN client "
         "on field laptops (S2.4-5.13.4).",
         "2026-09-14 09:00", "2026-09-15 10:30", "Helen Clarke (Customer security assurance)",
         "NRS-NE-2026-004", "", "", ""},
        // Not yet notified: aware Fri 27 Nov, due Tue 1 Dec.
        {"threat_profile_change",
         "NCSC alert: a ransomware group is targeting the remote access of UK transport "
         "operators (S2.4-5.13.3).",
         "2026-11-27 15:00", "", "", "", "", "", ""},
    };
    for (const Event& e : events) {
      const Instant aware = London(e.became_aware);
      if (!Happened(aware)) {
        continue;
      }
      Json fields{{"kind", e.kind},
                  {"description", e.description},
                  {"became_aware_at", FormatInstantUtc(aware)}};
      const std::pair<const char*, const char*> later[] = {{"customer_notified_at", e.notified},
                                                           {"rcr_provided_at", e.rcr_provided},
                                                           {"rcr_approved_at", e.rcr_approved}};
      for (const auto& [name, wall_clock] : later) {
        if (*wall_clock == '\0' || !Happened(London(wall_clock))) {
          break;  // each step follows the one before
        }
        fields[name] = FormatInstantUtc(London(wall_clock));
        if (std::string_view(name) == "customer_notified_at") {
          fields["notified_to"] = e.notified_to;
          fields["notification_reference"] = e.reference;
        }
      }
      ACC_ASSIGN_OR_RETURN(const std::int64_t id, Add(secman_, "notifiable_events", fields));
      if (*e.rcr_ref != '\0') {
        ACC_ASSIGN_OR_RETURN(const std::int64_t rcr, RcrId(e.rcr_ref));
        registers::Link link{0, "notifiable_events", id, "requires", "rcr", std::to_string(rcr)};
        if (auto added = app_.register_service->AddLink(secman_, link); !added) {
          return added.error();
        }
      }
    }
    return Status::Ok();
  }

  Status LoadDeliverables() {
    struct Item {
      const char* kind;
      const char* title;
      const char* performed_on;
      const char* provided;
      const char* performed_by;
      const char* reference;
      const char* scope;
      const char* period;  // the quarter an incident log covers (S2.4-10.1)
    };

    constexpr const char* kScanner = "Northgate security operations (authenticated scans)";
    constexpr const char* kScanScope = "Core IMS servers, network devices and roadside gateways";
    // Monthly scans April to October 2026; August was missed (S2.4-7.1.2).
    const Item items[] = {
        {"vulnerability_scan", "Vulnerability scan April 2026", "2026-04-14", "2026-04-16",
         kScanner, "VS-2026-04", kScanScope, ""},
        {"ithc", "CHECK IT Health Check of the Core IMS", "2026-05-12", "2026-05-22",
         "Bastion CHECK Services Ltd (NCSC CHECK)", "ITHC-2026-01",
         "External and internal infrastructure, web tier, remote access and a sample of roadside "
         "gateways, before the first RMD submission (S2.4-7.1.1.1).",
         ""},
        {"vulnerability_scan", "Vulnerability scan May 2026", "2026-05-13", "2026-05-15", kScanner,
         "VS-2026-05", kScanScope, ""},
        {"vulnerability_scan", "Vulnerability scan June 2026", "2026-06-15", "2026-06-17", kScanner,
         "VS-2026-06", kScanScope, ""},
        {"incident_log", "Security Incident log, April to June 2026", "2026-07-03", "2026-07-03",
         "Priya Shah", "SIL-2026-Q1",
         "Security incidents of the first contract quarter (S2.4-10.1).", "2026-Q2"},
        {"vulnerability_scan", "Vulnerability scan July 2026", "2026-07-14", "2026-07-16", kScanner,
         "VS-2026-07", kScanScope, ""},
        {"vulnerability_scan", "Vulnerability scan September 2026", "2026-09-15", "2026-09-18",
         kScanner, "VS-2026-09", kScanScope, ""},
        {"incident_log", "Security Incident log, July to September 2026", "2026-10-02",
         "2026-10-05", "Priya Shah", "SIL-2026-Q2",
         "Security incidents of the second contract quarter (S2.4-10.1).", "2026-Q3"},
        {"vulnerability_scan", "Vulnerability scan October 2026", "2026-10-13", "2026-10-15",
         kScanner, "VS-2026-10", kScanScope, ""},
    };
    for (const Item& item : items) {
      if (!Happened(item.performed_on)) {
        continue;
      }
      Json fields{{"kind", item.kind},
                  {"title", item.title},
                  {"performed_on", item.performed_on},
                  {"performed_by", item.performed_by},
                  {"reference", item.reference},
                  {"scope", item.scope}};
      if (*item.period != '\0') {
        fields["period"] = item.period;
      }
      if (Happened(item.provided)) {
        fields["provided_to_customer_date"] = item.provided;
      }
      ACC_RETURN_IF_ERROR(Add(secman_, "deliverables", fields).status());
    }
    return Status::Ok();
  }

  App& app_;
  auth::Principal secman_;
  auth::Principal reviewer_;
};

// The demo user `username` as a principal (the accounts were just created).
Result<auth::Principal> DemoPrincipal(App& app, std::string_view username) {
  ACC_ASSIGN_OR_RETURN(const auth::User user, app.accounts->FindByUsername(username));
  return auth::Principal{user.id, user.username, user.role, user.supplier_id};
}

}  // namespace

Status LoadDemo(App& app, std::string_view password) {
  const auth::Principal op = internal::Operator();
  ACC_ASSIGN_OR_RETURN(const auto existing, app.registers->ListParties(op));
  ACC_ASSIGN_OR_RETURN(const auto contract, app.registers->GetContract(op));
  if (!existing.empty() || !contract.title.empty()) {
    return Err(ErrorCode::kAlreadyExists,
               "the database already holds a contract; load the demo into a new database");
  }
  ACC_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password));

  registers::ContractPatch patch;
  patch.title = std::string(kDemoTitle);
  patch.reference = "HE-TMTS-2026-0417";
  patch.customer_name = "Highways England";
  patch.provider_name = "Northgate Roadside Systems Ltd";
  patch.effective_date = Ymd(2026, 4, 1);
  patch.operational_service_commencement_date = Ymd(2026, 10, 1);
  patch.division = Division::kEnglandAndWales;
  patch.closure_days =
      std::vector<registers::ClosureDay>{{Ymd(2026, 12, 31), "Provider office closure"}};
  ACC_RETURN_IF_ERROR(app.registers->UpdateContract(op, patch));

  const Party parties[] = {
      {0, PartyKind::kCustomer, "Highways England", "", "Piccadilly Gate, Store Street, Manchester",
       "security.assurance@highways-customer.example", true,
       "Customer: strategic road network operator"},
      {0, PartyKind::kProvider, "Northgate Roadside Systems Ltd", "09876543",
       "4 Canal Wharf, Leeds", "security@northgate-roadside.example", true,
       "Provider: traffic management and roadside technology services"},
      {0, PartyKind::kSubcontractor, "Stratus Cloud Hosting Ltd", "11223344",
       "Unit 7, Thames Valley Park, Reading", "compliance@stratus-cloud.example", true,
       "IaaS hosting of the Core Information Management System (UK regions)"},
      {0, PartyKind::kSubcontractor, "Pennine Field Engineering Ltd", "08765432",
       "12 Mill Lane, Huddersfield", "ops@pennine-field.example", false,
       "Installation and maintenance of roadside cabinets, signals and cameras"},
      {0, PartyKind::kSubcontractor, "Sentinel Watch SOC Ltd", "12345678",
       "Cyber House, Cheltenham", "soc@sentinel-watch.example", true,
       "24x7 security operations centre: monitoring, triage and incident response"},
      {0, PartyKind::kSubcontractor, "Lakeside Print and Post Ltd", "07654321",
       "3 Quay Street, Bristol", "accounts@lakeside-print.example", false,
       "Printing and mailing of non-sensitive public notices"},
  };
  std::optional<std::int64_t> first_subcontractor;
  std::map<std::string, std::int64_t> party_ids;
  for (const auto& p : parties) {
    ACC_ASSIGN_OR_RETURN(const Party created, app.registers->CreateParty(op, p));
    party_ids[created.name] = created.id;
    if (created.kind == PartyKind::kSubcontractor && !first_subcontractor) {
      first_subcontractor = created.id;
    }
  }

  for (const auto& u : kDemoUsers) {
    auth::NewUser user;
    user.username = u.username;
    user.display_name = u.display_name;
    user.email = u.email;
    user.role = u.role;
    if (u.role == auth::Role::kSubcontractor) {
      user.supplier_id = first_subcontractor;
    }
    user.password = std::string(password);
    ACC_RETURN_IF_ERROR(app.accounts->CreateUser(op, user));
  }

  // The registers of issue 3, through RegisterService (validated and audited like any user's
  // input), so the demo RMD reads like a real one.
  if (app.register_service == nullptr) {
    return Err(ErrorCode::kInternal, "the register service is not available");
  }
  DemoRegisters demo_registers(*app.register_service, op, std::move(party_ids));
  ACC_RETURN_IF_ERROR(demo_registers.Load());

  if (app.reports == nullptr) {
    return Err(ErrorCode::kInternal, "the reports service is not available");
  }
  ACC_ASSIGN_OR_RETURN(auth::Principal secman, DemoPrincipal(app, "secman"));
  ACC_ASSIGN_OR_RETURN(auth::Principal reviewer, DemoPrincipal(app, "reviewer"));
  DemoClockRecords clock_records(app, std::move(secman), std::move(reviewer));
  return clock_records.Load();
}

namespace internal {

Result<int> RunDemo(const Args& args, const Clock& clock, std::ostream& out) {
  AppOptions options;
  options.db_path = args.db_path;
  options.create_if_missing = true;
  ACC_ASSIGN_OR_RETURN(auto app, OpenApp(clock, options));
  ACC_ASSIGN_OR_RETURN(const std::int64_t users, app->accounts->CountUsers());
  if (users > 0) {
    return Err(ErrorCode::kAlreadyExists,
               "the database already has users; load the demo into a new database");
  }
  ACC_RETURN_IF_ERROR(LoadDemo(*app, args.demo_password));
  std::error_code ec;
  const auto abs = std::filesystem::absolute(args.db_path, ec);
  out << "Database: " << (ec ? args.db_path : abs.string()) << "\n"
      << "Demo contract loaded: " << kDemoTitle << "\n"
      << "Logins (password \"" << args.demo_password << "\"):";
  for (const auto& u : kDemoUsers) {
    out << " " << u.username;
  }
  out << "\n";
  return 0;
}

}  // namespace internal
}  // namespace accredit::cli
