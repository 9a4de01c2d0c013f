#include "recognize/lexicon.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using carescan::recognize::edit_distance;
using carescan::recognize::list_evidence;
using carescan::recognize::listed_proposals;
using carescan::recognize::near_listed;
using carescan::recognize::WordPrior;

bool holds(const std::vector<std::string>& list, const std::string& text) {
  return std::find(list.begin(), list.end(), text) != list.end();
}

WordPrior prior_of(std::vector<std::string> words) {
  WordPrior prior;
  prior.words.insert(words.begin(), words.end());
  return prior;
}

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("SEBT", "SEBTI", 3), 1);
  EXPECT_EQ(edit_distance("BHLAL", "BILAL", 3), 1);
  EXPECT_EQ(edit_distance("BENELLON", "BENJELLOUN", 3), 2);
  EXPECT_EQ(edit_distance("ADAM", "ADAM", 3), 0);
  EXPECT_EQ(edit_distance("ADAM", "ZINEBOUHAJ", 2), 3);  // stops early: limit + 1
}

TEST(NearListed, OneLetterOffOrTwoListedWordsRunTogether) {
  const auto prior = prior_of({"EL", "BOUZIDI", "NACIRI", "SIHAM"});
  EXPECT_TRUE(near_listed("BOUZTDI", prior));   // a letter for another
  EXPECT_TRUE(near_listed("SIHAMA", prior));    // one too many
  EXPECT_TRUE(near_listed("ELNACIRI", prior));  // the gap missed
  EXPECT_FALSE(near_listed("BOUZIDI", prior));  // listed itself
  EXPECT_FALSE(near_listed("BOUZTDT", prior));  // two letters off
  EXPECT_FALSE(near_listed("KETTANI", prior));  // nothing like it listed
}

// The list holds every short name word: an unlisted one is most likely a wide gap inside a word
// read as a space ("OU ALLALI").
TEST(NearListed, AnUnlistedShortWordWhenTheListHoldsThemAll) {
  auto prior = prior_of({"EL", "ALI", "SARA"});
  EXPECT_FALSE(near_listed("OU", prior));  // the list says nothing of short words yet
  prior.complete_below = 3;
  EXPECT_TRUE(near_listed("OU", prior));
  EXPECT_FALSE(near_listed("EL", prior));
  EXPECT_TRUE(list_evidence("OU ALI SARA", prior).near_listed);
  EXPECT_FALSE(list_evidence("EL ALI SARA", prior).near_listed);
}

TEST(ListEvidence, AListedWordCutInTwoIsNearListed) {
  const auto prior = prior_of({"BOUAZZA", "YASMINA", "MINA", "EL", "ALI", "ELALI"});
  EXPECT_TRUE(list_evidence("BOUAZZA YAS MINA", prior).near_listed);
  EXPECT_FALSE(list_evidence("BOUAZZA YASMINA", prior).near_listed);
  EXPECT_FALSE(list_evidence("EL ALI", prior).near_listed);  // both listed: a name as written
}

TEST(ListEvidence, EveryWordListedOrSomeWordNearOne) {
  const auto prior = prior_of({"EL", "NACIRI", "SIHAM"});
  EXPECT_TRUE(list_evidence("EL NACIRI SIHAM", prior).listed);
  EXPECT_FALSE(list_evidence("EL NACIRI SIHAM", prior).near_listed);
  EXPECT_FALSE(list_evidence("EL NACIRI STHAM", prior).listed);
  EXPECT_TRUE(list_evidence("EL NACIRI STHAM", prior).near_listed);
  EXPECT_FALSE(list_evidence("KETTANI OUIAM", prior).listed);
  EXPECT_FALSE(list_evidence("KETTANI OUIAM", prior).near_listed);
}

TEST(NameProposals, ReadingFirstThenListedNeighbours) {
  const auto prior = prior_of({"SEBTI", "MERYEM", "ZINEB"});
  const auto out = listed_proposals("SEBT MERYEM", prior, 10);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.front(), "SEBT MERYEM");
  EXPECT_TRUE(holds(out, "SEBTI MERYEM"));
  EXPECT_FALSE(holds(out, "ZINEB MERYEM"));  // too far from SEBT to be proposed
}

TEST(NameProposals, SplitsARunTogetherWordIntoTwoListedOnes) {
  const auto prior = prior_of({"EL", "KARIMI", "IKRAM"});
  EXPECT_TRUE(holds(listed_proposals("EL KARIMIIKRAM", prior, 10), "EL KARIMI IKRAM"));
}

TEST(NameProposals, JoinsTwoWordsWhoseJoinIsListed) {
  const auto prior = prior_of({"ALI", "JAMAI", "SARA"});
  const auto out = listed_proposals("JA MAI SARA", prior, 10);
  EXPECT_TRUE(holds(out, "JAMAI SARA"));
  EXPECT_FALSE(holds(listed_proposals("EL ALI", prior, 10), "ELALI"));  // not listed: not proposed
}

TEST(NameProposals, UnlistedNameComesBackAloneAndTheCapHolds) {
  EXPECT_EQ(listed_proposals("QWXYZ PLMK", prior_of({"ADAM", "SARA"}), 10),
            std::vector<std::string>{"QWXYZ PLMK"});
  const auto prior = prior_of({"ALI", "ALA", "ALE", "ALO", "ALU", "ELI", "OLI"});
  EXPECT_LE(listed_proposals("ALY ALY", prior, 5).size(), 5U);
}

}  // namespace
