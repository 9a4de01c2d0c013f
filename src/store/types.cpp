#include <array>
#include <utility>

#include "store/store.h"

namespace carescan::store {
namespace {

// The names stored in the database and shown in the API; one table per enum, both directions.
constexpr std::array<std::pair<PageState, std::string_view>, 8> kPageStates{{
    {PageState::kReceived, "received"},
    {PageState::kProcessing, "processing"},
    {PageState::kNeedsReview, "needs_review"},
    {PageState::kAccepted, "accepted"},
    {PageState::kRejected, "rejected"},
    {PageState::kDelivered, "delivered"},
    {PageState::kDeadLetter, "dead_letter"},
    {PageState::kFailed, "failed"},
}};

}  // namespace

std::string_view to_string(Role role) {
  return role == Role::kAdmin ? "admin" : "reviewer";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "reviewer") return Role::kReviewer;
  return std::nullopt;
}

std::string_view to_string(DocumentState state) {
  switch (state) {
    case DocumentState::kReceived:
      return "received";
    case DocumentState::kProcessing:
      return "processing";
    case DocumentState::kDone:
      return "done";
  }
  return "received";
}

std::string_view to_string(PageState state) {
  for (const auto& [value, name] : kPageStates) {
    if (value == state) return name;
  }
  return "received";
}

std::optional<PageState> parse_page_state(std::string_view text) {
  for (const auto& [value, name] : kPageStates) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kInFlight:
      return "in_flight";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kDeadLetter:
      return "dead_letter";
  }
  return "pending";
}

}  // namespace carescan::store
