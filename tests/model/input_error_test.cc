#include "lockstep/model/input_error.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace lockstep {
namespace {

using testing::TempDir;

InputError BadTime(uint64_t line) {
  InputError e;
  e.kind = InputErrorKind::kBadTime;
  e.file = "/tmp/share/events.csv";
  e.line = line;
  e.byte_offset = 10 * line;
  e.field = "time";
  e.problem = "'yesterday' is not a time";
  return e;
}

// An MPI rank parses a copy of part of the user's file: its errors, in the
// rejects file, the samples and the error that stops the load, must name the
// user's file and line, translated once.
TEST(ErrorSink, LocateNamesTheUsersFileInRejectsAndSamplesOnce) {
  TempDir dir;
  {
    ErrorSink sink(ErrorPolicy::kSkip, dir / "rejects.csv");
    ASSERT_EQ(sink.rejects_error(), "");
    sink.set_locate([](InputError& e) {
      e.file = "data/events.csv";
      e.line += 1000;
      e.byte_offset += 5000;
    });
    EXPECT_TRUE(sink.Report(BadTime(3)));
    sink.ReportFatal(BadTime(7));
    EXPECT_TRUE(sink.failed());
    ASSERT_EQ(sink.samples().size(), 2u);
    EXPECT_EQ(sink.samples()[0].file, "data/events.csv");
    EXPECT_EQ(sink.samples()[0].line, 1003u);
    ASSERT_NE(sink.first(), nullptr);
    EXPECT_EQ(sink.first()->line, 1007u) << "the fatal error, translated once";
    EXPECT_EQ(sink.first()->byte_offset, 5070u);
  }  // the sink closes the rejects file
  const std::string rejects = testing::ReadFile(dir / "rejects.csv");
  EXPECT_NE(rejects.find("\"data/events.csv\",1003,5030,bad_time"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\"data/events.csv\",1007,5070,bad_time"), std::string::npos) << rejects;
  EXPECT_EQ(rejects.find("/tmp/share"), std::string::npos) << rejects;
}

}  // namespace
}  // namespace lockstep
