#pragma once
// carescan's one typed configuration, loaded and checked once from config/carescan.json.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace carescan::core {

struct ValidationConfig {
  int deposit_deadline_days = 60;  // CNOPS communiqué; kept here since the insurer may change it
  int max_age_years = 30;          // AMO Étudiants eligibility
  long long implausible_total_centimes = 2'000'000;  // 20 000 DH without a prise en charge
  // Typical amount of one table row, by table (domain file: "typical ranges"); outside: warn.
  struct AmountRange {
    long long min_centimes = 0;
    long long max_centimes = 0;
  };
  std::map<std::string, AmountRange> line_amount_ranges;
  // National reference tariff per key letter (TNR 2006), for the amount ~ coefficient x letter
  // check; fees are free, so a difference beyond `tariff_tolerance` (a fraction) only warns.
  std::map<std::string, long long> key_letter_centimes;
  double tariff_tolerance = 0.5;
};

// How `carescan eval --fit-thresholds` picks a key field's threshold on a calibration set.
struct ThresholdFitConfig {
  // Share of a key field's auto-accepted values that must be right: five key fields at 0.2 %
  // wrong each keep about 1 % of accepted pages from having any of them wrong.
  double target_precision = 0.998;
  // A threshold is only chosen when at least this many values are read at or above it: a
  // precision measured on 3 values says nothing.
  int min_count = 50;
  // true: the 95 % Wilson lower bound of the precision must meet the target, not the measured
  // share (needs ~770 right values in a row for 0.995: honest, and rarely met on small sets).
  bool use_lower_bound = false;
  // Never fitted below this: a set with no wrong value among the few weak readings it has would
  // otherwise put a field's threshold at its lowest confidence seen, and the reviewer page
  // flags fields by the lowest key threshold.
  double min_threshold = 0.5;
};

// When a read page may go straight through without a reviewer.
struct ClaimsConfig {
  // Key field id -> lowest calibrated confidence at which it counts as read: the file's
  // claims.accept_min_confidence, with each field that `thresholds` fitted replaced by its
  // fitted value. Above 1 (kNeverAccept): no confidence met the target, the field always goes
  // to a reviewer.
  std::map<std::string, double> accept_min_confidence;
  // The fitted thresholds (`carescan eval --fit-thresholds`); empty: the configured ones only.
  std::filesystem::path thresholds;
  // Key fields whose threshold came from `thresholds` (the others keep the configured value).
  std::vector<std::string> fitted_fields;
  ThresholdFitConfig fit;
  // Reference day for date rules (received on); unset: the system clock. Tests pin it.
  std::optional<Date> today;
};

// A threshold no confidence reaches: the fit found none whose precision meets the target.
inline constexpr double kNeverAccept = 2.0;

// The extractor's tuning (reader.extraction): ink, blank and tick thresholds, in pixels of the
// template frame. Defaults were read off the reference sheets at 300 dpi and generated fills; a
// page registered to its template is always in that frame, so pixel figures do not depend on the
// scan's dpi.
struct ExtractionSettings {
  int ink_below = 210;  // grey level under which a pixel is ink: light, thin pens read at 150 lose
                        // half their strokes and Tesseract reads them as noise
  int printed_below = 200;         // the same for the blank reference sheet's printing
  int printed_dilate_px = 3;       // absorbs a registration error of a few pixels
  int min_component_px = 12;       // smaller specks are scanner noise or dust
  int blank_max_ink_px = 60;       // a free field with less ink than this is blank
  int cell_blank_max_ink_px = 30;  // the same for one comb cell
  double margin_mm = 1.0;          // handwriting leaves its box: read a little around it
  int tick_min_ink_px = 120;       // ink of a tick or cross centred on its box
  int signature_min_ink_px = 350;  // a signature leaves more than a stray stroke
  // A table row with no date read needs an amount read at least this sure (raw confidence): a
  // grammar-bound line recogniser makes some amount of any stroke in an empty row. A section
  // total read as one figure needs it too, or it is taken for blank.
  double row_amount_min_confidence = 0.5;
  // Comb cells go one by one to a character classifier (Layout::kChar) whose alternatives the
  // field's grammar decodes; off: the whole comb is read as lines by a line recogniser. Not in
  // the file: the page reader sets it when a comb model is loaded.
  bool cell_classifier = false;
  int comb_year_min = 1900;  // a comb date outside these years is no reading of a care sheet
  int comb_year_max = 2099;
  // The signature date is written on or after the last care date (the signature cannot come
  // first) and, for a sheet in time, within the deposit deadline of it: a comb reading outside
  // that window keeps this share of its probability. A soft prior: clear ink still reads as
  // written, and the validator reports it.
  int signature_window_days = 60;
  double signature_outside_weight = 0.1;
  // Amounts that do not add up to their section's written total may take the recogniser's
  // other readings for up to three of them when that makes the sum right and costs at most this
  // log-odds against the readings as read (extract/arithmetic.h); 0: never.
  double sum_mend_max_log_odds = 8.0;
  // A table's care date outside the signature's window (before it by at most
  // signature_window_days) takes the window's likeliest reading when that costs at most this
  // log-odds against the reading as read; 0: never. A misread month or year is close behind;
  // a date really written outside the window (the validator must see it) is far likelier than
  // any inside.
  double care_date_mend_max_log_odds = 3.0;
};

// How a page is classified and registered (reader.matching): the decisions that send a page to
// review or reject it. Defaults were measured on the generated sets: blank references score a
// layout of 1.0, filled sheets in every capture profile >= 0.55, letters and unrelated forms
// <= 0.35; registered pages find >= 0.8 of their template's rules in place, a page off by half
// a comb cell <= 0.5.
struct MatchSettings {
  double blank_ink = 0.004;              // a page with less ink (share of pixels) is blank
  double min_layout_score = 0.45;        // a best layout score under this is not a care sheet
  double confident_layout_score = 0.65;  // the layout score of a fully confident classification
  double confident_margin = 0.06;        // its lead over the second-best form
  // Below this share of the template's rules in place (worst region), fields could be read
  // from the wrong box: the page goes to review.
  double min_registration_quality = 0.6;
  // A layout that only loosely resembles a care sheet (classification confidence under the
  // first) whose rules do not line up (whole-sheet share under the second) is another form.
  double loose_layout_confidence = 0.75;
  double unrelated_coverage = 0.4;
  // An alignment that finds fewer of the rules over the whole sheet is tried again from the
  // unshifted page (phase correlation can lock one period off on repeated cells).
  double retry_below_coverage = 0.9;
  // A fit whose worst region finds fewer of the rules is measured for a bend (a phone photo of a
  // sheet that does not lie flat), and warped through it when that lines up more of them.
  double unbend_below_quality = 0.98;
};

struct ReaderConfig {
  int workers = 2;
  int pdf_dpi = 300;
  long long max_pixels_per_page = 80'000'000;  // guards against decompression bombs
  int max_pdf_pages = 200;
  std::string tessdata_dir;  // empty: Tesseract's default
  // Raw confidence -> observed accuracy, fitted by `carescan eval --fit-calibration`; empty: none.
  std::filesystem::path calibration;
  // Our own handwriting models (comb_model, ...) in use; off (config or
  // CARESCAN_READER_HANDWRITING_MODEL=0): Tesseract reads everything, for the baseline figures.
  bool handwriting_model = true;
  // The comb-cell character classifier (ONNX); empty: comb cells are read by Tesseract.
  std::filesystem::path comb_model;
  // The handwriting line recogniser (ONNX, CTC); empty: free lines are read by Tesseract.
  std::filesystem::path line_model;
  // A line network trained on names only, which reads the insured's name; empty: line_model does.
  std::filesystem::path name_model;
  // The line network that gives a CIN its second reading (the comb's cells side by side); empty:
  // line_model does. A second reading is evidence only while it errs apart from the cells: a
  // network that learnt the cells' own ink errs with them.
  std::filesystem::path cin_model;
  // Printed capitals and digits rendered from typed fonts (`carescan print-glyphs`), which read
  // the sheet number's lone series letter; empty: Tesseract reads it.
  std::filesystem::path print_glyphs;
  // Common name words that earn a name reading a small bonus; empty: no prior.
  std::filesystem::path name_prior;
  // Log-probability bonus per listed word of a name reading (about e^bonus times likelier).
  double name_prior_bonus = 4.5;
  // Towns and institution words that earn an institution or a place reading the same kind of
  // bonus; empty: no list. Larger than a name's: towns and institutions are nearly a closed
  // list, and a town left out of it is not pulled to a listed one (models/README.md).
  std::filesystem::path place_prior;
  double place_prior_bonus = 5;
  // Acts and medicines a table's description column names (models/care-prior.txt); empty: none.
  std::filesystem::path care_prior;
  double care_prior_bonus = 5;
  ExtractionSettings extraction;
  MatchSettings matching;
};

struct SampleConfig {
  std::vector<std::filesystem::path> handwriting_fonts;
  std::vector<std::filesystem::path> print_fonts;
  std::filesystem::path
      vocabulary;  // names, institutions, cities, acts and drugs to fill sheets with
};

// The HTTP service, its workers and the delivery to the reimbursement engine.
struct ServiceConfig {
  std::string listen_address = "127.0.0.1";
  int port = 8080;
  int http_threads = 8;
  long long max_body_bytes = 50LL << 20;  // a 200-page PDF scan at 300 dpi stays below this
  int max_queued_pages = 500;             // pages waiting beyond this: 503 with Retry-After
  int retry_after_seconds = 10;
  int page_size = 50;          // claims per listing page
  int max_page_size = 500;     // a client asking for more gets this many
  double rate_per_second = 5;  // per API key (token bucket)
  double rate_burst = 20;
  int session_ttl_seconds = 8 * 3600;
  int password_iterations = 210'000;    // OWASP 2023 figure for PBKDF2-HMAC-SHA256
  int lease_seconds = 300;              // a page not completed within this goes back to the queue
  int worker_idle_ms = 200;             // how long a worker sleeps when the queue is empty
  std::string engine_url;               // empty: no delivery
  int delivery_max_attempts = 8;        // then the claim is dead-lettered
  double delivery_backoff_seconds = 2;  // first retry delay, doubled each attempt
  double delivery_backoff_max_seconds = 600;
  int delivery_timeout_seconds = 10;
  std::filesystem::path tls_cert;  // both set: HTTPS
  std::filesystem::path tls_key;
};

// Where the service keeps its state (the store library reads this).
struct StorageConfig {
  // "sqlite:PATH" (PATH relative to data_dir) or "postgresql://user@host:port/database".
  // The URL may carry a password: never log it.
  std::string url = "sqlite:carescan.db";
  // The SQLite file and blobs/ (the files and page images); unset: paths.data_dir.
  std::filesystem::path data_dir;
  int max_page_attempts = 3;   // a page whose reading dies this often is poison: failed
  int busy_timeout_ms = 5000;  // SQLite: how long a writer waits for another process
};

// The mailroom: scanners drop batches into <dir>/inbox; each file ends in <dir>/archive or
// <dir>/failed (with NAME.reason.txt beside it).
struct MailroomConfig {
  std::filesystem::path dir;        // empty: no watcher
  double poll_seconds = 2;          // a file is taken once its size held still across two polls
  std::string office = "mailroom";  // the office its documents belong to
};

struct Config {
  std::filesystem::path root;  // relative paths in the file are resolved against this
  std::string insurer_name;
  std::filesystem::path forms_dir;
  std::filesystem::path models_dir;
  std::filesystem::path data_dir;
  ValidationConfig validation;
  ReaderConfig reader;
  SampleConfig samples;
  ClaimsConfig claims;
  ServiceConfig service;
  StorageConfig storage;
  MailroomConfig mailroom;
};

// Reads `file`, resolving relative paths against the folder above config/. `env` holds
// overrides (CARESCAN_DATA_DIR, CARESCAN_FORMS_DIR, CARESCAN_MODELS_DIR, CARESCAN_WORKERS,
// CARESCAN_TESSDATA, CARESCAN_TODAY, CARESCAN_LISTEN, CARESCAN_PORT, CARESCAN_ENGINE_URL,
// CARESCAN_STORAGE_URL, CARESCAN_CLAIMS_THRESHOLDS); the caller passes the process environment so
// the loader reads no globals. Throws DataError naming the key when a value is missing or wrong.
Config load_config(const std::filesystem::path& file,
                   const std::map<std::string, std::string>& env = {});

// CARESCAN_CONFIG if set, else ./config/carescan.json if present, else the source tree's.
std::filesystem::path default_config_path(const std::map<std::string, std::string>& env);

// The CARESCAN_* variables of the process environment, for load_config.
std::map<std::string, std::string> carescan_environment();

}  // namespace carescan::core
