#include "lockstep/model/interner.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "lockstep/model/dataset.h"

namespace lockstep {
namespace {

TEST(Interner, DenseIdsInFirstSeenOrderAndStableViews) {
  Interner pool;
  EXPECT_EQ(pool.Intern("b"), 0u);
  EXPECT_EQ(pool.Intern("a"), 1u);
  EXPECT_EQ(pool.Intern("b"), 0u) << "the same string gets the same id";
  EXPECT_EQ(pool.Intern(""), 2u) << "the empty string is a string too";
  EXPECT_EQ(pool.Find("zzz"), kNoString);
  std::string_view first = pool.Get(0);
  std::mt19937_64 rng(1);
  std::unordered_map<std::string, StringId> expected;
  for (int i = 0; i < 200000; ++i) {
    std::string s = "s" + std::to_string(rng() % 100000);
    const StringId id = pool.Intern(s);
    auto [it, fresh] = expected.emplace(s, id);
    ASSERT_EQ(it->second, id) << "re-interning " << s << " after table growth";
  }
  EXPECT_EQ(pool.size(), expected.size() + 3);
  EXPECT_EQ(first, "b") << "views stay valid while the pool grows";
  for (const auto& [s, id] : expected) ASSERT_EQ(pool.Get(id), s);
  Interner moved = std::move(pool);
  EXPECT_EQ(moved.Find("a"), 1u) << "moves keep contents";
}

// What a snapshot stores: the arena alone. Restoring it gives every id its
// string at once and finds every string again once the table is built at the
// first lookup; a malformed arena is refused whole.
TEST(Interner, RestoresFromTheArenaAndRefusesAMalformedOne) {
  Interner pool;
  for (int i = 0; i < 5000; ++i) pool.Intern("id" + std::to_string(i * 7));
  std::string block;
  for (std::string_view part : pool.Arena()) block += part;
  auto copy = [](const std::string& bytes) {
    auto b = std::make_unique<char[]>(bytes.size());
    std::memcpy(b.get(), bytes.data(), bytes.size());
    return b;
  };
  Interner restored;
  ASSERT_TRUE(restored.Restore(copy(block), block.size(), pool.size()));
  ASSERT_EQ(restored.size(), pool.size());
  for (StringId id = 0; id < pool.size(); ++id) ASSERT_EQ(restored.Get(id), pool.Get(id));
  for (StringId id = 0; id < pool.size(); ++id) ASSERT_EQ(restored.Find(pool.Get(id)), id) << pool.Get(id);
  EXPECT_EQ(restored.Find("id8"), kNoString);
  EXPECT_EQ(restored.Intern("new"), pool.size()) << "a restored pool keeps growing";
  EXPECT_EQ(restored.Intern("id7"), 1u) << "and does not add what it has";

  Interner grown;
  ASSERT_TRUE(grown.Restore(copy(block), block.size(), pool.size()));
  for (int i = 0; i < 20000; ++i) grown.Intern("more" + std::to_string(i));
  EXPECT_EQ(grown.Find("id35"), 5u) << "interning first, without a lookup, builds the table too";
  EXPECT_EQ(grown.Find("more19999"), pool.size() + 19999);

  Interner refused;
  EXPECT_FALSE(refused.Restore(copy(block), block.size() - 1, pool.size())) << "an arena cut short";
  EXPECT_EQ(refused.size(), 0u) << "nothing is half-restored";
  EXPECT_FALSE(refused.Restore(copy(block), block.size(), pool.size() - 1)) << "more entries than the count";
  EXPECT_FALSE(refused.Restore(copy(block), block.size(), pool.size() + 1)) << "fewer entries than the count";
  EXPECT_FALSE(refused.Restore(copy(block), block.size(), size_t{1} << 31))
      << "a count out of proportion to the arena is refused, not allocated";
  std::string swapped = block;
  const uint32_t wrong_id = 7;
  std::memcpy(swapped.data(), &wrong_id, sizeof wrong_id);
  EXPECT_FALSE(refused.Restore(copy(swapped), swapped.size(), pool.size())) << "an entry out of id order";
  std::string overlong = block;
  const uint32_t too_long = static_cast<uint32_t>(block.size());
  std::memcpy(overlong.data() + 4, &too_long, sizeof too_long);
  EXPECT_FALSE(refused.Restore(copy(overlong), overlong.size(), pool.size())) << "a length past the arena";
  EXPECT_EQ(refused.size(), 0u);
}

// Readers may look strings up concurrently, the first lookups of a restored
// pool included: one of them builds the table, and all get the right ids.
TEST(Interner, ConcurrentFirstLookupsAgree) {
  Interner pool;
  for (int i = 0; i < 20000; ++i) pool.Intern("k" + std::to_string(i));
  std::string block;
  for (std::string_view part : pool.Arena()) block += part;
  auto bytes = std::make_unique<char[]>(block.size());
  std::memcpy(bytes.get(), block.data(), block.size());
  Interner restored;
  ASSERT_TRUE(restored.Restore(std::move(bytes), block.size(), pool.size()));
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&, t] {
      for (int i = t; i < 20000; i += 4)
        if (restored.Find("k" + std::to_string(i)) != static_cast<StringId>(i)) ++wrong[t];
    });
  for (std::thread& r : readers) r.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

// The short-string comparison a lookup makes: every length up to 40, equal,
// and different in each single byte.
TEST(Interner, SameBytesTellsEveryDifference) {
  for (size_t size = 0; size <= 40; ++size) {
    std::string a(size, 'q'), b = a;
    for (size_t i = 0; i < size; ++i) a[i] = b[i] = static_cast<char>('a' + i % 26);
    ASSERT_TRUE(internal::SameBytes(a.data(), b.data(), size)) << size;
    for (size_t i = 0; i < size; ++i) {
      std::string c = a;
      c[i] ^= 1;
      ASSERT_FALSE(internal::SameBytes(a.data(), c.data(), size)) << "size " << size << ", byte " << i;
    }
  }
}

TEST(UrlHost, NormalisesHosts) {
  EXPECT_EQ(UrlHost("https://www.Example.COM/path?q=1"), "example.com");
  EXPECT_EQ(UrlHost("http://user@news.example.org:8080/x"), "news.example.org");
  EXPECT_EQ(UrlHost("bit.ly/abc"), "bit.ly") << "no scheme";
  EXPECT_EQ(UrlHost("https://t.co"), "t.co");
}

// t.co is in front of every link on Twitter: as a domain it would make every
// account there look like it pushes one site, and an indicator of nothing.
TEST(Dataset, APlatformsLinkWrapperHasNoDomain) {
  Dataset ds;
  const StringId wrapped = ds.InternUrl("https://t.co/a1b2");
  const StringId shim = ds.InternUrl("https://L.Facebook.com/l.php?u=x");
  const StringId site = ds.InternUrl("https://WWW.News.example/story");
  const StringId shortened = ds.InternUrl("https://bit.ly/abc");
  ASSERT_EQ(ds.url_domain.size(), ds.urls.size());
  EXPECT_EQ(ds.url_domain[wrapped], kNoString);
  EXPECT_EQ(ds.url_domain[shim], kNoString) << "upper case as posted";
  EXPECT_EQ(ds.domains.Get(ds.url_domain[site]), "news.example");
  EXPECT_EQ(ds.domains.Get(ds.url_domain[shortened]), "bit.ly") << "a shortener the user picks is a choice";
  EXPECT_EQ(ds.domains.size(), 2u);
  EXPECT_EQ(ds.InternDomain("lnkd.in"), kNoString);
}

TEST(Country, PacksTwoLetters) {
  CountryCode c;
  ASSERT_TRUE(ParseCountry("de", &c));
  EXPECT_EQ(CountryName(c), "DE");
  EXPECT_FALSE(ParseCountry("DEU", &c)) << "alpha-3 is not alpha-2";
  EXPECT_FALSE(ParseCountry("D1", &c));
}

}  // namespace
}  // namespace lockstep
