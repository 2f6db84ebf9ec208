"""Helper of bench/ira_blend.sh (read its header first).

  zstd -dc tweets.csv.zst | python3 ira_blend.py AUTHORS_CSV SIM_DIR [HALF]
      appends the IRA tweets (stdin, by-author layout) to SIM_DIR's accounts.csv,
      events.csv and labels.csv; HALF (a, b or all, the default) keeps only the
      authors of one half of the dev half (see in_half).
  python3 ira_blend.py --score LABELS ASSIGNMENTS EVAL_JSON NOTE
      prints the Markdown tables.
  python3 ira_blend.py --diagnose SIM_DIR DETECT_DIR MIN_CONFIDENCE
      why IRA accounts are missed, from a detect run at --min-confidence 0 (DETECT_DIR): every group with its
      confidence, categories and indicators, then the missed accounts, grouped below MIN_CONFIDENCE or never grouped
      (by category, by number of events, and whether they posted the same text as another IRA account within an
      hour).
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


def read_truth(labels_csv):
    """account id -> Clemson category of an IRA account, "" for an authentic one."""
    return {r["account_id"]: r["network_id"][4:] if r["network_id"].startswith("ira_") else ""
            for r in csv.DictReader(open(labels_csv, newline=""))}


def score(labels_csv, assignments_csv, eval_json, note):
    truth = read_truth(labels_csv)
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


def diagnose(sim, detect_dir, min_confidence):
    min_confidence = float(min_confidence)
    truth = read_truth(f"{sim}/labels.csv")
    group_of = {r["account_id"]: r["network_id"]
                for r in csv.DictReader(open(f"{detect_dir}/assignments.csv", newline="")) if r["network_id"]}
    networks = json.load(open(f"{detect_dir}/networks.json"))["networks"]
    confidence = {n["network_id"]: n["confidence"] for n in networks}
    if all(c >= min_confidence for c in confidence.values()):
        print(f"(every group is at or above {min_confidence}: was detect run with --min-confidence 0?)\n")
    events = collections.Counter()
    by_text = collections.defaultdict(list)  # normalised text -> [(minute, account)]
    with open(f"{sim}/events.csv", newline="") as f:
        for r in csv.DictReader(f):
            events[r["account_id"]] += 1
            if r["text"]:
                t = datetime.datetime.strptime(r["time"][:16], "%Y-%m-%dT%H:%M")
                by_text[" ".join(r["text"].lower().split())].append((t.timestamp() / 60, r["account_id"]))
    # Accounts that posted or shared a text within 60 minutes of another account doing so: what co-text and
    # co-share can join. The IRA's partners may be in the other half, or in the half held out.
    partner_ira, partner_authentic = collections.defaultdict(set), collections.defaultdict(set)
    for uses in by_text.values():
        if len(uses) < 2 or len(uses) > 1000:  # a text used by a thousand accounts is no one's coordination
            continue
        uses.sort()
        for i, (t, a) in enumerate(uses):
            for t2, b in uses[i + 1:]:
                if t2 - t > 60:
                    break
                if a != b:
                    (partner_ira if truth.get(b) else partner_authentic)[a].add(b)
                    (partner_ira if truth.get(a) else partner_authentic)[b].add(a)
    print("| group | confidence | reported | members | IRA categories | indicators (strength) |")
    print("|---|---|---|---|---|---|")
    for n in sorted(networks, key=lambda n: -n["confidence"]):
        cats = collections.Counter(truth.get(a) or "authentic" for a, g in group_of.items() if g == n["network_id"])
        indicators = ", ".join(f"{i['signal']} {i['strength']:.2f}" for i in n["indicators"] if i["strength"] > 0)
        print(f"| {n['network_id']} | {n['confidence']:.3f} | {'yes' if n['confidence'] >= min_confidence else 'no'} "
              f"| {n['size']} | {', '.join(f'{c} {k}' for c, k in cats.most_common())} | {indicators} |")
    print()
    print("| category | IRA accounts | reported | grouped, not reported | never grouped | never grouped: "
          "< 20 / 20-99 / 100+ events | never grouped, same text as another IRA account within 1 h |")
    print("|---|---|---|---|---|---|---|")
    for c in CATEGORIES:
        accounts = [a for a, t in truth.items() if t == c]
        if not accounts:
            continue
        reported = [a for a in accounts if a in group_of and confidence[group_of[a]] >= min_confidence]
        below = [a for a in accounts if a in group_of and confidence[group_of[a]] < min_confidence]
        never = [a for a in accounts if a not in group_of]
        sizes = [sum(1 for a in never if lo <= events[a] < hi) for lo, hi in ((0, 20), (20, 100), (100, 1 << 62))]
        print(f"| {c} | {len(accounts)} | {len(reported)} | {len(below)} | {len(never)} | "
              f"{' / '.join(map(str, sizes))} | {sum(1 for a in never if partner_ira[a])} |")


if __name__ == "__main__":
    if sys.argv[1] == "--score":
        score(*sys.argv[2:6])
    elif sys.argv[1] == "--diagnose":
        diagnose(*sys.argv[2:5])
    else:
        blend(*sys.argv[1:4])
