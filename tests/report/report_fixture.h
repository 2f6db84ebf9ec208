// A hand-made data set and detection for the report tests: one network of
// Facebook accounts, a Page, a Group, Instagram accounts and a Twitter
// account with shared infrastructure, ads in two currencies and copied posts,
// plus an authentic account. Hand-made so the golden files do not move when
// detection is tuned.
#ifndef LOCKSTEP_TESTS_REPORT_REPORT_FIXTURE_H_
#define LOCKSTEP_TESTS_REPORT_REPORT_FIXTURE_H_

#include <string>

#include <gtest/gtest.h>

#include "lockstep/detect/network.h"
#include "lockstep/ingest/load.h"
#include "lockstep/model/dataset.h"
#include "test_util.h"

namespace lockstep::testing {

// The hostile post of issue 8: markup, a script, an attribute break-out, a
// right-to-left override, Arabic, emoji and a 10,000-character word.
inline std::string HostileText() {
  return "<script>alert(1)</script> \"><img src=x onerror=alert(1)> \xE2\x80\xAE" "gnp.exe "
         "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD8\xA8\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85 "
         "\xF0\x9F\x98\x80\xF0\x9F\x94\xA5 " + std::string(10000, 'W');
}

inline std::string Csv(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Writes the data set into `dir`; `extra_post` (if not empty) is one more post by fb3.
inline void WriteReportDataset(const std::string& dir, const std::string& extra_post = "") {
  WriteFile(dir + "/accounts.csv",
            "account_id,platform,kind,handle,display_name,created_at,country,language,followers,following,description\n"
            "fb1,facebook,account,anna_k,Anna K,2019-03-01,RU,ru,120,80,\n"
            "fb2,facebook,account,boris_p,Boris P,2019-03-02,RU,ru,95,60,\n"
            "fb3,facebook,account,vera_s,Vera S,2020-01-10,RU,ru,40,30,\n"
            "pg1,facebook,page,daily_truth,Daily Truth,2018-11-05,,en,15000,,News page\n"
            "gr1,facebook,group,friends_of_truth,Friends of Truth,2019-06-01,,en,2300,,\n"
            "ig1,instagram,account,truth.pics,Truth Pics,2020-02-02,,en,800,100,\n"
            "ig2,instagram,account,truth.daily,Truth Daily,,,en,1200,150,\n"
            "tw1,twitter,account,truthteller,Truth Teller,2019-07-07,,en,6200,300,\n"
            "au1,facebook,account,real_person,Real Person,2012-01-01,DE,de,300,200,\n");
  std::string events =
      "event_id,account_id,time,type,target_id,target_account_id,text,urls,hashtags,language\n"
      "e1,pg1,2020-09-01T05:00:00Z,post,,,Read the truth about the law,https://truth-news.example/law,stopthelaw,en\n"
      "e2,fb1,2020-09-01T06:00:00Z,post,,,Vote against the new law,https://truth-news.example/a,stopthelaw,en\n"
      "e3,fb2,2020-09-01T06:01:00Z,post,,,Vote against the new law,https://truth-news.example/a,stopthelaw,en\n"
      "e4,fb3,2020-09-01T06:02:00Z,post,,,Vote against the new law,https://www.truth-news.example/a,stopthelaw vote,en\n"
      "e5,fb1,2020-09-01T09:00:00Z,share,e1,pg1,,,,en\n"
      "e6,fb2,2020-09-01T09:01:00Z,share,e1,pg1,,,,en\n"
      "e7,fb3,2020-09-01T09:02:00Z,comment,e1,pg1,So true!,,,en\n"
      "e8,ig1,2020-09-02T15:00:00Z,post,,,\"<b>Truth</b> & lies | *bold* <script>alert(1)</script>\",,truth,en\n"
      "e9,ig2,2020-09-02T15:05:00Z,like,e8,ig1,,,,\n"
      "e10,tw1,2020-10-05T16:00:00Z,post,,,The law is a disgrace,https://other.example/x,stopthelaw,en\n"
      "e11,gr1,2020-10-06T07:00:00Z,post,,,Join us,,,ru\n"
      "e12,fb1,2020-11-07T18:30:00Z,share,e10,tw1,,,,en\n"
      "e13,fb2,2020-11-07T18:31:00Z,share,e10,tw1,,,,en\n"
      "e14,au1,2020-09-01T06:00:00Z,post,,,Nice weather today,,,de\n";
  if (!extra_post.empty()) events += "e15,fb3,2020-09-03T08:00:00Z,post,,," + Csv(extra_post) + ",,,ar\n";
  WriteFile(dir + "/events.csv", events);
  WriteFile(dir + "/infra.csv",
            "account_id,time,kind,value\n"
            "fb1,2020-09-01,ip,203.0.113.7\nfb2,2020-09-01,ip,203.0.113.7\nfb3,2020-09-01,ip,203.0.113.7\n"
            "fb1,2020-09-01,device,device-A\nfb2,2020-09-01,device,device-A\nig1,2020-09-01,device,device-B\n"
            "au1,2020-09-01,ip,198.51.100.1\n");
  WriteFile(dir + "/ads.csv",
            "account_id,time,spend,currency\npg1,2020-09-02,100.50,USD\npg1,2020-10-01,49.50,USD\n"
            "fb1,2020-09-05,2000,RUB\nau1,2020-09-05,5,EUR\n");
}

inline Dataset LoadReportDataset(const std::string& dir) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir, "auto", {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << "the hand-made data set loads: " << ds.status().message();
  return ds.ok() ? std::move(ds.value()) : Dataset();
}

// One network of every asset but au1, with numbers that need rounding.
inline Detection HandMadeDetection(const Dataset& ds) {
  Detection d;
  d.fdr = 0.01;
  d.significant_edges = 7;
  d.expected_false_edges = 0.0712345678;
  d.signals_run = {"co-share", "co-link", "shared-infrastructure"};
  d.skipped = {{"audience", "no follower_counts in the data"}};
  d.stage_seconds = {{"co-action", 0.123}};
  Network n;
  n.network_id = "N1";
  n.confidence = 0.812345678;
  for (const char* id : {"fb1", "fb2", "fb3", "pg1", "gr1", "ig1", "ig2", "tw1"})
    n.members.push_back(ds.account_ids.Find(id));
  std::sort(n.members.begin(), n.members.end());
  for (size_t i = 0; i < n.members.size(); ++i) n.member_scores.push_back(0.9 - 0.0712345 * static_cast<double>(i));
  n.attached = {ds.account_ids.Find("pg1")};
  n.indicators.push_back({"co-share", 0.912345678, 1.23456789e-9,
                          "3 accounts shared the same 2 posts within 2 minutes of each other",
                          {"fb1 and fb2 shared e1 60 s apart", "<i>fb2</i> and fb3 commented on e1"}});
  n.indicators.push_back({"shared-infrastructure", 0.7, std::nullopt, "3 accounts used IP 203.0.113.7", {}});
  n.utc_offset = 3.0;
  n.utc_offset_confidence = 0.7765432;
  n.shift.summary = "morning and evening peaks, lunch dip";
  n.origin_countries = {"RU"};
  n.target_countries = {"US"};
  n.tier = "FGI";
  n.events = 13;
  d.networks.push_back(std::move(n));
  return d;
}

}  // namespace lockstep::testing

#endif  // LOCKSTEP_TESTS_REPORT_REPORT_FIXTURE_H_
