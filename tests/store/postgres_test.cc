#include "lockstep/store/postgres.h"

#include <gtest/gtest.h>

#include "lockstep/store/sql.h"

namespace lockstep {
namespace {

TEST(Postgres, LocationsWithAPostgresSchemeGoToTheServer) {
  EXPECT_TRUE(IsPostgresLocation("postgresql://ana@db/cases")) << "libpq's URI scheme";
  EXPECT_TRUE(IsPostgresLocation("postgres://ana@db/cases")) << "libpq accepts the short scheme too";
  EXPECT_FALSE(IsPostgresLocation("cases.db")) << "a path is an SQLite file";
  EXPECT_FALSE(IsPostgresLocation("./postgresql://x")) << "only a URI at the start counts";
}

TEST(Postgres, RedactPasswordHidesPasswordsOnly) {
  EXPECT_EQ(RedactPassword("postgresql://ana:s3cret@db:5432/cases"), "postgresql://ana:***@db:5432/cases");
  EXPECT_EQ(RedactPassword("postgresql://ana@db/cases?password=s3cret&sslmode=require"),
            "postgresql://ana@db/cases?password=***&sslmode=require")
      << "a password in the query is hidden too";
  EXPECT_EQ(RedactPassword("postgresql://db/cases?x=1"), "postgresql://db/cases?x=1") << "nothing to hide";
  EXPECT_EQ(RedactPassword("postgresql://[::1]:5432/cases"), "postgresql://[::1]:5432/cases")
      << "an IPv6 host's colons are not a password";
}

TEST(Postgres, NumberPlaceholdersSkipsStringLiterals) {
  EXPECT_EQ(NumberPlaceholders("INSERT INTO t VALUES (?, 'a?b', ?)"), "INSERT INTO t VALUES ($1, 'a?b', $2)")
      << "a ? inside quotes is text, not a parameter";
}

}  // namespace
}  // namespace lockstep
