#include "lockstep/signals/object_keys.h"

#include <gtest/gtest.h>

#include "dataset_builder.h"

namespace lockstep {
namespace {

// The accounts acting on each key, in key order.
std::vector<std::vector<std::string>> ActorsByKey(const Dataset& ds, const ObjectKeys& keys) {
  std::vector<std::vector<std::string>> out;
  for (size_t k = 0; k < keys.num_keys(); ++k) {
    out.emplace_back();
    for (const Action& a : keys.Key(k)) out.back().emplace_back(ds.AccountId(a.account));
  }
  return out;
}

TEST(ExtractObjectKeys, SharesWithoutTargetIdAreKeyedByNormalisedText) {
  // As FiveThirtyEight's IRA tweets: a retweet flag and the retweeted text, no id.
  testing::DatasetBuilder b;
  b.Add("a", 1000, EventType::kShare, {}, "RT @news: Breaking: the Vote is RIGGED https://t.co/x1")
      .Add("b", 1010, EventType::kShare, {}, "breaking   the vote is rigged!! https://t.co/other")
      .Add("c", 1020, EventType::kShare, {}, "RT @other: something else entirely")
      .Add("d", 1030, EventType::kShare, "post-9", "RT @news: Breaking: the Vote is RIGGED")
      .Add("e", 1040, EventType::kShare, {}, "RT @x: ")  // nothing left after normalising
      .Add("f", 1050, EventType::kShare)                   // neither target nor text
      .Add("g", 1060, EventType::kPost, {}, "breaking the vote is rigged");  // a post is no share
  const Dataset ds = b.Build();
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare);
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  auto actors = ActorsByKey(ds, *keys);
  ASSERT_EQ(keys->num_keys(), 3u) << "post-9, the rigged text, the other text";
  bool found_text = false, found_target = false;
  for (size_t k = 0; k < keys->num_keys(); ++k) {
    const std::string name = keys->KeyName(k);
    if (name == "post-9") {
      found_target = true;
      EXPECT_EQ(actors[k], (std::vector<std::string>{"d"})) << "a target id is the key, whatever the text";
    }
    if (name == "shared text \"breaking the vote is rigged\"") {
      found_text = true;
      EXPECT_EQ(actors[k], (std::vector<std::string>{"a", "b"}))
          << "the same text after removing RT prefix, URLs, case and punctuation";
    }
  }
  EXPECT_TRUE(found_target);
  EXPECT_TRUE(found_text) << keys->KeyName(0) << " | " << keys->KeyName(1) << " | " << keys->KeyName(2);
}

TEST(ExtractObjectKeys, RepliesWithoutTargetStayOut) {
  // Only shares fall back to their text: a comment without a target replies to nothing known.
  testing::DatasetBuilder b;
  b.Add("a", 1000, EventType::kComment, {}, "same words here").Add("b", 1001, EventType::kComment, {}, "same words here");
  const Dataset ds = b.Build();
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kReply);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->num_keys(), 0u);
}

}  // namespace
}  // namespace lockstep
