// The reading queue: leases, completion, crashes, poison pages and concurrent workers.
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store_fixture.h"

namespace carescan::store {
namespace {

std::vector<PageState> states_of(const std::vector<Transition>& transitions) {
  std::vector<PageState> out;
  out.reserve(transitions.size());
  for (const auto& t : transitions) out.push_back(t.to);
  return out;
}

TEST_P(StoreTest, LeasesOldestPageAndStoresItsClaimWithTheStateChange) {
  auto store = open();
  const Id office = make_office(*store, "casa");
  const auto doc = add_document(*store, office, 1, 2);
  add_document(*store, office, 2, 1);

  auto lease = store->lease_next_page("worker-1", 60);
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->document.id, doc.id);
  EXPECT_EQ(lease->page.index, 1);
  EXPECT_EQ(lease->page.attempts, 1);
  EXPECT_EQ(lease->page.state, PageState::kProcessing);
  EXPECT_EQ(store->find_document(doc.id)->state, DocumentState::kProcessing);

  auto result = result_for(*lease, PageState::kAccepted);
  result.image_sha256 = sha(99);
  ASSERT_EQ(store->complete_page(lease->page.id, "worker-1", result), CompleteResult::kStored);

  const auto claim = store->find_claim(result.claim_id);
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->json, result.json);
  EXPECT_EQ(claim->state, PageState::kAccepted);
  EXPECT_EQ(claim->office_id, office);
  EXPECT_EQ(claim->version, 1);
  EXPECT_EQ(store->find_delivery(result.claim_id)->state, DeliveryState::kPending);
  EXPECT_EQ(store->document_pages(doc.id)[0].image_sha256, sha(99));
  EXPECT_EQ(states_of(store->page_transitions(lease->page.id)),
            (std::vector{PageState::kReceived, PageState::kProcessing, PageState::kAccepted}));

  auto second = store->lease_next_page("worker-1", 60);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->page.index, 2);
  ASSERT_EQ(store->complete_page(second->page.id, "worker-1",
                                 result_for(*second, PageState::kNeedsReview)),
            CompleteResult::kStored);
  EXPECT_FALSE(store->find_delivery(result_for(*second, PageState::kNeedsReview).claim_id))
      << "only accepted claims go to the outbox";
  EXPECT_EQ(store->find_document(doc.id)->state, DocumentState::kDone);
  EXPECT_EQ(store->document_claims(doc.id).size(), 2u);
}

TEST_P(StoreTest, CompletingTwiceStoresOneClaimAndOneDelivery) {
  auto store = open();
  add_document(*store, make_office(*store, "casa"), 1, 1);
  auto lease = store->lease_next_page("w", 60);
  ASSERT_TRUE(lease);
  const auto result = result_for(*lease, PageState::kAccepted);
  EXPECT_EQ(store->complete_page(lease->page.id, "w", result), CompleteResult::kStored);
  EXPECT_EQ(store->complete_page(lease->page.id, "w", result), CompleteResult::kAlreadyStored);
  const auto counts = store->counts();
  EXPECT_EQ(counts.accepted, 1);
  EXPECT_EQ(counts.deliveries_pending, 1);
  EXPECT_EQ(store->page_transitions(lease->page.id).size(), 3u);
}

TEST_P(StoreTest, ExpiredLeaseGoesToTheNextWorkerAndTheLateOneLosesIt) {
  auto store = open();
  add_document(*store, make_office(*store, "casa"), 1, 1);
  auto first = store->lease_next_page("crashed", 30);
  ASSERT_TRUE(first);
  EXPECT_FALSE(store->lease_next_page("other", 30)) << "a live lease is not handed out twice";

  advance_seconds(31);
  auto second = store->lease_next_page("other", 30);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->page.id, first->page.id);
  EXPECT_EQ(second->page.attempts, 2);

  EXPECT_EQ(
      store->complete_page(first->page.id, "crashed", result_for(*first, PageState::kAccepted)),
      CompleteResult::kLeaseLost);
  EXPECT_EQ(
      store->complete_page(second->page.id, "other", result_for(*second, PageState::kAccepted)),
      CompleteResult::kStored);
  EXPECT_EQ(store->counts().accepted, 1);
}

TEST_P(StoreTest, PageThatKeepsKillingItsWorkerEndsFailed) {
  StoreOptions options;
  options.max_page_attempts = 3;
  auto store = open(options);
  const auto doc = add_document(*store, make_office(*store, "casa"), 1, 1);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto lease = store->lease_next_page("w" + std::to_string(attempt), 10);
    ASSERT_TRUE(lease) << "attempt " << attempt;
    EXPECT_EQ(lease->page.attempts, attempt);
    advance_seconds(11);
  }
  EXPECT_FALSE(store->lease_next_page("w4", 10));
  const auto page = store->document_pages(doc.id).at(0);
  EXPECT_EQ(page.state, PageState::kFailed);
  EXPECT_FALSE(page.last_error.empty());
  EXPECT_EQ(store->find_document(doc.id)->state, DocumentState::kDone);
  EXPECT_EQ(store->counts().failed, 1);
}

TEST_P(StoreTest, FailedReadingIsRetriedThenGivenUp) {
  StoreOptions options;
  options.max_page_attempts = 2;
  auto store = open(options);
  add_document(*store, make_office(*store, "casa"), 1, 1);
  auto lease = store->lease_next_page("w", 60);
  ASSERT_TRUE(lease);
  EXPECT_EQ(store->fail_page(lease->page.id, "someone-else", "x"), PageState::kProcessing)
      << "only the lessee may give a page back";
  EXPECT_EQ(store->fail_page(lease->page.id, "w", "decoder threw"), PageState::kReceived);
  lease = store->lease_next_page("w", 60);
  ASSERT_TRUE(lease);
  EXPECT_EQ(store->fail_page(lease->page.id, "w", "decoder threw"), PageState::kFailed);
  EXPECT_FALSE(store->lease_next_page("w", 60));
}

TEST_P(StoreTest, ConcurrentWorkersNeverShareAPage) {
  constexpr int kPages = 60;
  constexpr int kWorkers = 4;
  {
    auto setup = open();
    const Id office = make_office(*setup, "casa");
    for (int n = 0; n < kPages / 3; ++n) add_document(*setup, office, n, 3);
  }
  std::mutex mutex;
  std::multiset<Id> leased;
  std::vector<std::thread> threads;
  threads.reserve(kWorkers);
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      auto store = open();  // its own connection, as a separate process would have
      const std::string name = "worker-" + std::to_string(w);
      while (auto lease = store->lease_next_page(name, 300)) {
        {
          std::lock_guard lock(mutex);
          leased.insert(lease->page.id);
        }
        store->complete_page(lease->page.id, name, result_for(*lease, PageState::kAccepted));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(leased.size(), static_cast<std::size_t>(kPages));
  EXPECT_EQ(std::set<Id>(leased.begin(), leased.end()).size(), static_cast<std::size_t>(kPages))
      << "some page was leased by two workers";
  EXPECT_EQ(open()->counts().accepted, kPages);
}

// Workers crash at random points (after leasing, or after completing but before noticing);
// after the leases expire the survivors finish: every page has exactly one claim, every
// accepted claim exactly one delivery.
TEST_P(StoreTest, CrashedWorkersLoseNothingAndDuplicateNothing) {
  constexpr int kDocuments = 10;
  constexpr int kPagesEach = 3;
  auto setup = open();
  const Id office = make_office(*setup, "casa");
  for (int n = 0; n < kDocuments; ++n) add_document(*setup, office, n, kPagesEach);

  {
    auto doomed = open();
    for (int i = 0; i < 6; ++i) {
      auto lease = doomed->lease_next_page("doomed", 30);
      ASSERT_TRUE(lease);
      // Half of them got as far as storing the result, then the process died.
      if (i % 2 == 0) {
        doomed->complete_page(lease->page.id, "doomed", result_for(*lease, PageState::kAccepted));
      }
    }
  }  // the doomed process is gone; its connection with it
  advance_seconds(31);

  std::vector<std::thread> threads;
  threads.reserve(3);
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w] {
      auto store = open();
      const std::string name = "survivor-" + std::to_string(w);
      while (auto lease = store->lease_next_page(name, 30)) {
        const auto state = lease->page.index == 2 ? PageState::kNeedsReview : PageState::kAccepted;
        const auto result = result_for(*lease, state);
        store->complete_page(lease->page.id, name, result);
        // A retry after a lost acknowledgement: must change nothing.
        EXPECT_EQ(store->complete_page(lease->page.id, name, result),
                  CompleteResult::kAlreadyStored);
      }
    });
  }
  for (auto& t : threads) t.join();

  const auto counts = setup->counts();
  EXPECT_EQ(counts.received + counts.processing, 0);
  EXPECT_EQ(counts.accepted + counts.needs_review, kDocuments * kPagesEach);
  EXPECT_EQ(counts.deliveries_pending, counts.accepted);
  std::set<std::string> claim_ids;
  for (int n = 0; n < kDocuments; ++n) {
    const auto doc = setup->find_document(n + 1);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->state, DocumentState::kDone);
    const auto claims = setup->document_claims(doc->id);
    EXPECT_EQ(claims.size(), static_cast<std::size_t>(kPagesEach));
    for (const auto& c : claims) claim_ids.insert(c.claim_id);
  }
  EXPECT_EQ(claim_ids.size(), static_cast<std::size_t>(kDocuments * kPagesEach));
}

}  // namespace
}  // namespace carescan::store
