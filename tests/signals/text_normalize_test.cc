#include "lockstep/signals/text_normalize.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lockstep {
namespace {

std::vector<std::string> Tokens(std::string_view text) {
  std::string out;
  std::vector<TextToken> tokens;
  NormalizeText(text, TextNormalizeOptions{}, &out, &tokens);
  std::vector<std::string> words;
  for (const TextToken& t : tokens) words.emplace_back(out.substr(t.begin, t.length));
  return words;
}

TEST(NormalizeText, LatinCaseAccentsPunctuationAndWhitespaceFold) {
  EXPECT_EQ(NormalizeText("  Café   CRÈME, brûlée!!  "), "cafe creme brulee")
      << "case folded, accents dropped, punctuation and runs of whitespace become one space";
  EXPECT_EQ(NormalizeText("Straße"), "strasse") << "case folding maps ß to ss";
  EXPECT_EQ(NormalizeText("Don't STOP"), NormalizeText("dont stop")) << "an apostrophe inside a word joins it";
  EXPECT_EQ(NormalizeText("don’t stop"), "dont stop") << "the typographic apostrophe too";
  EXPECT_EQ(NormalizeText("e\xCC\x81t\xC3\xA9"), "ete") << "decomposed and precomposed accents fold alike";
}

TEST(NormalizeText, FullWidthAndCompatibilityFormsFoldLikeNfkc) {
  EXPECT_EQ(NormalizeText("ＶＯＴＥ　ＮＯＷ　１２３"), "vote now 123") << "full-width letters, digits and space";
  EXPECT_EQ(NormalizeText("ﬁnal ①"), "final 1") << "ligatures and circled digits decompose";
  EXPECT_EQ(NormalizeText("ｶﾀｶﾅ"), NormalizeText("カタカナ")) << "half-width katakana become full-width";
}

TEST(NormalizeText, UrlsMentionsRetweetPrefixAndEntitiesAreStripped) {
  EXPECT_EQ(NormalizeText("RT @someone: Vote now https://t.co/AbC123 via @news_bot &amp; share"),
            "vote now via share")
      << "retweet prefix, URL, mentions and HTML entities go";
  EXPECT_EQ(NormalizeText("rt @a: RT @b: hello www.example.com/x?y=1 world"), "hello world")
      << "repeated retweet prefixes and www. links";
  EXPECT_EQ(NormalizeText("#Election2024 is here"), "election2024 is here") << "a hashtag keeps its word";
  EXPECT_EQ(NormalizeText("art @ 5"), "art 5") << "a lone @ is punctuation, not a mention";
  EXPECT_EQ(NormalizeText("RTE news"), "rte news") << "only 'RT @x' is a retweet prefix";
}

TEST(NormalizeText, EmojiAndSymbolsAreDroppedConsistently) {
  EXPECT_EQ(NormalizeText("great news 🔥🔥 👏"), "great news") << "emoji are separators and never tokens";
  EXPECT_EQ(NormalizeText("great👏news"), "great news") << "an emoji between words separates them";
  EXPECT_EQ(NormalizeText("👨‍👩‍👧 ❤️"), "") << "a text of emoji only has no tokens";
}

TEST(NormalizeText, PersianAndArabicVariantLettersAndMarksFold) {
  // Persian keheh and Farsi yeh vs the Arabic kaf and yeh; ZWNJ inside a word.
  EXPECT_EQ(NormalizeText("کتاب ایرانی"), NormalizeText("كتاب ايراني")) << "ک/ك and ی/ي are one letter";
  EXPECT_EQ(NormalizeText("می‌خواهم"), NormalizeText("میخواهم")) << "the zero-width non-joiner is ignorable";
  EXPECT_EQ(NormalizeText("۱۲۳ ١٢٣"), "123 123") << "Persian and Arabic-Indic digits are digits";
  EXPECT_EQ(NormalizeText("مُحَمَّد"), NormalizeText("محمد")) << "harakat (short vowels, shadda) are dropped";
  EXPECT_EQ(NormalizeText("أحمد إلى"), NormalizeText("احمد الي")) << "hamza forms of alef and alef maksura fold";
  EXPECT_EQ(NormalizeText("مدرسة"), NormalizeText("مدرسه")) << "teh marbuta folds to heh";
  EXPECT_EQ(NormalizeText("جمـــيل"), NormalizeText("جميل")) << "tatweel stretching is dropped";
  EXPECT_EQ(Tokens("اليوم، الناس؟").size(), 2u) << "Arabic comma and question mark separate words";
}

TEST(NormalizeText, HebrewNiqqudIsDroppedAndWordsKept) {
  EXPECT_EQ(NormalizeText("שָׁלוֹם עוֹלָם"), "שלום עולם") << "niqqud is optional in Hebrew";
  EXPECT_EQ(Tokens("בחירות: היום!").size(), 2u) << "Hebrew words split on punctuation";
}

TEST(NormalizeText, CyrillicCaseAndYoFold) {
  EXPECT_EQ(NormalizeText("Всё ЁЛКИ Москва"), "все елки москва") << "case folded, ё is е";
  EXPECT_EQ(Tokens("Привет, мир!").size(), 2u) << "two words";
}

TEST(NormalizeText, CjkCharactersAreTokensOfTheirOwn) {
  EXPECT_EQ(Tokens("我爱北京"), (std::vector<std::string>{"我", "爱", "北", "京"}))
      << "Chinese has no spaces: one token per character";
  EXPECT_EQ(NormalizeText("我爱 北京。"), "我爱北京") << "adjacent CJK tokens are written without spaces";
  EXPECT_EQ(NormalizeText("東京でiPhoneを買った"), "東京て\u3099 iphone を買った")
      << "a Latin word inside Japanese stays one word; the kana voicing mark is kept, decomposed";
  EXPECT_EQ(NormalizeText("ﾃﾞﾓ"), NormalizeText("デモ")) << "half-width voiced kana equal full-width ones";
  EXPECT_EQ(Tokens("東京でiPhoneを買った").size(), 8u) << "7 kana/kanji characters and one word";
  EXPECT_EQ(Tokens("안녕하세요 세계").size(), 2u) << "Korean is written with spaces: Hangul words stay whole";
  EXPECT_EQ(Tokens("สวัสดีครับ").size(), 7u) << "Thai: one token per base character, vowel marks attached";
}

TEST(NormalizeText, InvalidUtf8IsASeparatorNotACrash) {
  EXPECT_EQ(NormalizeText("abc\xFF\xFE" "def"), "abc def") << "bad bytes separate tokens";
  EXPECT_EQ(NormalizeText(""), "") << "empty stays empty";
}

TEST(NormalizeText, OptionsTurnStrippingOff) {
  TextNormalizeOptions keep;
  keep.strip_urls = keep.strip_mentions = keep.strip_retweet_prefix = false;
  std::string out;
  NormalizeText("RT @x: see https://t.co/a", keep, &out, nullptr);
  EXPECT_EQ(out, "rt x see https t co a") << "with stripping off, the parts are ordinary words";
}

}  // namespace
}  // namespace lockstep
