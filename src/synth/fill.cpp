#include "synth/fill.h"

#include <opencv2/imgproc.hpp>

#include "synth/field_writing.h"
#include "synth/marks.h"

namespace carescan::synth {
namespace {

cv::Rect2d zone_of(const forms::BoxMm& b) {
  return box_px(b.x, b.y, b.w, b.h);
}

std::vector<cv::Rect2d> cells_of(const forms::FieldSpec& f) {
  std::vector<cv::Rect2d> out;
  for (const auto& c : f.cells) out.push_back(zone_of(c));
  return out;
}

std::vector<std::string> each_char(const std::string& text) {
  std::vector<std::string> out;
  for (char c : text) out.emplace_back(1, c);
  return out;
}

std::string two(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

std::string written_date(const core::Date& d, bool short_year) {
  const std::string year = std::to_string(d.year);
  return two(d.day) + "/" + two(d.month) + "/" + (short_year ? year.substr(2) : year);
}

std::string written_amount(const core::Money& m, bool cents, bool group) {
  const std::string text = m.french(group);
  return cents ? text : text.substr(0, text.find(','));
}

// A hand other than `other`'s, so that two writers on one sheet look different.
Hand another_hand(Rng& rng, size_t fonts, const Hand& other) {
  Hand h = random_hand(rng, fonts);
  for (int i = 0; i < 4 && h.font == other.font && fonts > 1; ++i) h = random_hand(rng, fonts);
  return h;
}

class SheetFiller {
 public:
  SheetFiller(const forms::FormTemplate& tpl, cv::Mat& page, FontKit fonts, Rng& rng)
      : tpl_(tpl), page_(page), fonts_(fonts), rng_(rng) {}

  const forms::FieldSpec* field(const std::string& id) const { return tpl_.field(id); }

  void line(const Hand& h, const std::string& id, const std::optional<std::string>& text,
            double slip = 0.0) {
    const auto* f = field(id);
    if (f == nullptr || !text) return;
    write_on_line(page_, fonts_.hands, h, *text, zone_of(f->box), {8, slip, 0.6}, rng_);
    if (!text->empty()) written_.fields.emplace_back(id, *text);
  }

  void comb(const Hand& h, const std::string& id, const std::vector<std::string>& chars) {
    const auto* f = field(id);
    if (f == nullptr) return;
    write_in_comb(page_, fonts_.hands, h, chars, cells_of(*f), 0.08, rng_);
    std::string drawn;
    for (size_t i = 0; i < chars.size() && i < f->cells.size(); ++i) drawn += chars[i];
    if (!drawn.empty()) written_.fields.emplace_back(id, drawn);
  }

  void comb_date(const Hand& h, const std::string& id, const std::optional<core::Date>& d) {
    if (!d) return;
    comb(h, id, each_char(two(d->day) + two(d->month) + std::to_string(d->year)));
  }

  // Whole dirhams right-aligned in the cells before the printed separator, centimes after.
  void comb_amount(const Hand& h, const std::string& id, const std::optional<core::Money>& m) {
    const auto* f = field(id);
    if (f == nullptr || !m) return;
    const size_t n = f->cells.size();
    std::vector<std::string> chars(n);
    const std::string whole = std::to_string(m->centimes / 100);
    const std::string cents = two(static_cast<int>(m->centimes % 100));
    chars[n - 2] = cents.substr(0, 1);
    chars[n - 1] = cents.substr(1, 1);
    for (size_t i = 0; i < whole.size() && i < n - 2; ++i) {
      chars[n - 3 - i] = whole.substr(whole.size() - 1 - i, 1);
    }
    comb(h, id, chars);
  }

  // Text put on the page by other means (the printed sheet number).
  void record(const std::string& id, const std::string& text) {
    written_.fields.emplace_back(id, text);
  }

  void tick(const Hand& h, const std::string& id) {
    if (const auto* f = field(id)) tick_box(page_, h, zone_of(f->box), rng_);
  }

  void free_amount(const Hand& h, const std::string& id, const std::optional<core::Money>& m) {
    const auto* f = field(id);
    if (f == nullptr || !m) return;
    const bool cents = m->centimes % 100 != 0 || !chance(rng_, 0.2);
    const std::string text = written_amount(*m, cents, chance(rng_, 0.6));
    write_on_line(page_, fonts_.hands, h, text, zone_of(f->box), {3, 0, 0.6}, rng_);
    written_.fields.emplace_back(id, text);
  }

  void table_line(const Hand& h, const ContentLine& l) {
    const auto* table = field(l.table);
    if (table == nullptr || l.row >= static_cast<int>(table->rows.size())) return;
    const forms::TableRow& row = table->rows[static_cast<size_t>(l.row)];
    WrittenLine drawn{l.table, l.row, {}};
    for (const auto& cell : row.cells) {
      std::optional<std::string> text;
      if (cell.column == "date") text = written_date(l.date, l.short_year);
      if (cell.column == "act" || cell.column == "drug") text = l.description;
      if (cell.column == "key_letter" || cell.column == "code") text = l.code;
      if (cell.column == "coefficient" && l.coefficient) text = std::to_string(*l.coefficient);
      if (cell.column == "quantity" && l.quantity) text = std::to_string(*l.quantity);
      if (cell.column == "tooth" && l.tooth) text = std::to_string(*l.tooth);
      if (cell.column == "amount")
        text = written_amount(l.amount, l.write_cents, l.group_thousands);
      if (!text) continue;
      write_on_line(page_, fonts_.hands, h, *text, zone_of(cell.box), {2, 0.02, 0.5}, rng_);
      if (!text->empty()) drawn.cells.emplace_back(cell.column, *text);
    }
    written_.lines.push_back(std::move(drawn));
  }

  // The provider's stamp over their box, often spilling onto the table beside it, and their
  // signature across it.
  void stamp(const Hand& h, const std::string& id, const Provider& p) {
    const auto* f = field(id);
    if (f == nullptr) return;
    const cv::Rect2d zone = zone_of(f->box);
    const InkMark mark = ink_stamp(fonts_.print, p.stamp_lines, kPxPerMm, rng_);
    cv::Point2d at(zone.x + zone.width / 2, zone.y + zone.height * uniform(rng_, 0.35, 0.6));
    if (chance(rng_, 0.5)) at.x -= uniform(rng_, 0.15, 0.45) * zone.width;
    at += cv::Point2d(normal(rng_, 0, 2 * kPxPerMm), normal(rng_, 0, 2 * kPxPerMm));
    // Paper ends where the page does: the stamp stays on it, a few millimetres from the edge.
    const double margin = 5 * kPxPerMm;
    at.x = std::clamp(
        at.x, mark.anchor.x + margin,
        std::max(mark.anchor.x + margin, page_.cols - margin - (mark.alpha.cols - mark.anchor.x)));
    lay_ink_at_anchor(page_, mark, at, random_stamp_pad(rng_), rng_);
    if (chance(rng_, 0.92)) {
      const cv::Rect2d lower(zone.x, zone.y + zone.height * 0.45, zone.width, zone.height * 0.5);
      sign_in(page_, h, lower, rng_);
    }
  }

  void vignettes(const std::vector<const ContentLine*>& drugs) {
    const auto* f = field("vignettes");
    if (f == nullptr || drugs.empty()) return;
    const cv::Rect2d zone = zone_of(f->box);
    double x = zone.x + uniform(rng_, 1, 4) * kPxPerMm;
    for (const ContentLine* d : drugs) {
      if (!d->unit_price || x > zone.x + zone.width * 0.8) break;
      const Sticker s =
          vignette_sticker(fonts_.print, d->description,
                           written_amount(*d->unit_price, true, false), kPxPerMm, rng_);
      const double y = zone.y + uniform(rng_, 0.5, 4) * kPxPerMm;
      paste(page_, s.patch, s.mask, cv::Point(cvRound(x), cvRound(y)));
      x += s.patch.cols * uniform(rng_, 0.75, 1.05);
    }
  }

  Written take_written() { return std::move(written_); }

 private:
  const forms::FormTemplate& tpl_;
  cv::Mat& page_;
  FontKit fonts_;
  Rng& rng_;
  Written written_;
};

}  // namespace

void print_sheet_number(cv::Mat& page, const cv::Mat& blank, const cv::Rect2d& zone_d,
                        const std::string& number, FontSet& print, Rng& rng) {
  const cv::Rect zone = cv::Rect(zone_d) & cv::Rect(0, 0, blank.cols, blank.rows);
  const cv::Rect printed = cv::boundingRect(blank(zone) < 128);
  if (printed.empty()) return;
  const cv::Rect old(zone.x + printed.x, zone.y + printed.y, printed.width, printed.height);
  const int margin = 3;
  page(cv::Rect(old.x - margin, old.y - margin, old.width + 2 * margin, old.height + 2 * margin) &
       zone)
      .setTo(cv::Scalar::all(255));
  const Hand typed = print_hand(print.find("DejaVuSans-Bold"), old.height / kPxPerMm,
                                Ink{cv::Scalar::all(0), 1.0, 0.0});
  const InkMark mark = write_text(print, typed, number, kPxPerMm, rng);
  // Right-aligned on the old number's right edge and baseline, as the printer does.
  lay_ink(
      page, mark.alpha,
      cv::Point(old.x + old.width - mark.alpha.cols, cvRound(old.y + old.height - mark.anchor.y)),
      typed.ink, rng);
}

FilledSheet fill_sheet(const forms::FormTemplate& tpl, const cv::Mat& blank, const SheetContent& s,
                       FontKit fonts, Rng& rng) {
  cv::Mat page;
  cv::cvtColor(blank, page, cv::COLOR_GRAY2BGR);
  if (const auto* f = tpl.field("sheet_number")) {
    print_sheet_number(page, blank, zone_of(f->box), s.sheet_number, fonts.print, rng);
  }
  SheetFiller fill(tpl, page, fonts, rng);
  if (tpl.field("sheet_number") != nullptr) fill.record("sheet_number", s.sheet_number);
  const size_t n = fonts.hands.size();
  const Hand student = random_hand(rng, n);
  const Hand doctor = another_hand(rng, n, student);
  const Hand pharmacist = another_hand(rng, n, student);
  const Hand lab = another_hand(rng, n, student);

  fill.line(student, "insured_name", s.insured_name, 0.05);
  fill.comb(student, "cin", each_char(s.cin));
  fill.comb_date(student, "birth_date", s.birth_date);
  if (s.sex) fill.tick(student, *s.sex == 'M' ? "sex_m" : "sex_f");
  fill.line(student, "institution", s.institution, 0.04);

  const bool dental = tpl.field("dental_acts") != nullptr;
  if (s.ald_code) fill.comb(doctor, "ald_code", each_char(*s.ald_code));
  if (s.pec_number) fill.comb(doctor, "pec_number", each_char(*s.pec_number));
  if (s.ald_related) fill.tick(doctor, *s.ald_related ? "ald_related_yes" : "ald_related_no");
  for (int t : s.teeth) fill.tick(doctor, "tooth_" + std::to_string(t));
  if (s.prosthesis_quote.value_or(false)) fill.tick(doctor, "prosthesis_quote");

  std::vector<const ContentLine*> drugs;
  for (const auto& l : s.lines) {
    const Hand& h = l.table == "pharmacy_items" ? pharmacist
                    : l.table == "other_acts"   ? lab
                                                : doctor;
    fill.table_line(h, l);
    if (l.table == "pharmacy_items" && chance(rng, 0.5)) drugs.push_back(&l);
  }
  const std::string care_table = dental ? "dental_acts" : "medical_acts";
  if (s.has_table(care_table)) {
    fill.comb(doctor, dental ? "dentist_inpe" : "doctor_inpe", each_char(s.doctor.inpe));
    fill.free_amount(doctor, dental ? "dental_total" : "medical_total",
                     dental ? s.dental_total : s.medical_total);
    fill.stamp(doctor, dental ? "dentist_stamp" : "doctor_stamp", s.doctor);
  }
  if (s.has_table("pharmacy_items")) {
    fill.free_amount(pharmacist, "pharmacy_total", s.pharmacy_total);
    fill.stamp(pharmacist, "pharmacist_stamp", s.pharmacist);
    fill.vignettes(drugs);
  }
  if (s.has_table("other_acts")) fill.stamp(lab, "lab_stamp", s.lab);

  fill.comb_amount(student, "total_amount", s.total_amount);
  fill.line(student, "signature_place", s.signature_place, 0.03);
  fill.comb_date(student, "signature_date", s.signature_date);
  if (s.insured_signature) {
    if (const auto* f = tpl.field("insured_signature"))
      sign_in(page, student, zone_of(f->box), rng);
  }
  return {page, fill.take_written()};
}

}  // namespace carescan::synth
