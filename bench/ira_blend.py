"""Helper of bench/ira_blend.sh (read its header first).

  zstd -dc tweets.csv.zst | python3 ira_blend.py AUTHORS_CSV SIM_DIR [HALF]
      appends the IRA tweets (stdin, by-author layout) to SIM_DIR's accounts.csv,
      events.csv and labels.csv; HALF (a, b or all, the default) keeps only the
      authors of one half of the dev half (see in_half).
  python3 ira_blend.py --score LABELS ASSIGNMENTS EVAL_JSON NOTE
      prints the Markdown tables.
"""
import collections
import csv
import datetime
import hashlib
import json
import re
import sys

SHIFT = datetime.timedelta(weeks=209)  # 2015-2017 -> 2019-2021; weekday and time of day kept
CATEGORIES = ["RightTroll", "LeftTroll", "HashtagGamer", "NewsFeed", "Fearmonger", "NonEnglish", "Commercial",
              "Unknown", "Unlabelled"]
LANGUAGES = {"English": "en", "Russian": "ru", "German": "de", "Ukrainian": "uk", "Bulgarian": "bg", "Uzbek": "uz",
             "Serbian": "sr", "French": "fr", "Italian": "it", "Spanish": "es", "Arabic": "ar"}
TAG = re.compile(r"(?<![\w])#(\w+)")
MENTION = re.compile(r"(?<![\w])@(\w+)")
URL = re.compile(r"https?://[^\s\u2026]+")


def category_of(author, categories):
    """authors.csv's category; an id the by-author copy split by external id (author + external id) takes its
    prefix's, and one without any row (six such ids in the dev half) is "Unlabelled": an IRA account all the same."""
    if author in categories:
        return categories[author]
    best = max((a for a in categories if author.startswith(a)), key=len, default=None)
    return categories[best] if best else "Unlabelled"


def in_half(author, half):
    """Whether `author` belongs to `half`: a, the tuning half (even first byte of the MD5 of the author id, as
    written), b, the evaluation half (odd), or all. MD5, not SHA-1: the dev half itself was cut by the SHA-1 of the
    lower-case name, so a split on SHA-1 would not be even."""
    if half == "all":
        return True
    even = hashlib.md5(author.encode()).digest()[0] % 2 == 0
    return even == (half == "a")


def blend(authors_csv, sim, half="all"):
    if half not in ("a", "b", "all"):
        sys.exit(f"ira_blend.py: HALF must be a, b or all, got {half!r}")
    categories = {r["author_id"]: r["account_category"] for r in csv.DictReader(open(authors_csv, newline=""))}
    tweets = csv.DictReader(sys.stdin)
    profile = {}  # author -> (followers, following, region) of the latest tweet
    with open(f"{sim}/events.csv", "a", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        for n, r in enumerate(tweets):
            if not in_half(r["author_id"], half):
                continue
            t = datetime.datetime.strptime(r["publish_date"], "%Y-%m-%d %H:%M:%S") + SHIFT
            is_share = r["retweet"] == "1" and r["post_type"] not in ("Q", "QUOTE_TWEET")
            text = r["content"]
            w.writerow([f"ira{n}", r["author_id"], t.strftime("%Y-%m-%dT%H:%M:%SZ"), "share" if is_share else "post",
                        "", "", text, " ".join(URL.findall(text)), " ".join(TAG.findall(text)),
                        LANGUAGES.get(r["language"], ""), "", ""])
            # region is the claimed location, as the ira reader maps it ("Unknown" = missing).
            region = r["region"] if r["region"] != "Unknown" else ""
            profile[r["author_id"]] = (r["followers"], r["following"], region)
    with open(f"{sim}/accounts.csv", "a", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        for a, (followers, following, region) in profile.items():
            w.writerow([a, "twitter", "account", a, "", "", region, "", "", followers, following, "", ""])
    with open(f"{sim}/labels.csv", "a", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        for a in profile:
            w.writerow([a, "ira_" + category_of(a, categories)])


def score(labels_csv, assignments_csv, eval_json, note):
    truth = {r["account_id"]: r["network_id"][4:] if r["network_id"].startswith("ira_") else ""
             for r in csv.DictReader(open(labels_csv, newline=""))}
    detected = {r["account_id"]: r["network_id"] for r in csv.DictReader(open(assignments_csv, newline=""))}
    m = json.load(open(eval_json))
    members = collections.defaultdict(list)
    for a, net in detected.items():
        if net:
            members[net].append(truth.get(a, ""))
    dominant = {net: collections.Counter(cats).most_common(1)[0][0] for net, cats in members.items()}
    planted = sum(1 for c in truth.values() if c)
    print(f"IRA dev blend ({note}): {planted} IRA accounts among {len(truth)}; "
          f"{len(members)} networks detected")
    print()
    print("| precision | recall | F1 | ARI | false networks |")
    print("|---|---|---|---|---|")
    print(f"| {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['adjusted_rand_index']:.3f} | "
          f"{m['false_networks']} |")
    print()
    print("| category | accounts | detected | recall | in networks it dominates | networks it dominates |")
    print("|---|---|---|---|---|---|")
    for c in CATEGORIES:
        accounts = [a for a, t in truth.items() if t == c]
        if not accounts:
            print(f"| {c} | 0 | | | | |")
            continue
        found = [a for a in accounts if a in detected]
        in_own = sum(1 for a in found if detected[a] and dominant[detected[a]] == c)
        own = f"{in_own}/{len(found)} ({in_own / len(found):.0%})" if found else "-"
        print(f"| {c} | {len(accounts)} | {len(found)} | {len(found) / len(accounts):.3f} | {own} | "
              f"{sum(1 for d in dominant.values() if d == c)} |")
    print()
    print("\"in networks it dominates\": of a category's detected accounts, those in a detected network whose "
          "largest group of members is that category (separate networks per category score 100%).")


if __name__ == "__main__":
    if sys.argv[1] == "--score":
        score(*sys.argv[2:6])
    else:
        blend(*sys.argv[1:4])
