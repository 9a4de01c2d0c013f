// POST /api/v1/documents and GET /api/v1/documents/{id}.
#include <Poco/JSON/Object.h>

#include "io/decode.h"
#include "service/api.h"
#include "service/http_body.h"
#include "service/log.h"
#include "service/problem.h"
#include "service/views.h"

namespace carescan::service {
namespace {

store::Id parse_id(const std::string& text, const std::string& what) {
  try {
    size_t used = 0;
    const long long id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw not_found(what + " " + text);
}

void refuse_when_queue_full(ServiceContext& ctx) {
  const auto counts = ctx.store.counts();
  if (counts.received + counts.processing >= ctx.config.service.max_queued_pages) {
    ++ctx.metrics.documents_refused;
    throw Problem(503, "queue-full", "The reading queue is full",
                  std::to_string(counts.received + counts.processing) +
                      " pages are waiting; send the document again later",
                  ctx.config.service.retry_after_seconds);
  }
}

// Opens the file as the reader will, so that a bad upload is refused now, with its reason,
// rather than failing later where the office cannot see it.
io::Document check_scan(ServiceContext& ctx, const Upload& upload) {
  if (upload.bytes.empty()) throw bad_request("the body is empty; send the scan's bytes");
  if (io::sniff_media_type(upload.bytes).empty()) {
    throw Problem(415, "unsupported-type", "Not a scan",
                  "the bytes are not a PNG, JPEG, TIFF or PDF file (the type is read from the "
                  "content, not from the name or Content-Type)");
  }
  try {
    return io::decode_bytes(upload.bytes, io::DecodeLimits::from(ctx.config.reader));
  } catch (const io::DecodeError& e) {
    throw Problem(422, "unreadable-scan", "The scan cannot be read", e.what());
  } catch (const std::exception& e) {
    throw Problem(422, "unreadable-scan", "The scan cannot be read",
                  std::string("the file is damaged: ") + e.what());
  }
}

void upload(Call& call) {
  const Caller& who = call.who();
  if (who.kind != CallerKind::kOffice) {
    throw forbidden("documents are sent by offices with their API key");
  }
  auto& ctx = call.ctx;
  refuse_when_queue_full(ctx);
  Upload body;
  try {
    body = read_upload(call.request, static_cast<std::size_t>(ctx.config.service.max_body_bytes));
  } catch (const Problem&) {
    ++ctx.metrics.documents_refused;
    throw;
  }
  io::Document scan;
  try {
    scan = check_scan(ctx, body);
  } catch (const Problem&) {
    ++ctx.metrics.documents_refused;
    throw;
  }
  if (scan.pages.empty())
    throw Problem(422, "unreadable-scan", "Empty scan", "the file has no pages");
  const std::string sha = ctx.blobs.put(body.bytes);
  store::NewDocument doc;
  doc.office_id = who.office_id;
  doc.sha256 = sha;
  doc.filename = body.filename;
  doc.media_type = scan.media_type;
  doc.size_bytes = static_cast<std::int64_t>(body.bytes.size());
  doc.page_count = static_cast<int>(scan.pages.size());
  doc.channel = "api";
  const store::Intake intake = ctx.store.add_document(doc);
  if (intake.created) ++ctx.metrics.documents_received;
  log_event("info", intake.created ? "document.received" : "document.duplicate",
            {{"document_id", std::to_string(intake.document.id)},
             {"office", who.office_code},
             {"pages", std::to_string(doc.page_count)}});
  auto view = document_view(ctx.store, intake.document, who.office_code);
  view->set("duplicate", !intake.created);
  call.response.set("Location", document_location(intake.document.id));
  send_json(call.response, intake.created ? 202 : 200, view);
}

void get_document(Call& call) {
  const Caller& who = call.who();
  const auto doc = call.ctx.store.find_document(parse_id(call.params[0], "document"));
  if (!doc) throw not_found("document " + call.params[0]);
  require_visible(who, doc->office_id, "document " + call.params[0]);
  const auto office = call.ctx.store.find_office(doc->office_id);
  send_json(call.response, 200, document_view(call.ctx.store, *doc, office ? office->code : ""));
}

}  // namespace

void require_visible(const Caller& caller, store::Id office_id, const std::string& what) {
  if (caller.kind == CallerKind::kOffice && caller.office_id != office_id) throw not_found(what);
}

std::vector<Route> document_routes() {
  return {
      {"POST", "/api/v1/documents", Access::kAnyCaller, upload},
      {"GET", "/api/v1/documents/{id}", Access::kAnyCaller, get_document},
  };
}

}  // namespace carescan::service
