// Constrained CTC decoding on hand-made posteriors: the grammar picks the best valid reading.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "recognize/ctc_decode.h"

namespace carescan::recognize {
namespace {

const std::string kAlphabet = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ/,.-'";

int class_of(char c) {
  return static_cast<int>(kAlphabet.find(c)) + 1;
}

// One column per entry; each column gives its listed characters their probability ('_' is the
// blank) and spreads what is left over the other classes.
cv::Mat columns(const std::vector<std::vector<std::pair<char, float>>>& spec) {
  const int classes = static_cast<int>(kAlphabet.size()) + 1;
  cv::Mat probs(static_cast<int>(spec.size()), classes, CV_32F);
  for (int t = 0; t < probs.rows; ++t) {
    float used = 0;
    for (const auto& [c, p] : spec[static_cast<size_t>(t)]) used += p;
    probs.row(t).setTo((1.0F - used) / static_cast<float>(classes));
    for (const auto& [c, p] : spec[static_cast<size_t>(t)]) {
      probs.at<float>(t, c == '_' ? 0 : class_of(c)) += p;
    }
  }
  return probs;
}

// A clear reading of `text`: each character then a blank.
cv::Mat clear(const std::string& text) {
  std::vector<std::vector<std::pair<char, float>>> spec;
  for (char c : text) {
    spec.push_back({{c, 0.9F}});
    spec.push_back({{'_', 0.9F}});
  }
  return columns(spec);
}

std::string best(const cv::Mat& probs, Content content, const std::string& allowed = "",
                 const WordPrior* prior = nullptr) {
  const auto g = grammar_for(content, allowed, prior);
  const auto out = ctc_beam_search(probs, kAlphabet, *g, 16);
  return out.empty() ? "<none>" : out.front().text;
}

TEST(CtcDecode, ReadsAClearLineAsItIsAndMergesRepeatsOnlyWithoutABlank) {
  EXPECT_EQ(best(clear("12/03/2025"), Content::kAny), "12/03/2025");
  EXPECT_EQ(ctc_greedy(clear("1 250,00"), kAlphabet), "1 250,00");
  // "11": two emissions of 1 separated by a blank; "1" held over two columns is one 1.
  EXPECT_EQ(best(columns({{{'1', 0.9F}}, {{'_', 0.9F}}, {{'1', 0.9F}}}), Content::kDigits), "11");
  EXPECT_EQ(best(columns({{{'1', 0.9F}}, {{'1', 0.9F}}}), Content::kDigits), "1");
}

TEST(CtcDecode, DateGrammarPicksARealCalendarDate) {
  // The model slightly prefers a 13th month; the grammar takes the close second, 12.
  cv::Mat probs = columns({{{'0', 0.9F}},
                           {{'4', 0.9F}},
                           {{'/', 0.9F}},
                           {{'1', 0.9F}},
                           {{'3', 0.5F}, {'2', 0.4F}},
                           {{'/', 0.9F}},
                           {{'2', 0.9F}},
                           {{'0', 0.9F}},
                           {{'2', 0.9F}},
                           {{'4', 0.9F}}});
  EXPECT_EQ(ctc_greedy(probs, kAlphabet), "04/13/2024");
  EXPECT_EQ(best(probs, Content::kDate), "04/12/2024");
  // 30 February does not exist, 28 does; 29 only in a leap year.
  EXPECT_FALSE(is_calendar_date("30/02/2024"));
  EXPECT_TRUE(is_calendar_date("29/02/2024"));
  EXPECT_FALSE(is_calendar_date("29/02/2025"));
  EXPECT_TRUE(is_calendar_date("31/12/25"));
  EXPECT_FALSE(is_calendar_date("1/12/25"));
  EXPECT_FALSE(is_calendar_date("01/12/225"));
}

TEST(CtcDecode, AmountGrammarWantsTwoDecimalsOrNoneAndGroupsOfThree) {
  // A third decimal the model half sees is dropped: amounts carry two.
  cv::Mat probs = columns({{{'4', 0.9F}},
                           {{'2', 0.9F}},
                           {{'0', 0.9F}},
                           {{',', 0.9F}},
                           {{'5', 0.9F}},
                           {{'_', 0.9F}},
                           {{'0', 0.9F}},
                           {{'_', 0.5F}, {'7', 0.45F}}});
  EXPECT_EQ(best(probs, Content::kAmount), "420,50");
  EXPECT_EQ(best(clear("1 250,00"), Content::kAmount), "1 250,00");
  EXPECT_EQ(best(clear("350"), Content::kAmount), "350");
  // "12 50,00" is not a grouping anybody writes: nothing valid is read from it as is.
  const auto g = grammar_for(Content::kAmount, "", nullptr);
  EXPECT_FALSE(g->accepts("12 50,00"));
  EXPECT_FALSE(g->accepts("120,5"));
  EXPECT_FALSE(g->accepts("05,00"));
  EXPECT_TRUE(g->accepts("12 500.00"));
}

TEST(CtcDecode, CinGrammarIsOneOrTwoCapitalsThenDigits) {
  // The model half sees an I where the CIN's digits have begun, and an O among them: a CIN has
  // no letter after its digits start, so they read as 1 and 0.
  cv::Mat probs = columns({{{'B', 0.9F}},
                           {{'_', 0.9F}},
                           {{'E', 0.9F}},
                           {{'_', 0.9F}},
                           {{'I', 0.5F}, {'1', 0.4F}},
                           {{'_', 0.9F}},
                           {{'O', 0.5F}, {'0', 0.4F}},
                           {{'_', 0.9F}},
                           {{'5', 0.9F}},
                           {{'_', 0.9F}},
                           {{'6', 0.9F}},
                           {{'_', 0.9F}},
                           {{'7', 0.9F}}});
  EXPECT_EQ(best(probs, Content::kAny), "BEIO567");
  EXPECT_EQ(best(probs, Content::kCin), "BE10567");
  const auto g = grammar_for(Content::kCin, "", nullptr);
  EXPECT_TRUE(g->accepts("A123456"));
  EXPECT_TRUE(g->accepts("AB12345"));
  EXPECT_FALSE(g->accepts("ABC1234"));    // three letters
  EXPECT_FALSE(g->accepts("1234567"));    // no letter
  EXPECT_FALSE(g->accepts("AB"));         // no digit
  EXPECT_FALSE(g->accepts("AB1234567"));  // longer than eight
  EXPECT_FALSE(g->may_extend("AB12", 'C'));
}

TEST(CtcDecode, AllowedCharactersAndWordShapeAreRespected) {
  // A letter the field does not allow is never read, even if the model prefers it.
  cv::Mat probs = columns({{{'B', 0.6F}, {'8', 0.35F}}, {{'_', 0.9F}}, {{'5', 0.9F}}});
  EXPECT_EQ(best(probs, Content::kAny), "B5");
  EXPECT_EQ(best(probs, Content::kDigits, "0123456789"), "85");
  // Names: capitals and single spaces, no digit.
  EXPECT_EQ(best(columns({{{'E', 0.9F}},
                          {{'L', 0.9F}},
                          {{' ', 0.9F}},
                          {{'A', 0.9F}},
                          {{'1', 0.6F}, {'L', 0.3F}},
                          {{'I', 0.9F}}}),
                 Content::kName),
            "EL ALI");
}

TEST(CtcDecode, WordPriorIsABonusNotACage) {
  WordPrior prior;
  prior.words = {"SAID"};
  // The model leans to SAIO; the prior tips a near tie to the listed name...
  cv::Mat near_tie = columns({{{'E', 0.9F}},
                              {{'L', 0.9F}},
                              {{' ', 0.9F}},
                              {{'S', 0.9F}},
                              {{'A', 0.9F}},
                              {{'I', 0.9F}},
                              {{'O', 0.5F}, {'D', 0.4F}}});
  EXPECT_EQ(best(near_tie, Content::kName), "EL SAIO");
  EXPECT_EQ(best(near_tie, Content::kName, "", &prior), "EL SAID");
  // ...but a name the model reads clearly stays itself even when a listed one is close by.
  cv::Mat clear_other = columns({{{'E', 0.9F}},
                                 {{'L', 0.9F}},
                                 {{' ', 0.9F}},
                                 {{'S', 0.9F}},
                                 {{'A', 0.9F}},
                                 {{'I', 0.9F}},
                                 {{'F', 0.9F}, {'D', 0.05F}}});
  EXPECT_EQ(best(clear_other, Content::kName, "", &prior), "EL SAIF");
}

// A name's short words are all listed (EL, ES): an unlisted one costs what a listed word earns,
// so cutting "OU" off a name to leave a listed ALI gains nothing over reading OUALI whole.
TEST(CtcDecode, SplittingOffAnUnlistedShortWordEarnsNoBonus) {
  WordPrior prior;
  prior.words = {"ALI", "EL", "SARA"};
  prior.bonus_per_word = 4.5;
  prior.complete_below = 3;
  const auto grammar = grammar_for(Content::kName, "", &prior);
  EXPECT_DOUBLE_EQ(grammar->bonus("OU ALI SARA"), grammar->bonus("OUALI SARA"));
  EXPECT_DOUBLE_EQ(grammar->bonus("EL ALI SARA"), 3 * 4.5);
  // A wide gap inside a word, the space nearly as likely as the blank: the listed ALI no longer
  // pulls the reading apart.
  cv::Mat gap = columns({{{'O', 0.9F}},
                         {{'U', 0.9F}},
                         {{'_', 0.5F}, {' ', 0.45F}},
                         {{'A', 0.9F}},
                         {{'L', 0.9F}},
                         {{'I', 0.9F}},
                         {{' ', 0.9F}},
                         {{'S', 0.9F}},
                         {{'A', 0.9F}},
                         {{'R', 0.9F}},
                         {{'A', 0.9F}}});
  EXPECT_EQ(best(gap, Content::kName, "", &prior), "OUALI SARA");
  prior.complete_below = 0;
  EXPECT_EQ(best(gap, Content::kName, "", &prior), "OU ALI SARA");
}

TEST(CtcDecode, NameIsAFamilyNameAndAFirstName) {
  // The model runs two words together but leaves some room for a gap after "ALI": the box is
  // printed "Nom et prénom", so the name reading takes the gap; free text keeps one word.
  cv::Mat run_together = columns({{{'A', 0.9F}},
                                  {{'L', 0.9F}},
                                  {{'I', 0.9F}},
                                  {{'_', 0.6F}, {' ', 0.3F}},
                                  {{'S', 0.9F}},
                                  {{'A', 0.9F}},
                                  {{'M', 0.9F}}});
  EXPECT_EQ(best(run_together, Content::kText), "ALISAM");
  EXPECT_EQ(best(run_together, Content::kName), "ALI SAM");
  // A name with no word gap anywhere is no reading at all rather than a confident wrong one.
  EXPECT_EQ(best(clear("ALISAM"), Content::kName), "<none>");
}

TEST(CtcDecode, APlaceIsOneWordOrMoreAndItsListTipsANearTie) {
  WordPrior towns;
  towns.words = {"FES"};
  // The model leans to FEB; a town is often one word, unlike a name.
  cv::Mat near_tie = columns({{{'F', 0.9F}}, {{'E', 0.9F}}, {{'B', 0.5F}, {'S', 0.4F}}});
  EXPECT_EQ(best(near_tie, Content::kPlace), "FEB");
  EXPECT_EQ(best(near_tie, Content::kPlace, "", &towns), "FES");
  EXPECT_EQ(best(near_tie, Content::kName, "", &towns), "<none>");
}

TEST(CtcDecode, AnActOrMedicineKeepsItsStrengthAndItsListTipsANearTie) {
  WordPrior care;
  care.words = {"RADIO", "500"};
  // The model leans to a zero for the O, as it does in words that may hold figures.
  cv::Mat near_tie = columns({{{'R', 0.9F}},
                              {{'A', 0.9F}},
                              {{'D', 0.9F}},
                              {{'I', 0.9F}},
                              {{'0', 0.5F}, {'O', 0.4F}},
                              {{' ', 0.9F}},
                              {{'5', 0.9F}},
                              {{'0', 0.9F}},
                              {{'_', 0.9F}},
                              {{'0', 0.9F}}});
  EXPECT_EQ(best(near_tie, Content::kText), "RADI0 500");
  EXPECT_EQ(best(near_tie, Content::kCare, "", &care), "RADIO 500");
  EXPECT_EQ(best(near_tie, Content::kCare), "RADI0 500");
}

TEST(CtcDecode, WordPriorFileLoadsWordsAndSkipsComments) {
  const auto path = std::filesystem::temp_directory_path() / "carescan_prior_test.txt";
  {
    std::ofstream out(path);
    out << "# comment\nYOUSSEF\n\nEL  \n";
  }
  const WordPrior prior = load_word_prior(path.string());
  EXPECT_EQ(prior.words.size(), 2U);
  EXPECT_EQ(prior.words.count("EL"), 1U);
  EXPECT_EQ(prior.words.count("# comment"), 0U);
  std::filesystem::remove(path);
  EXPECT_THROW(load_word_prior((path.string() + ".missing")), std::runtime_error);
  // The shipped prior is a real list, not a handful.
  const WordPrior shipped =
      load_word_prior(std::string(CARESCAN_SOURCE_ROOT) + "/models/names-prior.txt");
  EXPECT_GT(shipped.words.size(), 100U);
}

// The forward algorithm against every alignment counted by hand: 3 classes (blank, A, B), 4
// columns, 81 paths, each collapsed (repeats merged, then blanks removed).
TEST(CtcDecode, LogLikelihoodSumsEveryAlignment) {
  const std::string alphabet = "AB";
  cv::Mat probs(4, 3, CV_32F);
  const float rows[4][3] = {
      {0.5F, 0.3F, 0.2F}, {0.1F, 0.6F, 0.3F}, {0.4F, 0.2F, 0.4F}, {0.3F, 0.3F, 0.4F}};
  for (int t = 0; t < 4; ++t) {
    for (int k = 0; k < 3; ++k) probs.at<float>(t, k) = rows[t][k];
  }
  std::map<std::string, double> by_text;
  for (int path = 0; path < 81; ++path) {
    double p = 1;
    std::string text;
    int previous = 0;
    for (int t = 0, code = path; t < 4; ++t, code /= 3) {
      const int k = code % 3;
      p *= rows[t][k];
      if (k != 0 && k != previous) text += alphabet[static_cast<std::size_t>(k - 1)];
      previous = k;
    }
    by_text[text] += p;
  }
  for (const std::string text : {"", "A", "AB", "AA", "BAB", "ABAB"}) {
    const double expected = by_text.count(text) != 0 ? std::log(by_text[text]) : -INFINITY;
    EXPECT_NEAR(std::exp(ctc_log_likelihood(probs, alphabet, text)), std::exp(expected), 1e-6)
        << text;
  }
  EXPECT_TRUE(std::isinf(ctc_log_likelihood(probs, alphabet, "AAAAA")));  // needs 9 columns
  EXPECT_TRUE(std::isinf(ctc_log_likelihood(probs, alphabet, "C")));      // not in the alphabet
}

}  // namespace
}  // namespace carescan::recognize
