// Risk registers: the Statement of Information Risk Appetite, the risk scale, risks, controls,
// the Required Changes Register, the Accreditation Plan, the compliance matrix and the
// Statement of Applicability (S2.4-4.1, 5.4.1-5.4.6, 6.1; A3-5, A3-11). Written by admin and
// security_manager (risk.write).

#include "registers/internal.h"

namespace accredit::registers::internal {
namespace {

using FT = FieldType;

const std::vector<std::string> kImplementation = {"planned", "partial", "implemented",
                                                  "not_applicable"};

RegisterDef RiskAppetite() {
  RegisterDef d;
  d.name = "risk_appetite";
  d.singular = "risk_appetite";
  d.title = "Statement of Information Risk Appetite";
  d.clause = "S2.4-4.1";
  d.description =
      "The Customer's information risk appetite per risk category: the highest residual risk "
      "score accepted (S2.4-4.1; A3-5.3). Residual risks above it are flagged.";
  d.label_field = "category";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "category",
       .label = "Category",
       .type = FT::kText,
       .required = true,
       .help = "Risk category; risks refer to it (risks.category_id). Unique ignoring case and "
               "surrounding spaces.",
       .in_list = true,
       .filterable = true,
       .unique = true},
      {.name = "appetite_level",
       .label = "Appetite (max score)",
       .type = FT::kInteger,
       .required = true,
       .help = "Highest accepted residual score (likelihood x impact, 1-25).",
       .in_list = true,
       .min = 1,
       .max = 25},
      {.name = "statement", .label = "Statement", .type = FT::kLongText, .in_list = true},
  };
  // "Cyber attack" and "cyber attack " are one category (the table has a unique index on
  // LOWER(TRIM(category)) since migration 340; this names the field before the write).
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    const std::string category = Str(r, "category");
    auto same = ctx.Conn().Query(
        "SELECT category FROM risk_appetite WHERE id <> ? AND LOWER(TRIM(category)) = "
        "LOWER(TRIM(?))",
        {Int(r, "id").value_or(0), category});
    if (!same) {
      return same.error();
    }
    if (!same->empty()) {
      return Invalid("category", "is the category \"" + (*same)[0][0].Text() +
                                     "\" already (categories are compared ignoring case)");
    }
    return Status::Ok();
  });
  return d;
}

RegisterDef RiskLevels() {
  RegisterDef d;
  d.name = "risk_levels";
  d.singular = "risk_level";
  d.title = "Risk scale";
  d.clause = "S2.4-5.4.2";
  d.description =
      "The bands that turn a score (likelihood x impact on the 5x5 scale) into a level. "
      "Default: very_low 1-3, low 4-7, medium 8-14, high 15-19, very_high 20-25.";
  d.label_field = "name";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "name",
       .label = "Level",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .max_length = 40,
       .unique = true},
      {.name = "min_score",
       .label = "From score",
       .type = FT::kInteger,
       .required = true,
       .in_list = true,
       .min = 1,
       .max = 25},
      {.name = "max_score",
       .label = "To score",
       .type = FT::kInteger,
       .required = true,
       .in_list = true,
       .min = 1,
       .max = 25},
  };
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    const auto lo = Int(r, "min_score").value_or(0);
    const auto hi = Int(r, "max_score").value_or(0);
    if (hi < lo) {
      return Invalid("max_score", "must not be below min_score");
    }
    auto overlap = ctx.Conn().Query(
        "SELECT name FROM risk_levels WHERE id <> ? AND min_score <= ? AND max_score >= ?",
        {Int(r, "id").value_or(0), hi, lo});
    if (!overlap) {
      return overlap.error();
    }
    if (!overlap->empty()) {
      return Invalid("min_score", "overlaps the level " + (*overlap)[0][0].Text());
    }
    return Status::Ok();
  });
  return d;
}

Json Score(const Json& r, std::string_view l, std::string_view i) {
  const auto likelihood = Int(r, l);
  const auto impact = Int(r, i);
  if (!likelihood || !impact) {
    return nullptr;
  }
  return *likelihood * *impact;
}

Json Level(const Json& score, ReadContext& ctx) {
  if (!score.is_number_integer()) {
    return nullptr;
  }
  return RiskLevelFor(score.get<std::int64_t>(), ctx);
}

// The appetite of the risk's category (memoised per context), or null.
Json AppetiteOf(const Json& r, ReadContext& ctx) {
  const std::optional<std::int64_t> category = Int(r, "category_id");
  if (!category) {
    return nullptr;
  }
  const std::string key = "appetite:" + std::to_string(*category);
  auto& cache = ctx.Cache();
  if (auto it = cache.find(key); it != cache.end()) {
    return it->second;
  }
  Json value = nullptr;
  auto row =
      ctx.Conn().QueryOne("SELECT appetite_level FROM risk_appetite WHERE id = ?", {*category});
  if (row && !(*row)[0].IsNull()) {
    value = (*row)[0].Int();
  }
  cache[key] = value;
  return value;
}

// Residual score, or the inherent one when no residual assessment is recorded yet.
Json EffectiveScore(const Json& r) {
  Json s = Score(r, "residual_likelihood", "residual_impact");
  return s.is_null() ? Score(r, "inherent_likelihood", "inherent_impact") : s;
}

FieldDef Scale(std::string name, std::string label, bool required, std::string help) {
  return {.name = std::move(name),
          .label = std::move(label),
          .type = FT::kInteger,
          .required = required,
          .help = std::move(help),
          .filterable = true,
          .min = 1,
          .max = 5};
}

RegisterDef Risks() {
  RegisterDef d;
  d.name = "risks";
  d.singular = "risk";
  d.title = "Risks";
  d.clause = "S2.4-5.4.2";
  d.description =
      "Risks identified, assessed (likelihood x impact, inherent and residual), treated and "
      "accepted by the Customer (S2.4-5.4.2; A3-5.5, A3-5.7). Controls link to risks with the "
      "relation mitigates.";
  d.label_field = "title";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "ref",
       .label = "Risk ID",
       .type = FT::kText,
       .required = true,
       .help = "Unique id such as R7.",
       .in_list = true,
       .filterable = true,
       .max_length = 20,
       .unique = true},
      {.name = "title",
       .label = "Title",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "description", .label = "Description", .type = FT::kLongText},
      {.name = "category_id",
       .label = "Category",
       .type = FT::kRef,
       .ref = "risk_appetite",
       .help = "A category of the Statement of Information Risk Appetite (S2.4-4.1); its "
               "appetite decides above_appetite.",
       .in_list = true,
       .filterable = true},
      {.name = "threat", .label = "Threat", .type = FT::kLongText},
      {.name = "vulnerability",
       .label = "Vulnerability",
       .type = FT::kLongText,
       .help = "A3-5.5: the vulnerability exploited."},
      Scale("inherent_likelihood", "Inherent likelihood", true, "1 (rare) to 5 (almost certain)."),
      Scale("inherent_impact", "Inherent impact", true, "1 (minimal) to 5 (severe)."),
      Scale("residual_likelihood", "Residual likelihood", false, "After controls, 1 to 5."),
      Scale("residual_impact", "Residual impact", false, "After controls, 1 to 5."),
      {.name = "owner", .label = "Owner", .type = FT::kText, .in_list = true, .filterable = true},
      {.name = "treatment",
       .label = "Treatment",
       .type = FT::kEnum,
       .choices = {"treat", "tolerate", "transfer", "terminate"},
       .in_list = true,
       .filterable = true},
      {.name = "review_date", .label = "Review date", .type = FT::kDate, .filterable = true},
      {.name = "customer_acceptance_reference",
       .label = "Customer acceptance reference",
       .type = FT::kText,
       .help = "The Customer's record accepting the residual risk."},
      {.name = "customer_acceptance_date", .label = "Customer acceptance date", .type = FT::kDate},
      {.name = "status",
       .label = "Status",
       .type = FT::kEnum,
       .required = true,
       .choices = {"open", "closed"},
       .in_list = true,
       .filterable = true,
       .default_value = "open"},
  };
  d.derived = {
      DerivedDef{.name = "inherent_score",
                 .label = "Inherent score",
                 .compute = [](const Json& r, ReadContext&) -> Json {
                   return Score(r, "inherent_likelihood", "inherent_impact");
                 },
                 .help = "inherent_likelihood x inherent_impact."},
      DerivedDef{.name = "inherent_level",
                 .label = "Inherent level",
                 .in_list = true,
                 .compute = [](const Json& r, ReadContext& ctx) -> Json {
                   return Level(Score(r, "inherent_likelihood", "inherent_impact"), ctx);
                 },
                 .help = "The risk_levels band of inherent_score."},
      DerivedDef{.name = "residual_score",
                 .label = "Residual score",
                 .compute = [](const Json& r, ReadContext&) -> Json {
                   return Score(r, "residual_likelihood", "residual_impact");
                 },
                 .help = "residual_likelihood x residual_impact (empty until assessed)."},
      DerivedDef{.name = "residual_level",
                 .label = "Residual level",
                 .in_list = true,
                 .compute = [](const Json& r, ReadContext& ctx) -> Json {
                   return Level(Score(r, "residual_likelihood", "residual_impact"), ctx);
                 },
                 .help = "The risk_levels band of residual_score."},
      DerivedDef{.name = "above_appetite",
                 .label = "Above appetite",
                 .in_list = true,
                 .compute = [](const Json& r, ReadContext& ctx) -> Json {
                   const Json appetite = AppetiteOf(r, ctx);
                   const Json score = EffectiveScore(r);
                   if (!appetite.is_number_integer() || !score.is_number_integer() ||
                       Str(r, "status") == "closed") {
                     return false;
                   }
                   return score.get<std::int64_t>() > appetite.get<std::int64_t>();
                 },
                 .help = "true for an open risk whose residual score (inherent while no "
                         "residual is assessed) exceeds its category's appetite_level "
                         "(S2.4-4.1; A3-5.7)."},
  };
  return d;
}

RegisterDef Controls() {
  RegisterDef d;
  d.name = "controls";
  d.singular = "control";
  d.title = "Controls";
  d.clause = "S2.4-5.4.5";
  d.description =
      "Proposed and implemented controls with implementation and assurance status (S2.4-5.4.5; "
      "A3-5.6). Links: mitigates (risks), implements (catalog:iso27001-2013 Annex A ids), "
      "addresses (catalog:schedule-2.4 clause ids); evidence supports them.";
  d.label_field = "title";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "ref",
       .label = "Control ID",
       .type = FT::kText,
       .required = true,
       .help = "Unique id such as C12.",
       .in_list = true,
       .filterable = true,
       .max_length = 20,
       .unique = true},
      {.name = "title",
       .label = "Title",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "description", .label = "Description", .type = FT::kLongText},
      {.name = "implementation_status",
       .label = "Implementation",
       .type = FT::kEnum,
       .required = true,
       .choices = kImplementation,
       .in_list = true,
       .filterable = true,
       .default_value = "planned"},
      {.name = "assurance_status",
       .label = "Assurance",
       .type = FT::kEnum,
       .required = true,
       .choices = {"none", "self_assessed", "tested", "independently_assured"},
       .help = "A3-5.6: assurance status.",
       .in_list = true,
       .filterable = true,
       .default_value = "none"},
      {.name = "owner", .label = "Owner", .type = FT::kText, .in_list = true, .filterable = true},
      {.name = "evidence_notes", .label = "Further information", .type = FT::kLongText},
  };
  return d;
}

RegisterDef Rcr() {
  RegisterDef d;
  d.name = "rcr";
  d.singular = "required_change";
  d.title = "Required Changes Register";
  d.clause = "S2.4-5.4.6";
  d.description =
      "Changes required to the IMS or the RMD, agreed with the Customer and tracked to "
      "implementation (S2.4-5.4.6, 5.14, 5.15; A3-11).";
  d.label_field = "ref";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "ref",
       .label = "Ref",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true,
       .max_length = 20,
       .unique = true},
      {.name = "rmd_section",
       .label = "RMD section",
       .type = FT::kText,
       .help = "The Annex 3 section changed, e.g. A3-5.5.",
       .in_list = true,
       .filterable = true},
      {.name = "change",
       .label = "Change",
       .type = FT::kLongText,
       .required = true,
       .in_list = true},
      {.name = "agreed_with", .label = "Agreed with", .type = FT::kText, .in_list = true},
      {.name = "date_agreed", .label = "Date agreed", .type = FT::kDate, .in_list = true},
      {.name = "implementation_due_date",
       .label = "Implementation due",
       .type = FT::kDate,
       .filterable = true},
      {.name = "documentation_update", .label = "Documentation update", .type = FT::kText},
      {.name = "status",
       .label = "Status",
       .type = FT::kEnum,
       .required = true,
       .choices = {"proposed", "agreed", "implemented", "rejected"},
       .in_list = true,
       .filterable = true,
       .default_value = "proposed"},
      {.name = "triggering_event",
       .label = "Triggering event",
       .type = FT::kLongText,
       .help = "S2.4-5.14: the event that triggered the change."},
      {.name = "implemented_date", .label = "Implemented", .type = FT::kDate},
  };
  d.validators.push_back([](const Json& r, ReadContext&) -> Status {
    if (Str(r, "status") == "implemented" && !DateOf(r, "implemented_date")) {
      return Invalid("implemented_date", "required when status is implemented");
    }
    return Status::Ok();
  });
  return d;
}

RegisterDef AccreditationPlan() {
  RegisterDef d;
  d.name = "accreditation_plan";
  d.singular = "plan_item";
  d.title = "Accreditation Plan";
  d.clause = "S2.4-5.4.1";
  d.description =
      "Dates of each RMD iteration, the date an Approval Statement is needed, tasks, milestones "
      "and Customer responsibilities (S2.4-5.4.1; A3-5.2).";
  d.label_field = "milestone";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "milestone",
       .label = "Milestone",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "kind",
       .label = "Kind",
       .type = FT::kEnum,
       .required = true,
       .choices = {"rmd_iteration", "approval_needed_by", "task", "customer_responsibility"},
       .in_list = true,
       .filterable = true},
      {.name = "planned_date",
       .label = "Planned date",
       .type = FT::kDate,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "owner", .label = "Owner", .type = FT::kText, .in_list = true},
      {.name = "notes", .label = "Notes", .type = FT::kLongText},
  };
  return d;
}

RegisterDef Compliance() {
  RegisterDef d;
  d.name = "compliance";
  d.singular = "compliance_row";
  d.title = "Compliance matrix";
  d.clause = "S2.4-6.1";
  d.description =
      "One row per Schedule 2.4 requirement: status, response, owner and last review (S2.4-6.1). "
      "Implementing controls link to the clause with the relation addresses.";
  d.label_field = "clause_id";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "clause_id",
       .label = "Clause",
       .type = FT::kText,
       .required = true,
       .help = "A Schedule 2.4 clause id such as S2.4-5.4.3.",
       .in_list = true,
       .filterable = true,
       .max_length = 40,
       .unique = true},
      {.name = "status",
       .label = "Status",
       .type = FT::kEnum,
       .required = true,
       .choices = {"met", "partly_met", "not_met", "not_applicable"},
       .in_list = true,
       .filterable = true},
      {.name = "response", .label = "Response", .type = FT::kLongText},
      {.name = "owner", .label = "Owner", .type = FT::kText, .in_list = true, .filterable = true},
      {.name = "last_reviewed",
       .label = "Last reviewed",
       .type = FT::kDate,
       .in_list = true,
       .filterable = true},
  };
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    const std::string id = Str(r, "clause_id");
    if (!IsScheduleClauseId(id)) {
      return Invalid("clause_id", "must be a Schedule 2.4 clause id such as S2.4-5.4.3");
    }
    if (ctx.Catalog() != nullptr && !(*ctx.Catalog())("schedule-2.4", id)) {
      return Invalid("clause_id", "no Schedule 2.4 clause " + id);
    }
    return Status::Ok();
  });
  return d;
}

RegisterDef Soa() {
  RegisterDef d;
  d.name = "soa";
  d.singular = "soa_entry";
  d.title = "Statement of Applicability";
  d.clause = "S2.4-5.4.3";
  d.description =
      "ISO/IEC 27001:2013 Annex A controls: applicable or not, with justification and "
      "implementation status (S2.4-5.4.3). Implementing controls link with implements.";
  d.label_field = "control_id";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "control_id",
       .label = "Annex A control",
       .type = FT::kText,
       .required = true,
       .help = "ISO/IEC 27001:2013 Annex A id such as A.12.6.1.",
       .in_list = true,
       .filterable = true,
       .max_length = 20,
       .unique = true},
      {.name = "applicable",
       .label = "Applicable",
       .type = FT::kBool,
       .in_list = true,
       .filterable = true,
       .default_value = "true"},
      {.name = "justification",
       .label = "Justification",
       .type = FT::kLongText,
       .required = true,
       .help = "Why the control is (not) applicable.",
       .in_list = true},
      {.name = "implementation_status",
       .label = "Implementation",
       .type = FT::kEnum,
       .required = true,
       .choices = kImplementation,
       .in_list = true,
       .filterable = true,
       .default_value = "planned"},
  };
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    const std::string id = Str(r, "control_id");
    if (!IsAnnexAControlId(id)) {
      return Invalid("control_id", "must be an ISO/IEC 27001 Annex A id such as A.12.6.1");
    }
    if (ctx.Catalog() != nullptr && !(*ctx.Catalog())("iso27001-2013", id)) {
      return Invalid("control_id", "no ISO/IEC 27001:2013 Annex A control " + id);
    }
    if (!Bool(r, "applicable") && Str(r, "implementation_status") != "not_applicable") {
      return Invalid("implementation_status", "must be not_applicable when not applicable");
    }
    return Status::Ok();
  });
  return d;
}

}  // namespace

std::vector<RegisterDef> RiskDefs() {
  return {RiskAppetite(), RiskLevels(),        Risks(),      Controls(),
          Rcr(),          AccreditationPlan(), Compliance(), Soa()};
}

}  // namespace accredit::registers::internal
