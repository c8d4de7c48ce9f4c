#pragma once

// catalog: the reference catalogues compiled into the binary as data (web/catalog/*.json, see
// docs/CATALOGUES.md): every clause of Schedule 2.4 with its kind of duty and time limit, ISO/IEC
// 27001:2013 Annex A (114 controls), ISO/IEC 27001:2022 Annex A (93 controls) and the official
// 2013<->2022 correspondence, the NCSC Cloud Security Principles, the Cyber Essentials control
// themes and the NCSC Cyber Assessment Framework 3.2 and 4.0. Identifiers and titles only, each
// with its source attribution and licence note. Read-only: nothing here touches the database.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace accredit::catalog {

namespace internal {
class Loader;
}  // namespace internal

// Catalogue ids accepted by Catalog::Controls / FindControl.
inline constexpr std::string_view kIso2013 = "iso27001-2013";             // ids "A.12.6.1"
inline constexpr std::string_view kIso2022 = "iso27001-2022";             // ids "8.8"
inline constexpr std::string_view kCloudPrinciples = "ncsc-csp";          // ids "2", "2.3"
inline constexpr std::string_view kCyberEssentials = "cyber-essentials";  // ids "CE1".."CE5"
inline constexpr std::string_view kCaf32 = "ncsc-caf-3.2";                // ids "A1.a"
inline constexpr std::string_view kCaf40 = "ncsc-caf-4.0";                // ids "A1.a"
// Ids of the two non-control data sets listed by Catalog::Catalogues().
inline constexpr std::string_view kSchedule = "schedule-2.4";
inline constexpr std::string_view kIsoMapping = "iso27001-2013-to-2022";

// The kind of duty a Schedule 2.4 clause imposes.
enum class ClauseKind {
  kObligation,   // the Provider must do something (no time limit of its own)
  kDeadline,     // the Provider must do something within a limit (Clause::deadline)
  kProhibition,  // the Provider must not do something
  kConsequence,  // what follows a failure (material Default, termination, stop processing)
  kCustomer,     // an act of the Customer
  kDefinition,   // defines terms or categories
  kInformative,  // headings, principles, relief and cost allocation
  kTemplate,     // a section of the Annex 3 RMD template
};
std::string_view ClauseKindName(ClauseKind k);           // "obligation", "deadline", ...
Result<ClauseKind> ParseClauseKind(std::string_view s);  // kInvalidArgument when unknown

// One clause of Schedule 2.4. Ids: "S2.4-5.4.3" (body), "S2.4-A1-4.6" (Annex 1), "S2.4-A3-11"
// (Annex 3 sections), "S2.4-A3-A".."S2.4-A3-D" (the Annexes of Annex 3); top-level clauses are
// "S2.4-<n>", "S2.4-A1", "S2.4-A2", "S2.4-A3" and have an empty parent.
struct Clause {
  std::string id;
  std::string parent;  // id of the enclosing clause; empty for top-level clauses
  std::string title;   // short summary from the clause map (not the schedule's text)
  ClauseKind kind = ClauseKind::kObligation;
  std::string deadline;     // the time limit as written ("10 WD", "24 hours", "by 31 March");
                            // non-empty for every kDeadline clause, may be set on others
  std::string consequence;  // what follows a failure, when the schedule says; may be empty
};

// One entry of a control catalogue.
struct Control {
  std::string catalogue;  // one of the catalogue ids above
  std::string id;
  std::string title;
  std::string group;         // ISO 2013 section "A.12"; ISO 2022 theme "8"; CSP principle "2";
                             // CAF principle "A1"; empty for Cyber Essentials
  std::string group_title;   // title of `group`, empty when `group` is
  std::string parent;        // ISO 2013 objective "A.12.6"; CSP sub-principle -> "2"; else empty
  std::string annex_ref;     // ISO 2022 "A.8.8"; else empty
  bool new_in_2022 = false;  // ISO 2022 only: no 2013 predecessor
};

// A shipped data set and where it came from.
struct CatalogueInfo {
  std::string id;    // kSchedule, kIso2013, ..., kIsoMapping
  std::string kind;  // "clauses", "controls" or "mapping"
  std::string title;
  std::size_t count = 0;          // clauses, controls or mapping pairs
  std::string source_repository;  // e.g. "intuitem/ciso-assistant-community"; may be empty
  std::string source_path;
  std::string source_commit;  // full hash; may be empty
  std::string licence;        // licence and copyright note for the underlying material
  std::string attribution;    // one line for display: "<repo> <path> @ <commit8>; <licence>"
};

// Reads one embedded file by its path relative to web/ ("catalog/schedule-2.4.json");
// std::nullopt when absent. The default is accredit::assets::Find.
using AssetLookup = std::function<std::optional<std::string_view>(std::string_view path)>;

// The loaded catalogues. Immutable after Load; thread-safe (all methods are const and do not
// mutate). Returned pointers and references live as long as the Catalog.
class Catalog {
 public:
  // Parses and cross-checks the embedded JSON (ids unique, parents exist, ISO counts 114/93,
  // every mapping id is a known control). kDataLoss naming the file and entry when the data is
  // missing or malformed (a build defect, never user input). Call once at start-up and share.
  static Result<std::unique_ptr<Catalog>> Load();
  // The same over another source of files (tests use it to feed broken data).
  static Result<std::unique_ptr<Catalog>> LoadWith(const AssetLookup& lookup);

  ~Catalog() = default;
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Every Schedule 2.4 clause, in document order (a parent precedes its children).
  const std::vector<Clause>& Clauses() const { return clauses_; }

  // nullptr when unknown. Accepts the id with or without the "S2.4-" prefix ("5.13" works).
  const Clause* FindClause(std::string_view id) const;
  // Direct children of a clause in document order; empty when none or unknown.
  std::vector<const Clause*> Children(std::string_view id) const;

  // The controls of one catalogue in source order; empty for an unknown catalogue id.
  const std::vector<Control>& Controls(std::string_view catalogue) const;
  // nullptr when the catalogue or id is unknown.
  const Control* FindControl(std::string_view catalogue, std::string_view id) const;

  // ISO/IEC 27002:2022 Annex B correspondence. Ids as in the catalogues ("A.12.6.1", "8.8");
  // empty for an unknown id, and for a 2022 control that is new in 2022.
  std::vector<std::string> Map2013To2022(std::string_view id_2013) const;
  std::vector<std::string> Map2022To2013(std::string_view id_2022) const;

  // Every shipped data set with its attribution, schedule first.
  const std::vector<CatalogueInfo>& Catalogues() const { return infos_; }

 private:
  Catalog() = default;

  std::vector<Clause> clauses_;
  std::map<std::string, std::size_t, std::less<>> clause_index_;
  std::map<std::string, std::vector<Control>, std::less<>> controls_;
  std::map<std::string, std::map<std::string, std::size_t, std::less<>>, std::less<>>
      control_index_;
  std::map<std::string, std::vector<std::string>, std::less<>> map_2013_to_2022_;
  std::map<std::string, std::vector<std::string>, std::less<>> map_2022_to_2013_;
  std::vector<CatalogueInfo> infos_;

  friend class internal::Loader;
};

}  // namespace accredit::catalog
