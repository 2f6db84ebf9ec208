#include "lockstep/signals/case_fold.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

TEST(CaseFold, FoldsCaseAndCompatibilityFormsButKeepsAccents) {
  EXPECT_EQ(CaseFold("StopTheSteal"), "stopthesteal") << "hashtags differing in case are one key";
  EXPECT_EQ(CaseFold("ＢＬＭ"), "blm") << "full-width letters fold to ASCII (NFKC)";
  EXPECT_EQ(CaseFold("Straße"), "strasse") << "Unicode case folding, not just ASCII";
  EXPECT_EQ(CaseFold("CAFÉ"), "café") << "accents are kept: they tell names apart";
  EXPECT_EQ(CaseFold("\xff\xfe"), "\xff\xfe") << "invalid UTF-8 comes back unchanged";
}

}  // namespace
}  // namespace lockstep
