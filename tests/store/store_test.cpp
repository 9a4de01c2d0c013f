// Migrations, accounts, intake and claim listings, on SQLite and PostgreSQL.
#include "store_fixture.h"

namespace carescan::store {
namespace {

TEST_P(StoreTest, ReopeningAppliesNoMigrationTwiceAndKeepsData) {
  {
    auto store = open();
    EXPECT_GE(store->schema_version(), 1);
    make_office(*store, "casa");
  }
  auto again = open();
  auto third = open();
  EXPECT_EQ(again->schema_version(), third->schema_version());
  ASSERT_TRUE(third->find_office_by_code("casa"));
  EXPECT_EQ(third->list_offices().size(), 1u);
}

TEST_P(StoreTest, RejectsAnUnknownUrl) {
  EXPECT_THROW(open_store("mysql://x", dir_), StoreError);
  EXPECT_THROW(open_store("sqlite:", dir_), StoreError);
}

TEST_P(StoreTest, FindsApiKeyByHashUntilRevoked) {
  auto store = open();
  const Id office = make_office(*store, "rabat");
  const auto key = store->add_api_key(office, "cs_ab12", "hash-of-key", "scanner 1");
  const auto found = store->find_api_key("hash-of-key");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->office_id, office);
  EXPECT_EQ(found->prefix, "cs_ab12");
  EXPECT_FALSE(store->find_api_key("other-hash"));
  EXPECT_TRUE(store->revoke_api_key(key.id));
  EXPECT_FALSE(store->revoke_api_key(key.id));
  EXPECT_FALSE(store->find_api_key("hash-of-key"));
  ASSERT_EQ(store->list_api_keys(office).size(), 1u);
  EXPECT_TRUE(store->list_api_keys(office).front().revoked_at);
}

TEST_P(StoreTest, UsersAndSessionsExpire) {
  auto store = open();
  const auto user = store->create_user("amina", "Amina R.", Role::kReviewer, "$pbkdf2$x");
  EXPECT_EQ(store->find_user_by_name("amina")->role, Role::kReviewer);
  EXPECT_THROW(store->create_user("amina", "Other", Role::kAdmin, "h"), StoreError);
  EXPECT_TRUE(store->set_password_hash(user.id, "$pbkdf2$y"));
  EXPECT_EQ(store->find_user(user.id)->password_hash, "$pbkdf2$y");

  store->create_session({"tok", user.id, "csrf", now(), now() + std::chrono::seconds(60)});
  ASSERT_TRUE(store->find_session("tok"));
  EXPECT_EQ(store->find_session("tok")->csrf_token, "csrf");
  advance_seconds(61);
  EXPECT_FALSE(store->find_session("tok"));

  store->create_session({"tok2", user.id, "c2", now(), now() + std::chrono::seconds(60)});
  EXPECT_TRUE(store->set_user_disabled(user.id, true));
  EXPECT_FALSE(store->find_session("tok2")) << "disabling a user ends their sessions";
  EXPECT_TRUE(store->find_user(user.id)->disabled);
}

TEST_P(StoreTest, SameBytesFromSameOfficeReturnTheExistingDocument) {
  auto store = open();
  const Id casa = make_office(*store, "casa");
  const Id fes = make_office(*store, "fes");
  NewDocument d{casa, sha(1), "a.pdf", "application/pdf", 10, 2, "api"};
  const auto first = store->add_document(d);
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.document.state, DocumentState::kReceived);
  const auto again = store->add_document(d);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.document.id, first.document.id);
  EXPECT_EQ(store->document_pages(first.document.id).size(), 2u);

  d.office_id = fes;
  const auto other = store->add_document(d);
  EXPECT_TRUE(other.created) << "another office's copy is its own document";
  EXPECT_NE(other.document.id, first.document.id);
  EXPECT_EQ(store->counts().received, 4);
}

TEST_P(StoreTest, RefusesADocumentWithoutPages) {
  auto store = open();
  const Id office = make_office(*store, "casa");
  EXPECT_THROW(store->add_document({office, sha(1), "a", "image/png", 1, 0, "api"}), StoreError);
}

TEST_P(StoreTest, ListsClaimsByStateAndOfficeInPages) {
  auto store = open();
  const Id casa = make_office(*store, "casa");
  const Id fes = make_office(*store, "fes");
  for (int n = 1; n <= 5; ++n) add_document(*store, n % 2 ? casa : fes, n, 1);
  const auto start = now();
  for (int n = 1; n <= 5; ++n) {
    advance_seconds(1);
    auto lease = store->lease_next_page("w", 60);
    ASSERT_TRUE(lease);
    const auto state = n == 2 ? PageState::kNeedsReview : PageState::kAccepted;
    ASSERT_EQ(store->complete_page(lease->page.id, "w", result_for(*lease, state)),
              CompleteResult::kStored);
  }

  ClaimQuery accepted_casa;
  accepted_casa.state = PageState::kAccepted;
  accepted_casa.office_id = casa;
  accepted_casa.limit = 2;
  const auto page1 = store->list_claims(accepted_casa);
  ASSERT_EQ(page1.items.size(), 2u);
  EXPECT_FALSE(page1.next.empty());
  accepted_casa.after = page1.next;
  const auto page2 = store->list_claims(accepted_casa);
  ASSERT_EQ(page2.items.size(), 1u);
  EXPECT_TRUE(page2.next.empty());
  EXPECT_NE(page2.items[0].claim_id, page1.items[0].claim_id);
  for (const auto& c : page1.items) EXPECT_EQ(c.office_id, casa);

  ClaimQuery review;
  review.state = PageState::kNeedsReview;
  const auto backlog = store->list_claims(review);
  ASSERT_EQ(backlog.items.size(), 1u);
  EXPECT_EQ(backlog.items[0].office_id, fes);

  ClaimQuery recent;
  recent.since = start + std::chrono::seconds(4);
  EXPECT_EQ(store->list_claims(recent).items.size(), 2u);

  ClaimQuery bad;
  bad.after = "not-a-cursor";
  EXPECT_THROW(store->list_claims(bad), StoreError);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace carescan::store
