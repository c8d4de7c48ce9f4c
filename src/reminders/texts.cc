// The texts of a reminder: mail subject and body, webhook JSON.

#include <string>
#include <string_view>

#include "reminders/internal.h"

namespace accredit::reminders::internal {

using nlohmann::json;

namespace {

std::string Plural(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string StateWords(clocks::State s) {
  std::string out(clocks::StateName(s));
  for (char& c : out) {
    if (c == '_') {
      c = ' ';
    }
  }
  return out;
}

std::string LeadPhrase(const Lead& lead) {
  switch (lead.kind) {
    case LeadKind::kWorkingDaysBefore:
      return "Due in " + Plural(lead.n, "Working Day", "Working Days");
    case LeadKind::kDaysBefore:
      return "Due in " + Plural(lead.n, "day", "days");
    case LeadKind::kDue:
      return "Due today";
    case LeadKind::kOverdue:
      return "Overdue";
  }
  return "Reminder";
}

std::string MailSubject(const Lead& lead, const clocks::Obligation& o) {
  // A precondition ("before the Core IMS processes Customer Data") past its date is not late
  // but still unmet, as Obligation::Text() says.
  const std::string phrase =
      lead.kind == LeadKind::kOverdue && o.precondition ? "Not met" : LeadPhrase(lead);
  return "[accredit] " + phrase + ": " + o.action + " (" + o.clause + ")";
}

std::string RecordLink(const clocks::Obligation& o, std::string_view base_url) {
  return std::string(base_url) + o.subject.Href();
}

std::string MailBody(const Occurrence& occ, const clocks::Obligation& o,
                     std::string_view base_url) {
  std::string body = o.Text() + "\n\n";
  body += "Clause:       " + o.clause + "\n";
  body += "Due:          " + FormatHumanLondon(o.due) + " (Europe/London)\n";
  body += "State:        " + StateWords(o.state) + "\n";
  body += "If missed:    " + clocks::ConsequenceText(o.consequence) + "\n";
  if (o.customer_side) {
    body += "Whose duty:   the Customer's\n";
  }
  body += "Record:       " + RecordLink(o, base_url) + "\n";
  body += "\n-- \nAn automatic reminder (" + occ.key + ") from accredit for obligation " + o.key +
          ".\nRecipients and lead times: `accredit reminders show`.\n";
  return body;
}

json WebhookBody(const Occurrence& occ, const clocks::Obligation& o, std::string_view base_url) {
  return {{"event", "obligation.reminder"},
          {"lead", occ.lead.Name()},
          {"reminder", occ.key},
          {"fire_at", FormatInstantLondon(occ.fire_at)},
          {"obligation", clocks::ObligationToJson(o)},
          {"url", RecordLink(o, base_url)}};
}

std::optional<Occurrence> OccurrenceFromKey(std::string_view key, Instant fire_at) {
  std::string_view lead_text = key;
  if (key.starts_with("overdue/")) {
    lead_text = "overdue";
  }
  auto leads = ParseLeads(lead_text);
  if (!leads || leads->size() != 1) {
    return std::nullopt;
  }
  return Occurrence{leads->front(), std::string(key), fire_at};
}

}  // namespace accredit::reminders::internal
