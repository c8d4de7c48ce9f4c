// Loading the typed snapshot (Inputs) of the source tables, one loader per table.

#include <algorithm>
#include <functional>
#include <utility>

#include "clocks/clocks.h"

namespace accredit::clocks {
namespace {

std::optional<Date> OptDate(const store::RowView& r, int i) {
  if (r.IsNull(i) || r.Text(i).empty()) {
    return std::nullopt;
  }
  auto d = ParseDate(r.Text(i));
  if (!d.ok()) {
    return std::nullopt;  // validated on write; a stray value is ignored rather than fatal
  }
  return *d;
}

std::optional<Instant> OptInstant(const store::RowView& r, int i) {
  if (r.IsNull(i) || r.Text(i).empty()) {
    return std::nullopt;
  }
  auto t = ParseInstant(r.Text(i));
  if (!t.ok()) {
    return std::nullopt;
  }
  return *t;
}

std::string Str(const store::RowView& r, int i) {
  return std::string(r.Text(i));
}

using Loader = std::function<Status(store::Connection&, Inputs&)>;

Status LoadContract(store::Connection& conn, Inputs& in) {
  in.contract = ContractInfo{};
  return conn.ForEach(
      "SELECT effective_date, operational_service_commencement_date, customer_name, "
      "provider_name FROM contract WHERE id = 1",
      {}, [&](const store::RowView& r) {
        in.contract.effective_date = OptDate(r, 0);
        in.contract.operational_service_commencement_date = OptDate(r, 1);
        in.contract.customer_name = Str(r, 2);
        in.contract.provider_name = Str(r, 3);
        return Status::Ok();
      });
}

Status LoadAccreditationEvents(store::Connection& conn, Inputs& in) {
  in.accreditation_events.clear();
  return conn.ForEach(
      "SELECT id, kind, at, rmd_version, reference FROM accreditation_events ORDER BY at, id", {},
      [&](const store::RowView& r) {
        auto kind = ParseAccreditationKind(r.Text(1));
        auto at = OptInstant(r, 2);
        if (!kind.ok() || !at) {
          return Status::Ok();
        }
        AccreditationEvent e;
        e.id = r.Int(0);
        e.kind = *kind;
        e.at = *at;
        if (!r.IsNull(3)) {
          e.rmd_version = r.Int(3);
        }
        e.reference = Str(r, 4);
        in.accreditation_events.push_back(std::move(e));
        return Status::Ok();
      });
}

Status LoadNotifiableEvents(store::Connection& conn, Inputs& in) {
  in.notifiable_events.clear();
  return conn.ForEach(
      "SELECT id, kind, description, became_aware_at, customer_notified_at, rcr_provided_at, "
      "rcr_approved_at FROM notifiable_events ORDER BY id",
      {}, [&](const store::RowView& r) {
        auto aware = OptInstant(r, 3);
        if (!aware) {
          return Status::Ok();
        }
        NotifiableEvent e;
        e.id = r.Int(0);
        e.kind = Str(r, 1);
        e.description = Str(r, 2);
        e.became_aware_at = *aware;
        e.customer_notified_at = OptInstant(r, 4);
        e.rcr_provided_at = OptInstant(r, 5);
        e.rcr_approved_at = OptInstant(r, 6);
        in.notifiable_events.push_back(std::move(e));
        return Status::Ok();
      });
}

Status LoadRcr(store::Connection& conn, Inputs& in) {
  in.rcr.clear();
  return conn.ForEach(
      "SELECT id, ref, change, status, date_agreed, implementation_due_date, implemented_date, "
      "created_at FROM rcr ORDER BY id",
      {}, [&](const store::RowView& r) {
        RcrEntry e;
        e.id = r.Int(0);
        e.ref = Str(r, 1);
        e.change = Str(r, 2);
        e.status = Str(r, 3);
        e.date_agreed = OptDate(r, 4);
        e.implementation_due_date = OptDate(r, 5);
        e.implemented_date = OptDate(r, 6);
        e.created_at = OptInstant(r, 7).value_or(Instant{});
        in.rcr.push_back(std::move(e));
        return Status::Ok();
      });
}

Status LoadParties(store::Connection& conn, Inputs& in) {
  in.parties.clear();
  return conn.ForEach(
      "SELECT id, kind, name, access_to_customer_data FROM parties ORDER BY id", {},
      [&](const store::RowView& r) {
        in.parties.push_back(PartyInfo{r.Int(0), Str(r, 1), Str(r, 2), r.Int(3) != 0});
        return Status::Ok();
      });
}

Status LoadCertifications(store::Connection& conn, Inputs& in) {
  in.certifications.clear();
  return conn.ForEach(
      "SELECT id, party_id, scheme, certificate_number, issue_date, expiry_date, "
      "provided_to_customer_date, withdrawn_date, lapse_notified_date FROM certifications "
      "ORDER BY id",
      {}, [&](const store::RowView& r) {
        Certification c;
        c.id = r.Int(0);
        c.party_id = r.Int(1);
        c.scheme = Str(r, 2);
        c.certificate_number = Str(r, 3);
        c.issue_date = OptDate(r, 4);
        c.expiry_date = OptDate(r, 5);
        c.provided_to_customer_date = OptDate(r, 6);
        c.withdrawn_date = OptDate(r, 7);
        c.lapse_notified_date = OptDate(r, 8);
        in.certifications.push_back(std::move(c));
        return Status::Ok();
      });
}

Status LoadDeliverables(store::Connection& conn, Inputs& in) {
  in.deliverables.clear();
  return conn.ForEach(
      "SELECT id, kind, title, performed_on, provided_to_customer_date, period FROM deliverables "
      "ORDER BY performed_on, id",
      {}, [&](const store::RowView& r) {
        auto on = OptDate(r, 3);
        if (!on) {
          return Status::Ok();
        }
        in.deliverables.push_back(
            Deliverable{r.Int(0), Str(r, 1), Str(r, 2), *on, OptDate(r, 4), Str(r, 5)});
        return Status::Ok();
      });
}

Status LoadRmdVersions(store::Connection& conn, Inputs& in) {
  in.rmd_versions.clear();
  return conn.ForEach("SELECT version, issued_at FROM rmd_versions ORDER BY version", {},
                      [&](const store::RowView& r) {
                        auto at = OptInstant(r, 1);
                        if (at) {
                          in.rmd_versions.push_back(RmdVersion{r.Int(0), *at});
                        }
                        return Status::Ok();
                      });
}

Status LoadSites(store::Connection& conn, Inputs& in) {
  in.sites.clear();
  return conn.ForEach(
      "SELECT id, name, used_for_destruction, destruction_party_id FROM sites ORDER BY id", {},
      [&](const store::RowView& r) {
        Site s{r.Int(0), Str(r, 1), r.Int(2) != 0, std::nullopt};
        if (!r.IsNull(3)) {
          s.destruction_party_id = r.Int(3);
        }
        in.sites.push_back(std::move(s));
        return Status::Ok();
      });
}

Status LoadProducts(store::Connection& conn, Inputs& in) {
  in.products.clear();
  return conn.ForEach(
      "SELECT id, vendor, name, version, product_type, mainstream_support_end, "
      "support_exception_agreed_date, support_exception_reference, retired_date FROM products "
      "ORDER BY id",
      {}, [&](const store::RowView& r) {
        Product p;
        p.id = r.Int(0);
        for (int i : {1, 2, 3}) {
          if (!r.Text(i).empty()) {
            p.label += (p.label.empty() ? "" : " ") + Str(r, i);
          }
        }
        p.product_type = Str(r, 4);
        p.mainstream_support_end = OptDate(r, 5);
        p.exception_agreed_date = OptDate(r, 6);
        p.exception_reference = Str(r, 7);
        p.retired_date = OptDate(r, 8);
        in.products.push_back(std::move(p));
        return Status::Ok();
      });
}

Status LoadWaivers(store::Connection& conn, Inputs& in) {
  in.waivers.clear();
  return conn.ForEach(
      "SELECT id, obligation_key, agreed_with, agreed_date FROM obligation_waivers "
      "ORDER BY agreed_date, id",
      {}, [&](const store::RowView& r) {
        Waiver w{r.Int(0), Str(r, 1), Str(r, 2), OptDate(r, 3)};
        in.waivers[w.obligation_key].push_back(std::move(w));
        return Status::Ok();
      });
}

const std::vector<std::pair<std::string, Loader>>& Loaders() {
  static const auto* loaders = new std::vector<std::pair<std::string, Loader>>{
      {"contract", LoadContract},
      {"accreditation_events", LoadAccreditationEvents},
      {"notifiable_events", LoadNotifiableEvents},
      {"rcr", LoadRcr},
      {"parties", LoadParties},
      {"certifications", LoadCertifications},
      {"deliverables", LoadDeliverables},
      {"rmd_versions", LoadRmdVersions},
      {"sites", LoadSites},
      {"products", LoadProducts},
      {"obligation_waivers", LoadWaivers},
  };
  return *loaders;
}

}  // namespace

const PartyInfo* Inputs::Party(std::int64_t id) const {
  auto it = std::lower_bound(parties.begin(), parties.end(), id,
                             [](const PartyInfo& p, std::int64_t v) { return p.id < v; });
  return it != parties.end() && it->id == id ? &*it : nullptr;
}

const std::vector<std::string>& SourceTables() {
  static const auto* tables = [] {
    auto* t = new std::vector<std::string>;
    for (const auto& [name, loader] : Loaders()) {
      t->push_back(name);
    }
    // The calendar's own tables (the engine reloads the calendar when they change).
    t->push_back("contract_closure_days");
    t->push_back("calendar_imported_holidays");
    return t;
  }();
  return *tables;
}

Status LoadTable(store::Connection& conn, std::string_view table, Inputs& inputs) {
  for (const auto& [name, loader] : Loaders()) {
    if (name == table) {
      return loader(conn, inputs);
    }
  }
  if (table == "contract_closure_days" || table == "calendar_imported_holidays") {
    return Status::Ok();  // calendar tables: read by Registers::LoadCalendar
  }
  return Err(ErrorCode::kNotFound, "clocks: no loader for table " + std::string(table));
}

Result<Inputs> LoadInputs(store::Connection& conn) {
  Inputs in;
  ACC_ASSIGN_OR_RETURN(auto tx, conn.Begin(store::TxMode::kRead));
  for (const auto& [name, loader] : Loaders()) {
    ACC_RETURN_IF_ERROR(loader(conn, in));
  }
  ACC_RETURN_IF_ERROR(tx.Commit());
  return in;
}

}  // namespace accredit::clocks
