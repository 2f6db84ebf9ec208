#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz/ with clang (Debian's) and runs
# each for FUZZ_SECONDS seconds (default 20; .ci/run passes 10).
#
#   scripts/fuzz.sh                       # 20 s per target (CI: FUZZ_SECONDS=10)
#   FUZZ_SECONDS=600 scripts/fuzz.sh      # the longer run, 10 min per target
#   scripts/fuzz.sh twitter_json mapped   # only these targets
#
# Seed corpora are generated into build-fuzz/corpus/<target>/ from the small
# inline samples below (never copied from ../shared/data); libFuzzer grows
# them there, so later runs start from what earlier runs found. A crash
# leaves its input in build-fuzz/artifacts/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
BUILD=build-fuzz
TARGETS=(table_reader field_parsers lockstep_reader twitter_io twitter_json crowdtangle coortweet ira mapped snapshot detect bluesky
  mastodon reddit youtube telegram tiktok meta_content_library indicators manifest)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); fi

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz.sh: installing clang and libFuzzer (apt-get install clang libclang-rt-14-dev)" >&2
  apt-get install -y clang libclang-rt-14-dev >/dev/null || sudo apt-get install -y clang libclang-rt-14-dev >/dev/null
fi

# Everything is instrumented for coverage (fuzzer-no-link) and AddressSanitizer;
# the fuzz targets themselves link libFuzzer's main.
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLOCKSTEP_BUILD_FUZZ=ON -DLOCKSTEP_BUILD_TESTS=OFF -DLOCKSTEP_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer" >/dev/null
ninja -C "$BUILD" $(printf 'fuzz_%s ' "${TARGETS[@]}")

seed() {  # seed TARGET NAME CONTENT
  mkdir -p "$BUILD/corpus/$1"
  printf '%s' "$3" > "$BUILD/corpus/$1/seed_$2"
}
IO_HEADER='tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices'
seed twitter_io plain "$IO_HEADER
\"1\",\"u1\",\"Name\",\"name\",\"Paris\",\"bio, with comma\",\"\",\"10\",\"5\",\"2015-01-01\",\"fr\",\"fr\",\"hello \"\"world\"\"\",\"2018-01-01 10:00\",\"Web\",\"\",\"\",\"\",\"false\",\"\",\"\",\"absent\",\"absent\",\"0\",\"0\",\"0\",\"0\",\"['a', 'b']\",\"['http://x.example/']\",\"[123]\",\"\"
\"2\",\"u1\",\"Name\",\"name\",\"Paris\",\"bio\",\"\",\"10\",\"5\",\"2015-01-01\",\"fr\",\"fr\",\"RT\",\"2018-01-02 10:00\",\"Web\",\"\",\"\",\"\",\"true\",\"u2\",\"9\",\"48.1\",\"2.3\",\"0\",\"0\",\"0\",\"0\",\"\",\"\",\"\",\"\"
\"3\",\"u1\",\"cut"
seed crowdtangle plain '"id","is_orig","expanded","date","account.url","account.name","account.handle","account.subscriberCount","account.id","account.platform","account.platformId","account.verified"
82580949333,TRUE,"http://a.example/x","2017-01-13 21:41:10","https://www.facebook.com/groups/3","Group ¡ahora!",NA,3183,10189262,"Facebook","3",FALSE
1,FALSE,"http://b.example/y","2017-01-14 21:41:10","https://www.facebook.com/4","Page","page",12,7,"Facebook","4",TRUE'
seed coortweet russian '"object_id","account_id","content_id","timestamp_share"
"o1","a1","c1",1623881091
"o1","a2","c2",1623881095'
seed coortweet german '"account_id","post_id","url_id","hashtag_id","domain_id","phash_id","timestamp"
"fb_12670",129235,23678,,3498,,1629589836
"tw_5966",84441,,77,6756,12,1629589069'
seed ira fivethirtyeight 'external_author_id,author,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,account_type,retweet,account_category,new_june_2018,alt_external_id,tweet_id,article_url,tco1_step1,tco2_step1,tco3_step1
906000000000000000,10_GOP,"""Quoted"" #tag @x https://t.co/a",Unknown,English,10/1/2017 19:58,10/1/2017 19:59,1052,9636,253,,Right,0,RightTroll,0,905874659358453760,914580356430536707,http://twitter.com/x,https://e.example/v,,
906000000000000000,10_GOP,'@y retweeted text',United States,English,10/1/2017 22:50,10/1/2017 22:51,1054,9637,255,RETWEET,Right,1,RightTroll,0,905874659358453760,914623490375979008,,,,'
seed ira by_author 'author_id,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,retweet
a,#Россия text…,Unknown,Russian,2017-01-23 22:36:00,2017-01-23 22:36:00,22,1,9,,0
a,quote,Unknown,Russian,2017-01-23 22:37:00,2017-01-23 22:38:00,22,1,10,Q,1'
seed twitter_json v1 '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"1","text":"hi #x","user":{"id_str":"2","screen_name":"a","followers_count":3,"created_at":"Mon Jan 05 10:00:00 +0000 2015"},"entities":{"hashtags":[{"text":"x"}],"urls":[{"expanded_url":"https://e.example/"}],"user_mentions":[{"id_str":"5"}]},"retweeted_status":{"id_str":"0","user":{"id_str":"9"}}}
{"delete":{"status":{"id_str":"1"}}}'
seed twitter_json v2 '{"data":[{"id":"1","author_id":"2","created_at":"2022-03-05T10:00:00.000Z","text":"t","referenced_tweets":[{"type":"retweeted","id":"0"}],"entities":{"hashtags":[{"tag":"p"}]},"public_metrics":{"like_count":1}}],"includes":{"users":[{"id":"2","username":"u","public_metrics":{"followers_count":1}}],"tweets":[{"id":"0","author_id":"3"}]}}
{"id":"4","author_id":"2","created_at":"2022-03-05T10:00:00Z","author":{"id":"2"},"referenced_tweets":[{"type":"quoted","id":"5","author_id":"6"}]}'
seed mapped csv 'xuser,ts,links,f,other
alice,2020-01-01 10:00,https://a.example/ https://b.example/,10,x
bob,1577872800,,,'
seed mapped jsonl '1{"user":{"id":"7"},"ts":"Wed Oct 10 20:19:24 +0000 2018","links":["https://a.example/"],"f":3}'
seed table_reader csv 'xaccount_id,time,urls
a,"quoted ""x"", y",[1]
b,2020,'
seed table_reader jsonl '1{"account_id":"a","time":1,"urls":["x"],"n":{"m":null}}'
seed field_parsers list "['a', \"b\", 'c\\'d', \"\\u00e9\"]"
seed field_parsers time '2017-03-14T09:15:00+01:00'
seed field_parsers twitter_time 'Wed Oct 10 20:19:24 +0000 2018'
seed lockstep_reader dir 'account_id,platform,created_at,followers
a1,twitter,2015-01-01,10
--
event_id,account_id,time,type,urls,hashtags
e1,a1,2017-03-14T08:15:00Z,post,"[""https://x.example/""]",tag1 tag2'
seed telegram desktop '{"name":"N","type":"public_supergroup","id":5,"messages":[
{"id":1,"type":"service","date_unixtime":"1717225200","actor":"A","actor_id":"user1","action":"join_group_by_link"},
{"id":2,"type":"message","date_unixtime":"1717225260","from":"A","from_id":"user1","reply_to_message_id":1,"forwarded_from":"C","text":"hi","text_entities":[{"type":"hashtag","text":"#t"},{"type":"text_link","text":"x","href":"https://x.example/"},{"type":"mention_name","text":"B","user_id":2}],"reactions":[{"type":"emoji","count":2,"emoji":"+"}]}]}'
seed telegram telethon '1{"_":"Message","id":3,"peer_id":{"_":"PeerChannel","channel_id":7},"date":"2024-06-02T08:00:00+00:00","message":"\u00e9 https://t.example/ #a","from_id":{"_":"PeerUser","user_id":9},"entities":[{"_":"MessageEntityUrl","offset":2,"length":18},{"_":"MessageEntityHashtag","offset":21,"length":2}],"fwd_from":{"from_id":{"_":"PeerChannel","channel_id":8},"channel_post":4},"reply_to":{"reply_to_msg_id":1},"reactions":{"results":[{"count":1}]},"views":3}'
seed tiktok videos '{"data":{"videos":[{"id":7350000000000000001,"username":"a","create_time":1717225200,"video_description":"x #v","hashtag_names":["v"],"video_mention_list":["b"],"share_count":1}],"cursor":1,"has_more":false},"error":{"code":"ok"}}'
seed tiktok comments '1{"data":{"comments":[{"id":1,"video_id":2,"parent_comment_id":2,"text":"t","like_count":0,"create_time":1717225200}]},"error":{"code":"ok"}}'
seed meta_content_library json '{"data":[{"id":"1","creation_time":"2024-06-01T07:00:00+0000","text":"t","post_owner":{"id":"9","name":"P","type":"page"},"surface":{"id":"8","type":"group"},"shared_post_id":"0","link_attachment":{"link":"https://x.example/"},"statistics":{"reaction_count":1,"share_count":2}}]}'
seed meta_content_library csv '2id,creation_time,text,post_owner.id,post_owner.type,surface.id,shared_post_id,statistics.like_count
1,2024-06-01T07:00:00+0000,"a, b",9,page,8,0,3'
seed manifest ok '{"lockstep_manifest": 1, "sources": [{"path": "data.csv", "format": "map", "platform": "facebook",
 "map": {"account_id": "account_id", "time": "time"}}]}'
# detect: a small data set in which three accounts share the same posts
# within seconds, so the seed reaches clustering and scoring.
seed detect farm 'account_id,platform,created_at,followers,handle
a1,twitter,2020-01-01,10,ana
a2,twitter,2020-01-01,12,bo
a3,twitter,2020-01-02,9,cy
a4,twitter,2015-05-05,300,dee
--
event_id,account_id,time,type,target_id,urls,hashtags,text
e1,a1,2020-03-01T10:00:00Z,share,p1,https://x.example/1,vote,RT @dee: vote now
e2,a2,2020-03-01T10:00:05Z,share,p1,https://x.example/1,vote,RT @dee: vote now
e3,a3,2020-03-01T10:00:09Z,share,p1,https://x.example/1,vote,RT @dee: vote now
e4,a1,2020-03-02T11:00:00Z,share,p2,https://x.example/2,vote,the same words again and again
e5,a2,2020-03-02T11:00:03Z,share,p2,https://x.example/2,vote,the same words again and again
e6,a3,2020-03-02T11:00:07Z,share,p2,https://x.example/2,vote,the same words again and again
e7,a4,2020-03-05T08:00:00Z,post,,,,a quiet day'

# The readers of issue 18 (seeds from their documented schemas).
seed bluesky feed '{"feed":[{"post":{"uri":"at://did:plc:a/app.bsky.feed.post/1","author":{"did":"did:plc:a","handle":"a.bsky.social"},"record":{"text":"hi #t","createdAt":"2023-10-03T16:48:09.164Z","reply":{"parent":{"uri":"at://did:plc:b/app.bsky.feed.post/0"}},"facets":[{"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"t"}]}],"embed":{"$type":"app.bsky.embed.record","record":{"uri":"at://did:plc:c/app.bsky.feed.post/9"}}}},"reason":{"$type":"app.bsky.feed.defs#reasonRepost","by":{"did":"did:plc:d"},"indexedAt":"2023-10-03T17:00:00Z"}}]}'
seed bluesky jetstream '1{"did":"did:plc:a","time_us":1725911162329308,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.like","rkey":"l","record":{"createdAt":"2024-09-09T19:46:02Z","subject":{"uri":"at://did:plc:b/app.bsky.feed.post/1"}}}}
{"repo":"did:plc:a","time_us":1,"operation":"create","collection":"app.bsky.graph.follow","rkey":"f","record":{"createdAt":"2024-09-09T19:46:02Z","subject":"did:plc:b"}}'
seed mastodon page '[{"id":"1","created_at":"2025-06-24T17:35:19.898Z","in_reply_to_id":null,"content":"<p>a <a href=\"https://x.example/\">x</a> &amp; &#233;<br></p>","reblog":{"id":"0","account":{"id":"9","acct":"o@m.example"}},"account":{"id":"2","acct":"a","followers_count":3},"tags":[{"name":"t"}],"mentions":[{"id":"9"}]}]'
seed reddit listing '{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_a","author":"u","created_utc":1717801234.0,"subreddit":"s","body":"see https://x.example/)","parent_id":"t3_b","link_id":"t3_b"}},{"kind":"t3","data":{"name":"t3_c","author":"u","created_utc":1717801235,"title":"T","url":"https://y.example/","is_self":false,"crosspost_parent":"t3_d","crosspost_parent_list":[{"name":"t3_d","author":"v"}]}}]}}'
seed reddit dump '1{"id":"a","author":"u","created_utc":"1717801234","subreddit":"s","body":"x","parent_id":"t1_b","link_id":"t3_c"}'
seed youtube threads '{"kind":"youtube#commentThreadListResponse","items":[{"kind":"youtube#commentThread","id":"T","snippet":{"videoId":"V","topLevelComment":{"kind":"youtube#comment","id":"T","snippet":{"authorChannelId":{"value":"A"},"publishedAt":"2019-03-28T11:33:46.000Z","likeCount":1}}},"replies":{"comments":[{"kind":"youtube#comment","id":"T.1","snippet":{"authorChannelId":{"value":"B"},"parentId":"T","publishedAt":"2019-03-28T11:34:46Z"}}]}},{"kind":"youtube#video","id":"V","snippet":{"publishedAt":"2019-03-21T20:37:49.000Z","channelId":"C","tags":["a"]},"statistics":{"viewCount":"7920"}}]}'
# indicators: the first byte picks the extension ('0' .csv, '1' .tsv, '2' .json, '3' .md).
seed indicators killchain '0Tactic ,Technique,Procedure,Indicator
0. Acquiring assets,0.9 Acquiring social media accounts,0.9.1 Acquiring Facebook assets,37 accounts
4. Posting content,4.1 Sharing links,,"hxxps://site[.]com/a
news[.]example"'
seed indicators list_tsv '1indicator_type	indicator_value	comment	ds
domain_name	avisindependent[.]eu	France-targeting CIB domain	2022-09-27'
seed indicators list_json '2[{"indicator_type":"cib_url","indicator_value":"https://www.petice[.]com/x","comment":"c","ds":"2022-09-27"}]'
seed indicators markdown '3# Russia-based CIB network
| Indicator type | Indicator |
|---|---|
| Domain | hxxps://site[.]com/ |
| Facebook account | facebook[.]com/someone |'
# A STIX 2.1 bundle (a .json whose records are STIX objects): patterns of every shape, SCOs, relationships.
seed indicators stix '2{"type":"bundle","id":"bundle--1","objects":[
{"type":"identity","id":"identity--1","name":"Team"},
{"type":"intrusion-set","id":"intrusion-set--1","name":"Op","created_by_ref":"identity--1"},
{"type":"indicator","id":"indicator--1","pattern":"[domain-name:value = '"'"'a.example'"'"']","pattern_type":"stix"},
{"type":"indicator","id":"indicator--2","pattern":"[url:value = '"'"'https://b.example/it\\'"'"'s'"'"'] AND [ipv4-addr:value = '"'"'192.0.2.1'"'"']"},
{"type":"indicator","id":"indicator--3","pattern":"[user-account:account_login LIKE '"'"'x%'"'"'] WITHIN 5 SECONDS","revoked":false},
{"type":"user-account","id":"user-account--1","account_login":"someone","account_type":"twitter"},
{"type":"observed-data","id":"observed-data--1","object_refs":["user-account--1"]},
{"type":"relationship","id":"relationship--1","relationship_type":"indicates","source_ref":"indicator--1","target_ref":"intrusion-set--1"},
{"type":"report","id":"report--1","name":"R","published":"2026-01-01T00:00:00Z","object_refs":["indicator--1"]}]}'

# The snapshot target writes its own seed (a binary payload) from a small data set.
if [[ " ${TARGETS[*]} " == *" snapshot "* ]]; then
  mkdir -p "$BUILD/corpus/snapshot"
  LOCKSTEP_FUZZ_SEED_DIR="$BUILD/corpus/snapshot" "$BUILD/fuzz/fuzz_snapshot" -runs=0 >/dev/null 2>&1
fi

mkdir -p "$BUILD/artifacts"
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "$BUILD/corpus/$t"
  echo "== fuzz_$t for ${SECONDS_PER_TARGET}s"
  if ! "$BUILD/fuzz/fuzz_$t" "$BUILD/corpus/$t" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 \
      -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$BUILD/artifacts/${t}_" -print_final_stats=1 \
      2> "$BUILD/fuzz_$t.log"; then
    echo "fuzz_$t FAILED; see $BUILD/fuzz_$t.log and $BUILD/artifacts/" >&2
    tail -40 "$BUILD/fuzz_$t.log" >&2
    status=1
  fi
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+.*DONE" "$BUILD/fuzz_$t.log" | tr '\n' ' '
  echo
done
exit $status
