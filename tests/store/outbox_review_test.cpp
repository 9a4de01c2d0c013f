// The delivery outbox and the reviewer's lease, decision and audit trail.
#include "store_fixture.h"

namespace carescan::store {
namespace {

class OutboxTest : public StoreTest {
 protected:
  // One page read and stored with `state`; returns its claim id.
  std::string read_one(Store& store, PageState state, int n = 1) {
    if (!office_) office_ = make_office(store, "casa");
    add_document(store, office_, n, 1);
    auto lease = store.lease_next_page("w", 60);
    EXPECT_TRUE(lease);
    const auto result = result_for(*lease, state);
    EXPECT_EQ(store.complete_page(lease->page.id, "w", result), CompleteResult::kStored);
    return result.claim_id;
  }
  Id office_ = 0;
};

TEST_P(OutboxTest, DeliversOnceAndMarksThePageDelivered) {
  auto store = open();
  const auto claim_id = read_one(*store, PageState::kAccepted);
  auto due = store->lease_due_deliveries("sender", 10, 30);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].claim_id, claim_id);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_NE(due[0].json.find(claim_id), std::string::npos);
  EXPECT_TRUE(store->lease_due_deliveries("other", 10, 30).empty()) << "in flight elsewhere";

  store->delivery_succeeded(claim_id);
  store->delivery_succeeded(claim_id);  // a repeated acknowledgement changes nothing
  EXPECT_EQ(store->find_delivery(claim_id)->state, DeliveryState::kDelivered);
  EXPECT_EQ(store->find_claim(claim_id)->state, PageState::kDelivered);
  advance_seconds(3600);
  EXPECT_TRUE(store->lease_due_deliveries("sender", 10, 30).empty());
  EXPECT_EQ(store->counts().delivered, 1);
}

TEST_P(OutboxTest, FailuresBackOffExponentiallyThenDeadLetter) {
  auto store = open();
  const auto claim_id = read_one(*store, PageState::kAccepted);
  const RetryPolicy policy{3, 2, 3};
  auto due = store->lease_due_deliveries("s", 10, 30);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(store->delivery_failed(claim_id, "HTTP 503", policy), DeliveryState::kPending);
  EXPECT_EQ(store->find_delivery(claim_id)->next_attempt_at, now() + std::chrono::seconds(2));
  EXPECT_EQ(store->find_delivery(claim_id)->last_error, "HTTP 503");
  EXPECT_TRUE(store->lease_due_deliveries("s", 10, 30).empty()) << "not due yet";

  advance_seconds(2);
  ASSERT_EQ(store->lease_due_deliveries("s", 10, 30).size(), 1u);
  EXPECT_EQ(store->delivery_failed(claim_id, "timeout", policy), DeliveryState::kPending);
  EXPECT_EQ(store->find_delivery(claim_id)->next_attempt_at, now() + std::chrono::seconds(3))
      << "the second wait would be 4 s, capped at 3";

  advance_seconds(3);
  ASSERT_EQ(store->lease_due_deliveries("s", 10, 30).size(), 1u);
  EXPECT_EQ(store->delivery_failed(claim_id, "timeout", policy), DeliveryState::kDeadLetter);
  EXPECT_EQ(store->find_claim(claim_id)->state, PageState::kDeadLetter);
  advance_seconds(3600);
  EXPECT_TRUE(store->lease_due_deliveries("s", 10, 30).empty());
  EXPECT_EQ(store->counts().deliveries_dead, 1);
}

TEST_P(OutboxTest, DeliveryWhoseSenderDiedIsSentAgain) {
  auto store = open();
  const auto claim_id = read_one(*store, PageState::kAccepted);
  ASSERT_EQ(store->lease_due_deliveries("dead-sender", 10, 30).size(), 1u);
  advance_seconds(31);
  const auto again = store->lease_due_deliveries("sender", 10, 30);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(OutboxTest, OneReviewerAtATimeUntilTheLeaseExpires) {
  auto store = open();
  const auto claim_id = read_one(*store, PageState::kNeedsReview);
  const auto amina = store->create_user("amina", "Amina", Role::kReviewer, "h").id;
  const auto karim = store->create_user("karim", "Karim", Role::kReviewer, "h").id;

  ASSERT_TRUE(store->lease_for_review(claim_id, amina, 600));
  EXPECT_FALSE(store->lease_for_review(claim_id, karim, 600));
  EXPECT_TRUE(store->lease_for_review(claim_id, amina, 600)) << "the holder renews";
  advance_seconds(601);
  EXPECT_TRUE(store->lease_for_review(claim_id, karim, 600)) << "an abandoned lease expires";
  EXPECT_FALSE(store->lease_for_review(claim_id, amina, 600));
  store->release_review(claim_id, karim);
  EXPECT_TRUE(store->lease_for_review(claim_id, amina, 600));

  const auto accepted = read_one(*store, PageState::kAccepted, 2);
  EXPECT_FALSE(store->lease_for_review(accepted, amina, 600)) << "nothing to review";
}

TEST_P(OutboxTest, ApprovalSavesTheCorrectionAuditsItAndQueuesDelivery) {
  auto store = open();
  const auto claim_id = read_one(*store, PageState::kNeedsReview);
  const auto amina = store->create_user("amina", "Amina", Role::kReviewer, "h").id;
  const auto karim = store->create_user("karim", "Karim", Role::kReviewer, "h").id;

  ReviewDecision decision;
  decision.claim_id = claim_id;
  decision.user_id = amina;
  decision.expected_version = 1;
  decision.json = R"({"total_amount":{"value":"150.00","source":"reviewer"}})";
  decision.changes.push_back({0, "", 0, "", {}, "total_amount", "180.00", "150.00"});
  EXPECT_EQ(store->save_review(decision), ReviewResult::kNotLeased);

  ASSERT_TRUE(store->lease_for_review(claim_id, amina, 600));
  decision.user_id = karim;
  EXPECT_EQ(store->save_review(decision), ReviewResult::kNotLeased) << "karim holds no lease";
  decision.user_id = amina;
  decision.expected_version = 7;
  EXPECT_EQ(store->save_review(decision), ReviewResult::kStaleVersion);
  decision.expected_version = 1;
  EXPECT_EQ(store->save_review(decision), ReviewResult::kSaved);
  EXPECT_EQ(store->save_review(decision), ReviewResult::kNotLeased) << "the lease ended with it";

  const auto claim = store->find_claim(claim_id);
  EXPECT_EQ(claim->version, 2);
  EXPECT_EQ(claim->json, decision.json);
  EXPECT_EQ(claim->state, PageState::kAccepted);
  EXPECT_EQ(store->find_delivery(claim_id)->state, DeliveryState::kPending);

  const auto audit = store->claim_audit(claim_id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].field, "total_amount");
  EXPECT_EQ(audit[0].before, "180.00");
  EXPECT_EQ(audit[0].after, "150.00");
  EXPECT_EQ(audit[0].username, "amina");
  EXPECT_EQ(audit[0].at, now());
  EXPECT_EQ(audit[1].field, "status");
  EXPECT_EQ(audit[1].after, "accepted");
  EXPECT_EQ(store->page_transitions(claim->page_id).back().actor, "amina");
}

TEST_P(OutboxTest, RejectionKeepsTheReasonAndDeliversNothing) {
  auto store = open();
  const auto claim_id = read_one(*store, PageState::kNeedsReview);
  const auto amina = store->create_user("amina", "Amina", Role::kReviewer, "h").id;
  ASSERT_TRUE(store->lease_for_review(claim_id, amina, 600));
  ReviewDecision decision{claim_id, amina, 1, "{}", {}, PageState::kRejected, "illegible"};
  ASSERT_EQ(store->save_review(decision), ReviewResult::kSaved);
  EXPECT_EQ(store->find_claim(claim_id)->state, PageState::kRejected);
  EXPECT_FALSE(store->find_delivery(claim_id));
  EXPECT_EQ(store->claim_audit(claim_id).back().after, "rejected: illegible");
  EXPECT_EQ(store->page_transitions(store->find_claim(claim_id)->page_id).back().note, "illegible");
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace carescan::store
