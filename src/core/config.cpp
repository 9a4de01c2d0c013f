#include "core/config.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/json_util.h"

extern char** environ;  // NOLINT: POSIX; read once at the CLI boundary.

namespace carescan::core {
namespace {

std::filesystem::path resolve(const std::filesystem::path& root, const std::string& p) {
  std::filesystem::path path(p);
  return path.is_absolute() ? path : root / path;
}

std::vector<std::filesystem::path> path_list(const Poco::JSON::Object::Ptr& obj,
                                             const std::string& key, const std::string& where,
                                             const std::filesystem::path& root) {
  std::vector<std::filesystem::path> out;
  auto arr = require_array(obj, key, where);
  for (unsigned i = 0; i < arr->size(); ++i) {
    if (!arr->get(i).isString()) throw DataError(where + ": \"" + key + "\" must list strings");
    out.push_back(resolve(root, arr->getElement<std::string>(i)));
  }
  return out;
}

long long dh_to_centimes(double dh) {
  return std::llround(dh * 100);
}

int positive_int(double v, const std::string& what) {
  if (v < 1 || v != static_cast<int>(v)) throw DataError(what + " must be a positive integer");
  return static_cast<int>(v);
}

double number_or(const Poco::JSON::Object::Ptr& obj, const std::string& key, double fallback,
                 const std::string& where) {
  return obj->has(key) ? require_number(obj, key, where) : fallback;
}

// Every key is optional: a missing one keeps the default in config.h.
ServiceConfig load_service(const Poco::JSON::Object::Ptr& svc, const std::string& where,
                           const std::filesystem::path& root) {
  ServiceConfig s;
  auto count = [&](const std::string& key, int fallback) {
    return positive_int(number_or(svc, key, fallback, where), where + "." + key);
  };
  auto positive = [&](const std::string& key, double fallback) {
    const double v = number_or(svc, key, fallback, where);
    if (v <= 0) throw DataError(where + "." + key + " must be positive");
    return v;
  };
  if (svc->has("listen_address")) s.listen_address = require_string(svc, "listen_address", where);
  s.port = count("port", s.port);
  s.http_threads = count("http_threads", s.http_threads);
  s.max_body_bytes =
      static_cast<long long>(positive("max_body_bytes", static_cast<double>(s.max_body_bytes)));
  s.max_queued_pages = count("max_queued_pages", s.max_queued_pages);
  s.retry_after_seconds = count("retry_after_seconds", s.retry_after_seconds);
  s.page_size = count("page_size", s.page_size);
  s.max_page_size = count("max_page_size", s.max_page_size);
  s.rate_per_second = positive("rate_per_second", s.rate_per_second);
  s.rate_burst = positive("rate_burst", s.rate_burst);
  s.session_ttl_seconds = count("session_ttl_seconds", s.session_ttl_seconds);
  s.password_iterations = count("password_iterations", s.password_iterations);
  s.lease_seconds = count("lease_seconds", s.lease_seconds);
  s.worker_idle_ms = count("worker_idle_ms", s.worker_idle_ms);
  if (svc->has("engine_url") && !svc->isNull("engine_url")) {
    s.engine_url = require_string(svc, "engine_url", where);
  }
  if (svc->has("delivery")) {
    auto d = require_object(svc, "delivery", where);
    const std::string dw = where + ".delivery";
    s.delivery_max_attempts = positive_int(
        number_or(d, "max_attempts", s.delivery_max_attempts, dw), dw + ".max_attempts");
    s.delivery_backoff_seconds = number_or(d, "backoff_seconds", s.delivery_backoff_seconds, dw);
    s.delivery_backoff_max_seconds =
        number_or(d, "backoff_max_seconds", s.delivery_backoff_max_seconds, dw);
    s.delivery_timeout_seconds = positive_int(
        number_or(d, "timeout_seconds", s.delivery_timeout_seconds, dw), dw + ".timeout_seconds");
    if (s.delivery_backoff_seconds <= 0 ||
        s.delivery_backoff_max_seconds < s.delivery_backoff_seconds) {
      throw DataError(dw + ": backoff_seconds must be positive and at most backoff_max_seconds");
    }
  }
  if (svc->has("tls")) {
    auto tls = require_object(svc, "tls", where);
    auto path_of = [&](const std::string& key) -> std::filesystem::path {
      if (!tls->has(key) || tls->isNull(key)) return {};
      return resolve(root, require_string(tls, key, where + ".tls"));
    };
    s.tls_cert = path_of("cert");
    s.tls_key = path_of("key");
    if (s.tls_cert.empty() != s.tls_key.empty()) {
      throw DataError(where + ".tls: set both cert and key, or neither");
    }
  }
  return s;
}

StorageConfig load_storage(const Poco::JSON::Object::Ptr& st, const std::string& where,
                           const std::filesystem::path& root) {
  StorageConfig s;
  if (st->has("url")) s.url = require_string(st, "url", where);
  if (st->has("data_dir") && !st->isNull("data_dir")) {
    s.data_dir = resolve(root, require_string(st, "data_dir", where));
  }
  s.max_page_attempts = positive_int(number_or(st, "max_page_attempts", s.max_page_attempts, where),
                                     where + ".max_page_attempts");
  s.busy_timeout_ms = positive_int(number_or(st, "busy_timeout_ms", s.busy_timeout_ms, where),
                                   where + ".busy_timeout_ms");
  return s;
}

// A misspelt tuning key must not silently keep its default.
void refuse_unknown_keys(const Poco::JSON::Object::Ptr& obj, const std::vector<std::string>& known,
                         const std::string& where) {
  for (const auto& [key, _] : *obj) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw DataError(where + ": unknown key \"" + key + "\"");
    }
  }
}

// reader.extraction: every key optional (a missing one keeps the default in config.h), an
// unknown one refused so that a misspelt tuning key does not silently keep its default.
ExtractionSettings load_extraction(const Poco::JSON::Object::Ptr& obj, const std::string& where) {
  ExtractionSettings e;
  const std::vector<std::pair<const char*, int*>> counts = {
      {"ink_below", &e.ink_below},
      {"printed_below", &e.printed_below},
      {"printed_dilate_px", &e.printed_dilate_px},
      {"min_component_px", &e.min_component_px},
      {"blank_max_ink_px", &e.blank_max_ink_px},
      {"cell_blank_max_ink_px", &e.cell_blank_max_ink_px},
      {"tick_min_ink_px", &e.tick_min_ink_px},
      {"signature_min_ink_px", &e.signature_min_ink_px},
      {"comb_year_min", &e.comb_year_min},
      {"comb_year_max", &e.comb_year_max},
      {"signature_window_days", &e.signature_window_days}};
  std::vector<std::string> known = {"margin_mm", "row_amount_min_confidence",
                                    "signature_outside_weight", "sum_mend_max_log_odds",
                                    "care_date_mend_max_log_odds"};
  for (const auto& [key, _] : counts) known.emplace_back(key);
  refuse_unknown_keys(obj, known, where);
  for (const auto& [key, target] : counts) {
    if (!obj->has(key)) continue;
    const double v = require_number(obj, key, where);
    if (v < 0 || v != std::floor(v) || v > 1e6) {
      throw DataError(where + "." + key + " must be a non-negative integer");
    }
    *target = static_cast<int>(v);
  }
  e.margin_mm = number_or(obj, "margin_mm", e.margin_mm, where);
  if (e.margin_mm < 0 || e.margin_mm > 20) throw DataError(where + ".margin_mm must be 0..20");
  e.row_amount_min_confidence =
      number_or(obj, "row_amount_min_confidence", e.row_amount_min_confidence, where);
  if (e.row_amount_min_confidence < 0 || e.row_amount_min_confidence > 1) {
    throw DataError(where + ".row_amount_min_confidence must be 0..1");
  }
  e.signature_outside_weight =
      number_or(obj, "signature_outside_weight", e.signature_outside_weight, where);
  if (!(e.signature_outside_weight > 0 && e.signature_outside_weight <= 1)) {
    throw DataError(where + ".signature_outside_weight must be in (0, 1]");
  }
  e.sum_mend_max_log_odds = number_or(obj, "sum_mend_max_log_odds", e.sum_mend_max_log_odds, where);
  if (!(e.sum_mend_max_log_odds >= 0 && e.sum_mend_max_log_odds <= 50)) {
    throw DataError(where + ".sum_mend_max_log_odds must be 0..50");
  }
  e.care_date_mend_max_log_odds =
      number_or(obj, "care_date_mend_max_log_odds", e.care_date_mend_max_log_odds, where);
  if (!(e.care_date_mend_max_log_odds >= 0 && e.care_date_mend_max_log_odds <= 50)) {
    throw DataError(where + ".care_date_mend_max_log_odds must be 0..50");
  }
  for (auto [key, v] : {std::pair{"ink_below", e.ink_below}, {"printed_below", e.printed_below}}) {
    if (v < 1 || v > 255) throw DataError(where + "." + key + " must be a grey level 1..255");
  }
  if (e.comb_year_min > e.comb_year_max) {
    throw DataError(where + ": comb_year_min must not exceed comb_year_max");
  }
  return e;
}

// reader.matching: every key optional, each a share in [0, 1]; unknown keys refused.
MatchSettings load_matching(const Poco::JSON::Object::Ptr& obj, const std::string& where) {
  MatchSettings m;
  const std::vector<std::pair<const char*, double*>> shares = {
      {"blank_ink", &m.blank_ink},
      {"min_layout_score", &m.min_layout_score},
      {"confident_layout_score", &m.confident_layout_score},
      {"confident_margin", &m.confident_margin},
      {"min_registration_quality", &m.min_registration_quality},
      {"loose_layout_confidence", &m.loose_layout_confidence},
      {"unrelated_coverage", &m.unrelated_coverage},
      {"retry_below_coverage", &m.retry_below_coverage},
      {"unbend_below_quality", &m.unbend_below_quality}};
  std::vector<std::string> known;
  known.reserve(shares.size());
  for (const auto& [key, _] : shares) known.emplace_back(key);
  refuse_unknown_keys(obj, known, where);
  for (const auto& [key, target] : shares) {
    *target = number_or(obj, key, *target, where);
    if (!(*target >= 0 && *target <= 1)) throw DataError(where + "." + key + " must be 0..1");
  }
  if (m.confident_layout_score <= m.min_layout_score) {
    throw DataError(where + ": confident_layout_score must exceed min_layout_score");
  }
  if (m.confident_margin <= 0) throw DataError(where + ".confident_margin must be above 0");
  return m;
}

ThresholdFitConfig load_fit(const Poco::JSON::Object::Ptr& obj, const std::string& where) {
  ThresholdFitConfig f;
  f.target_precision = number_or(obj, "target_precision", f.target_precision, where);
  if (!(f.target_precision > 0 && f.target_precision <= 1)) {
    throw DataError(where + ".target_precision must be in (0, 1]");
  }
  f.min_count = positive_int(number_or(obj, "min_count", f.min_count, where), where + ".min_count");
  f.min_threshold = number_or(obj, "min_threshold", f.min_threshold, where);
  if (f.min_threshold < 0 || f.min_threshold > 1) {
    throw DataError(where + ".min_threshold must be 0..1");
  }
  if (obj->has("use_lower_bound")) {
    const auto v = obj->get("use_lower_bound");
    if (!v.isBoolean()) throw DataError(where + ".use_lower_bound must be true or false");
    f.use_lower_bound = v.extract<bool>();
  }
  return f;
}

// Replaces the configured threshold of each key field that `file` fitted. Fields the file has
// but config does not list as keys are not keys: left out.
void apply_fitted_thresholds(const std::filesystem::path& file, ClaimsConfig& claims) {
  auto obj = read_json_object(file);
  const std::string where = file.string();
  if (!obj->has("schema") || require_string(obj, "schema", where) != "carescan.thresholds/v1") {
    throw DataError(where + ": \"schema\" must be \"carescan.thresholds/v1\"");
  }
  auto fields = require_object(obj, "fields", where);
  for (const auto& [field, _] : *fields) {
    auto it = claims.accept_min_confidence.find(field);
    if (it == claims.accept_min_confidence.end()) continue;
    const std::string fw = where + ": fields." + field;
    auto entry = require_object(fields, field, where + ": fields");
    if (!entry->has("threshold")) throw DataError(fw + ": \"threshold\" is missing");
    if (entry->isNull("threshold")) {
      it->second = kNeverAccept;
    } else {
      const double t = require_number(entry, "threshold", fw);
      if (t < 0 || t > 1) throw DataError(fw + ".threshold must be 0..1 or null");
      it->second = t;
    }
    claims.fitted_fields.push_back(field);
  }
}

MailroomConfig load_mailroom(const Poco::JSON::Object::Ptr& m, const std::string& where,
                             const std::filesystem::path& root) {
  MailroomConfig out;
  if (m->has("dir") && !m->isNull("dir")) out.dir = resolve(root, require_string(m, "dir", where));
  out.poll_seconds = number_or(m, "poll_seconds", out.poll_seconds, where);
  if (out.poll_seconds <= 0) throw DataError(where + ".poll_seconds must be positive");
  if (m->has("office")) out.office = require_string(m, "office", where);
  return out;
}

}  // namespace

Config load_config(const std::filesystem::path& file,
                   const std::map<std::string, std::string>& env) {
  auto obj = read_json_object(file);
  const std::string where = file.string();
  Config cfg;
  cfg.root = std::filesystem::absolute(file).parent_path().parent_path();

  cfg.insurer_name =
      require_string(require_object(obj, "insurer", where), "name", where + ": insurer");

  auto paths = require_object(obj, "paths", where);
  cfg.forms_dir = resolve(cfg.root, require_string(paths, "forms_dir", where + ": paths"));
  cfg.models_dir = resolve(cfg.root, require_string(paths, "models_dir", where + ": paths"));
  cfg.data_dir = resolve(cfg.root, require_string(paths, "data_dir", where + ": paths"));

  auto val = require_object(obj, "validation", where);
  const std::string vw = where + ": validation";
  cfg.validation.deposit_deadline_days =
      positive_int(require_number(val, "deposit_deadline_days", vw), vw + ".deposit_deadline_days");
  cfg.validation.max_age_years =
      positive_int(require_number(val, "max_age_years", vw), vw + ".max_age_years");
  cfg.validation.implausible_total_centimes =
      static_cast<long long>(require_number(val, "implausible_total_dh", vw) * 100);

  if (val->has("line_amount_ranges_dh")) {
    auto ranges = require_object(val, "line_amount_ranges_dh", vw);
    for (const auto& [table, _] : *ranges) {
      auto range = require_array(ranges, table, vw + ".line_amount_ranges_dh");
      const std::string rw = vw + ".line_amount_ranges_dh." + table;
      if (range->size() != 2) throw DataError(rw + " must be [min, max]");
      cfg.validation.line_amount_ranges[table] = {dh_to_centimes(number_at(range, 0, rw)),
                                                  dh_to_centimes(number_at(range, 1, rw))};
    }
  }
  if (val->has("key_letters_dh")) {
    auto letters = require_object(val, "key_letters_dh", vw);
    for (const auto& [letter, _] : *letters) {
      cfg.validation.key_letter_centimes[letter] =
          dh_to_centimes(require_number(letters, letter, vw + ".key_letters_dh"));
    }
  }
  if (val->has("tariff_tolerance")) {
    cfg.validation.tariff_tolerance = require_number(val, "tariff_tolerance", vw);
  }

  if (obj->has("claims")) {
    auto claims = require_object(obj, "claims", where);
    const std::string cw = where + ": claims";
    auto accept = require_object(claims, "accept_min_confidence", cw);
    for (const auto& [field, _] : *accept) {
      const double t = require_number(accept, field, cw + ".accept_min_confidence");
      if (t < 0 || t > 1) throw DataError(cw + ".accept_min_confidence." + field + " must be 0..1");
      cfg.claims.accept_min_confidence[field] = t;
    }
    if (claims->has("thresholds") && !claims->isNull("thresholds")) {
      cfg.claims.thresholds = resolve(cfg.root, require_string(claims, "thresholds", cw));
    }
    if (claims->has("fit")) {
      cfg.claims.fit = load_fit(require_object(claims, "fit", cw), cw + ".fit");
    }
    if (claims->has("today") && !claims->isNull("today")) {
      cfg.claims.today = parse_iso_date(require_string(claims, "today", cw));
      if (!cfg.claims.today) throw DataError(cw + ".today must be an ISO date or null");
    }
  }

  auto reader = require_object(obj, "reader", where);
  const std::string rw = where + ": reader";
  cfg.reader.workers = positive_int(require_number(reader, "workers", rw), rw + ".workers");
  cfg.reader.pdf_dpi = positive_int(require_number(reader, "pdf_dpi", rw), rw + ".pdf_dpi");
  cfg.reader.max_pixels_per_page =
      static_cast<long long>(require_number(reader, "max_pixels_per_page", rw));
  cfg.reader.max_pdf_pages =
      positive_int(require_number(reader, "max_pdf_pages", rw), rw + ".max_pdf_pages");
  if (reader->has("calibration") && !reader->isNull("calibration")) {
    cfg.reader.calibration = resolve(cfg.root, require_string(reader, "calibration", rw));
    if (!std::filesystem::exists(cfg.reader.calibration)) {
      throw DataError(rw + ".calibration: " + cfg.reader.calibration.string() + " does not exist");
    }
  }

  if (reader->has("matching")) {
    cfg.reader.matching = load_matching(require_object(reader, "matching", rw), rw + ".matching");
  }
  if (reader->has("extraction")) {
    cfg.reader.extraction =
        load_extraction(require_object(reader, "extraction", rw), rw + ".extraction");
  }

  for (auto [key, bonus] : {std::pair{"name_prior_bonus", &cfg.reader.name_prior_bonus},
                            std::pair{"place_prior_bonus", &cfg.reader.place_prior_bonus},
                            std::pair{"care_prior_bonus", &cfg.reader.care_prior_bonus}}) {
    *bonus = number_or(reader, key, *bonus, rw);
    if (!(*bonus >= 0 && *bonus <= 10)) throw DataError(rw + "." + key + " must be 0..10");
  }

  if (reader->has("handwriting_model")) {
    const auto v = reader->get("handwriting_model");
    if (!v.isBoolean()) throw DataError(rw + ".handwriting_model must be true or false");
    cfg.reader.handwriting_model = v.extract<bool>();
  }
  if (reader->has("comb_model") && !reader->isNull("comb_model")) {
    cfg.reader.comb_model = resolve(cfg.root, require_string(reader, "comb_model", rw));
    if (!std::filesystem::exists(cfg.reader.comb_model)) {
      throw DataError(rw + ".comb_model: " + cfg.reader.comb_model.string() + " does not exist");
    }
  }
  for (auto [key, path] : {std::pair{"line_model", &cfg.reader.line_model},
                           std::pair{"name_model", &cfg.reader.name_model},
                           std::pair{"cin_model", &cfg.reader.cin_model},
                           std::pair{"print_glyphs", &cfg.reader.print_glyphs},
                           std::pair{"name_prior", &cfg.reader.name_prior},
                           std::pair{"place_prior", &cfg.reader.place_prior},
                           std::pair{"care_prior", &cfg.reader.care_prior}}) {
    if (!reader->has(key) || reader->isNull(key)) continue;
    *path = resolve(cfg.root, require_string(reader, key, rw));
    if (!std::filesystem::exists(*path)) {
      throw DataError(rw + "." + key + ": " + path->string() + " does not exist");
    }
  }

  auto samples = require_object(obj, "samples", where);
  const std::string sw = where + ": samples";
  cfg.samples.handwriting_fonts = path_list(samples, "handwriting_fonts", sw, cfg.root);
  cfg.samples.print_fonts = path_list(samples, "print_fonts", sw, cfg.root);
  cfg.samples.vocabulary = resolve(cfg.root, require_string(samples, "vocabulary", sw));

  if (obj->has("service")) {
    cfg.service =
        load_service(require_object(obj, "service", where), where + ": service", cfg.root);
  }

  if (obj->has("storage")) {
    cfg.storage =
        load_storage(require_object(obj, "storage", where), where + ": storage", cfg.root);
  }
  if (obj->has("mailroom")) {
    cfg.mailroom =
        load_mailroom(require_object(obj, "mailroom", where), where + ": mailroom", cfg.root);
  }

  auto override_path = [&](const char* name, std::filesystem::path& target) {
    if (auto it = env.find(name); it != env.end() && !it->second.empty()) target = it->second;
  };
  override_path("CARESCAN_DATA_DIR", cfg.data_dir);
  override_path("CARESCAN_FORMS_DIR", cfg.forms_dir);
  override_path("CARESCAN_MODELS_DIR", cfg.models_dir);
  if (auto it = env.find("CARESCAN_TESSDATA"); it != env.end())
    cfg.reader.tessdata_dir = it->second;
  if (auto it = env.find("CARESCAN_TODAY"); it != env.end() && !it->second.empty()) {
    cfg.claims.today = parse_iso_date(it->second);
    if (!cfg.claims.today) throw DataError("CARESCAN_TODAY must be an ISO date (2025-03-14)");
  }
  if (auto it = env.find("CARESCAN_READER_HANDWRITING_MODEL"); it != env.end()) {
    if (it->second != "0" && it->second != "1") {
      throw DataError("CARESCAN_READER_HANDWRITING_MODEL must be 0 or 1");
    }
    cfg.reader.handwriting_model = it->second == "1";
  }
  // Set and empty: no line model / no word list, for the figures with and without them.
  if (auto it = env.find("CARESCAN_READER_LINE_MODEL"); it != env.end()) {
    cfg.reader.line_model = it->second;
  }
  if (auto it = env.find("CARESCAN_READER_NAME_MODEL"); it != env.end()) {
    cfg.reader.name_model = it->second;
  }
  if (auto it = env.find("CARESCAN_READER_CIN_MODEL"); it != env.end()) {
    cfg.reader.cin_model = it->second;
  }
  if (auto it = env.find("CARESCAN_READER_PRINT_GLYPHS"); it != env.end()) {
    cfg.reader.print_glyphs = it->second;
  }
  if (auto it = env.find("CARESCAN_READER_NAME_PRIOR"); it != env.end()) {
    cfg.reader.name_prior = it->second;
  }
  if (auto it = env.find("CARESCAN_READER_PLACE_PRIOR"); it != env.end()) {
    cfg.reader.place_prior = it->second;
  }
  if (auto it = env.find("CARESCAN_READER_CARE_PRIOR"); it != env.end()) {
    cfg.reader.care_prior = it->second;
  }
  if (auto it = env.find("CARESCAN_WORKERS"); it != env.end()) {
    try {
      cfg.reader.workers = positive_int(std::stod(it->second), "CARESCAN_WORKERS");
    } catch (const std::invalid_argument&) {
      throw DataError("CARESCAN_WORKERS must be a positive integer");
    }
  }
  if (auto it = env.find("CARESCAN_LISTEN"); it != env.end() && !it->second.empty()) {
    cfg.service.listen_address = it->second;
  }
  if (auto it = env.find("CARESCAN_PORT"); it != env.end() && !it->second.empty()) {
    try {
      cfg.service.port = positive_int(std::stod(it->second), "CARESCAN_PORT");
    } catch (const std::invalid_argument&) {
      throw DataError("CARESCAN_PORT must be a positive integer");
    }
  }
  if (auto it = env.find("CARESCAN_ENGINE_URL"); it != env.end()) {
    cfg.service.engine_url = it->second;
  }
  if (auto it = env.find("CARESCAN_STORAGE_URL"); it != env.end() && !it->second.empty()) {
    cfg.storage.url = it->second;
  }
  // Set and empty: the configured thresholds alone, for figures with and without the fit.
  if (auto it = env.find("CARESCAN_CLAIMS_THRESHOLDS"); it != env.end()) {
    cfg.claims.thresholds = it->second;
  }
  if (!cfg.claims.thresholds.empty()) {
    if (!std::filesystem::exists(cfg.claims.thresholds)) {
      throw DataError(where + ": claims.thresholds: " + cfg.claims.thresholds.string() +
                      " does not exist");
    }
    apply_fitted_thresholds(cfg.claims.thresholds, cfg.claims);
  }
  // Unset in the file: the storage follows paths.data_dir, including its CARESCAN_DATA_DIR.
  if (cfg.storage.data_dir.empty()) cfg.storage.data_dir = cfg.data_dir;
  return cfg;
}

std::filesystem::path default_config_path(const std::map<std::string, std::string>& env) {
  if (auto it = env.find("CARESCAN_CONFIG"); it != env.end() && !it->second.empty()) {
    return it->second;
  }
  std::filesystem::path local = "config/carescan.json";
  if (std::filesystem::exists(local)) return local;
  return std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config" / "carescan.json";
}

std::map<std::string, std::string> carescan_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq == nullptr || std::strncmp(*e, "CARESCAN_", 9) != 0) continue;
    env.emplace(std::string(*e, static_cast<size_t>(eq - *e)), std::string(eq + 1));
  }
  return env;
}

}  // namespace carescan::core
