#include "lockstep/graph/igraph_adapter.h"

#include <gtest/gtest.h>

#include <random>

namespace lockstep {
namespace {

TEST(Leiden, FindsPlantedCliquesInNoise) {
  // Four cliques of 10 among 200 nodes with sparse random noise edges.
  std::mt19937_64 rng(3);
  std::vector<WeightedEdge> edges;
  for (uint32_t c = 0; c < 4; ++c)
    for (uint32_t i = 0; i < 10; ++i)
      for (uint32_t j = i + 1; j < 10; ++j) edges.push_back({c * 10 + i, c * 10 + j, 5.0});
  for (int k = 0; k < 300; ++k) {
    uint32_t a = 40 + rng() % 160, b = 40 + rng() % 160;
    if (a != b) edges.push_back({a, b, 1.0});
  }
  auto membership = LeidenClusters(200, edges, {});
  ASSERT_TRUE(membership.ok()) << membership.status().message();
  for (uint32_t c = 0; c < 4; ++c)
    for (uint32_t i = 1; i < 10; ++i)
      EXPECT_EQ((*membership)[c * 10 + i], (*membership)[c * 10]) << "clique " << c << " stays together";
  for (uint32_t c = 1; c < 4; ++c) EXPECT_NE((*membership)[c * 10], (*membership)[0]) << "cliques stay apart";
  auto again = LeidenClusters(200, edges, {});
  EXPECT_EQ(*again, *membership) << "a fixed seed gives the same partition";
}

TEST(Leiden, BadInputIsAStatusNotAnAbort) {
  auto r = LeidenClusters(3, {{0, 7, 1.0}}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("only 3 nodes"), std::string::npos) << r.status().message();
  auto w = LeidenClusters(3, {{0, 1, -2.0}}, {});
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("-2"), std::string::npos) << w.status().message();
}

TEST(Components, SplitsDisconnectedParts) {
  auto c = ConnectedComponents(5, {{0, 1, 1}, {1, 2, 1}, {3, 4, 1}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)[0], (*c)[2]);
  EXPECT_NE((*c)[0], (*c)[3]);
  EXPECT_EQ((*c)[3], (*c)[4]);
}

}  // namespace
}  // namespace lockstep
