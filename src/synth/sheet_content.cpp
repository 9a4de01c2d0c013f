#include "synth/sheet_content.h"

#include <algorithm>
#include <cmath>

namespace carescan::synth {
namespace {

using core::Date;
using core::Money;

std::string digits(Rng& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + uniform_int(rng, 0, 9)));
  return out;
}

// Index drawn from relative weights.
int weighted(Rng& rng, const std::vector<double>& weights) {
  return std::discrete_distribution<int>(weights.begin(), weights.end())(rng);
}

const ActSpec& pick_act(Rng& rng, const std::vector<ActSpec>& acts) {
  std::vector<double> w;
  w.reserve(acts.size());
  for (const auto& a : acts) w.push_back(std::max(a.weight, 1));
  return acts[static_cast<size_t>(weighted(rng, w))];
}

// A fee as providers charge: round tens or fifties, now and then with centimes.
Money fee(Rng& rng, int lo_dh, int hi_dh) {
  const int step = chance(rng, 0.5) ? 50 : 10;
  const int lo = (lo_dh + step - 1) / step, hi = std::max(lo, hi_dh / step);
  Money m = Money::from_dirhams(static_cast<std::int64_t>(uniform_int(rng, lo, hi)) * step);
  if (chance(rng, 0.1)) m.centimes += 50;
  return m;
}

std::string phone(Rng& rng) {
  return "Tél 05 " + digits(rng, 2) + " " + digits(rng, 2) + " " + digits(rng, 2) + " " +
         digits(rng, 2);
}

std::string name_of(Rng& rng, const Vocabulary& v) {
  return pick(rng, v.last_names) + " " +
         pick(rng, chance(rng, 0.5) ? v.first_names_male : v.first_names_female);
}

std::string title_case(const std::string& caps) {
  std::string out = caps;
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i - 1] != ' ' && out[i] >= 'A' && out[i] <= 'Z')
      out[i] = static_cast<char>(out[i] + 32);
  }
  return out;
}

// How many rows a provider fills, at most `rows`.
int row_count(Rng& rng, const std::vector<double>& weights, int rows) {
  return std::min(weighted(rng, weights), rows);
}

struct Span {
  Date first;
  Date last;
};

Date within(Rng& rng, const Date& from, int max_days, const Date& cap) {
  const Date d = from.plus_days(uniform_int(rng, 0, max_days));
  return d > cap ? cap : d;
}

void fill_table(SheetContent& s, const forms::FieldSpec& table, const Vocabulary& v,
                const Date& first_care, const Date& cap, Rng& rng) {
  const int rows = static_cast<int>(table.rows.size());
  int n = 0;
  if (table.id == "medical_acts") n = row_count(rng, {0.12, 0.55, 0.22, 0.08, 0.03}, rows);
  if (table.id == "pharmacy_items") n = row_count(rng, {0.2, 0.3, 0.28, 0.14, 0.05, 0.03}, rows);
  if (table.id == "dental_acts")
    n = std::max(1, row_count(rng, {0, 0.4, 0.3, 0.18, 0.08, 0.04}, rows));
  if (table.id == "other_acts") n = row_count(rng, {0.7, 0.2, 0.1}, rows);
  const bool short_year = chance(rng, 0.25);  // one writer per table keeps one date habit
  std::vector<ContentLine> lines;
  for (int r = 0; r < n; ++r) {
    ContentLine l;
    l.table = table.id;
    l.short_year = short_year;
    l.write_cents = !chance(rng, 0.25);
    l.group_thousands = chance(rng, 0.6);
    if (table.id == "medical_acts") {
      const ActSpec& a = pick_act(rng, v.medical_acts);
      l.date = within(rng, first_care, 3, cap);
      l.description = a.description;
      l.code = a.code;
      l.coefficient = uniform_int(rng, a.coefficient_min, a.coefficient_max);
      if (a.unit_dh > 0) {  // letter x coefficient, with the free fee's usual margin
        const double dh = *l.coefficient * a.unit_dh * uniform(rng, 1.0, 1.4);
        l.amount = Money::from_dirhams(static_cast<std::int64_t>(std::round(dh / 10) * 10));
      } else {
        l.amount = fee(rng, a.amount_min_dh, a.amount_max_dh);
      }
    } else if (table.id == "pharmacy_items") {
      // A prescription rarely lists a drug twice: draw again when it does.
      const DrugSpec* d = &pick(rng, v.drugs);
      for (int again = 0;
           again < 3 && std::any_of(lines.begin(), lines.end(),
                                    [&](const auto& o) { return o.description == d->description; });
           ++again) {
        d = &pick(rng, v.drugs);
      }
      l.date = within(rng, first_care, 4, cap);
      l.description = d->description;
      l.quantity = weighted(rng, {0, 0.6, 0.3, 0.1});
      const Money unit{
          static_cast<std::int64_t>(uniform_int(rng, d->unit_min_dh * 10, d->unit_max_dh * 10)) *
          10};
      l.unit_price = unit;
      l.amount = Money{unit.centimes * *l.quantity};
    } else if (table.id == "dental_acts") {
      const ActSpec& a = pick_act(rng, v.dental_acts);
      l.date = within(rng, first_care, 14, cap);
      l.description = a.description;
      l.code = a.code;
      l.tooth = s.teeth.empty() ? 11 : pick(rng, s.teeth);
      l.amount = fee(rng, a.amount_min_dh, a.amount_max_dh);
      if (a.prosthesis && chance(rng, 0.7)) s.prosthesis_quote = true;
    } else {
      const ActSpec& a = pick(rng, s.form == "dentaire" ? v.dental_imaging : v.other_acts);
      l.date = within(rng, first_care, 14, cap);
      l.description = a.description;
      l.amount = fee(rng, a.amount_min_dh, a.amount_max_dh);
    }
    if (l.amount.centimes % 100 != 0) l.write_cents = true;
    lines.push_back(std::move(l));
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const ContentLine& a, const ContentLine& b) { return a.date < b.date; });
  for (int r = 0; r < n; ++r) {
    lines[static_cast<size_t>(r)].row = r;
    s.lines.push_back(lines[static_cast<size_t>(r)]);
  }
}

Provider doctor(Rng& rng, const Vocabulary& v, const std::string& city, bool dentist) {
  Provider p;
  p.inpe = digits(rng, 9);
  const std::string name = name_of(rng, v);
  p.stamp_lines = {"Dr " + title_case(name),
                   dentist ? std::string("Chirurgien-dentiste") : pick(rng, v.doctor_titles),
                   "INPE " + p.inpe, phone(rng), title_case(city)};
  if (chance(rng, 0.3)) p.stamp_lines.erase(p.stamp_lines.begin() + 3);
  return p;
}

}  // namespace

bool SheetContent::has_table(const std::string& table) const {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const ContentLine& l) { return l.table == table; });
}

std::string section_total_field(const std::string& table) {
  if (table == "medical_acts") return "medical_total";
  if (table == "pharmacy_items") return "pharmacy_total";
  if (table == "dental_acts") return "dental_total";
  return "";
}

SheetContent generate_content(const forms::FormTemplate& tpl, const Vocabulary& v, Rng& rng) {
  SheetContent s;
  s.form = tpl.form;
  s.sheet_number =
      std::string(1, static_cast<char>('A' + uniform_int(rng, 0, 25))) + " " + digits(rng, 7);

  const bool male = chance(rng, 0.5);
  s.insured_name =
      pick(rng, v.last_names) + " " + pick(rng, male ? v.first_names_male : v.first_names_female);
  s.cin = pick(rng, v.cin_prefixes) + digits(rng, chance(rng, 0.75) ? 6 : 5);
  if (s.cin.size() > 8) s.cin.resize(8);
  s.sex = male ? 'M' : 'F';
  if (chance(rng, 0.04)) s.sex.reset();
  const std::string city = pick(rng, v.cities);
  std::string institution = pick(rng, v.institution_patterns);
  institution.replace(institution.find("{city}"), 6, city);
  if (!chance(rng, 0.03)) s.institution = institution;
  if (!chance(rng, 0.04)) s.signature_place = chance(rng, 0.85) ? city : pick(rng, v.cities);

  // Care first, then the student signs within days; nothing after the generator's "today".
  const long span = v.last_day.days_since_epoch() - v.first_day.days_since_epoch();
  const Date first_care = v.first_day.plus_days(uniform_int(rng, 0, static_cast<int>(span - 30)));
  const Date& cap = v.last_day;

  if (tpl.field("tooth_11") != nullptr) {
    std::vector<int> all;
    for (const auto& f : tpl.fields) {
      if (f.id.rfind("tooth_", 0) == 0) all.push_back(std::stoi(f.id.substr(6)));
    }
    const int n = weighted(rng, {0, 0.5, 0.3, 0.2});
    for (int i = 0; i < n; ++i) {
      const int t = pick(rng, all);
      if (std::find(s.teeth.begin(), s.teeth.end(), t) == s.teeth.end()) s.teeth.push_back(t);
    }
    std::sort(s.teeth.begin(), s.teeth.end());
    s.prosthesis_quote = false;
  }
  for (int attempt = 0; attempt < 8 && s.lines.empty(); ++attempt) {
    for (const forms::FieldSpec* table : tpl.tables())
      fill_table(s, *table, v, first_care, cap, rng);
  }

  Date last_care = first_care;
  for (const auto& l : s.lines) last_care = std::max(last_care, l.date);
  s.signature_date = within(rng, last_care, 10, cap);

  Money declared;
  for (const forms::FieldSpec* table : tpl.tables()) {
    Money sum;
    for (const auto& l : s.lines) {
      if (l.table == table->id) sum += l.amount;
    }
    const std::string total = section_total_field(table->id);
    if (s.has_table(table->id)) declared += sum;
    if (total.empty() || !s.has_table(table->id)) continue;
    if (total == "medical_total") s.medical_total = sum;
    if (total == "pharmacy_total") s.pharmacy_total = sum;
    if (total == "dental_total") s.dental_total = sum;
  }
  s.total_amount = declared;

  const bool dentist = tpl.field("dental_acts") != nullptr;
  s.doctor = doctor(rng, v, city, dentist);
  s.pharmacist.inpe = digits(rng, 9);
  s.pharmacist.stamp_lines = {"PHARMACIE " + pick(rng, v.pharmacy_names),
                              "Dr " + title_case(name_of(rng, v)), title_case(city), phone(rng)};
  s.lab.inpe = digits(rng, 9);
  s.lab.stamp_lines = {chance(rng, 0.5) ? "LABORATOIRE D'ANALYSES" : "CABINET DE RADIOLOGIE",
                       "Dr " + title_case(name_of(rng, v)), title_case(city), phone(rng)};
  if (tpl.field("ald_code") != nullptr) {
    s.ald_code = digits(rng, 2);
    s.pec_number = digits(rng, 10);
    if (!chance(rng, 0.1)) s.ald_related = chance(rng, 0.7);
  }
  s.insured_signature = !chance(rng, 0.05);

  // Students are 17 to 30; a small share of deliberate defects tests the rules downstream.
  int age = 18 + weighted(rng, {3, 8, 10, 10, 9, 7, 5, 4, 3, 2, 1, 1});
  if (chance(rng, 0.02)) age = 17;
  const double defect_draw = uniform(rng, 0, 1);
  const double share = v.defect_rate / 3;
  if (defect_draw < share) {
    s.defects.emplace_back("total_mismatch");
    const std::int64_t off = static_cast<std::int64_t>(uniform_int(rng, 1, 20)) * 1000;
    s.total_amount =
        Money{std::max<std::int64_t>(100, declared.centimes + (chance(rng, 0.5) ? off : -off))};
    if (*s.total_amount == declared) s.total_amount = declared + Money{1000};
  } else if (defect_draw < 2 * share && first_care > v.first_day.plus_days(10)) {
    s.defects.emplace_back("signature_before_care");
    s.signature_date = first_care.plus_days(-uniform_int(rng, 1, 10));
  } else if (defect_draw < 3 * share) {
    s.defects.emplace_back("over_age");
    age = uniform_int(rng, 31, 40);
  }
  s.birth_date =
      s.signature_date.plus_days(-static_cast<long>(age * 365.25 + uniform_int(rng, 5, 355)));
  if (chance(rng, 0.02) && s.defects.empty()) s.birth_date.reset();
  return s;
}

}  // namespace carescan::synth
