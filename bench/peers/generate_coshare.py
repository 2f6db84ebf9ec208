"""A seeded synthetic co-share table in CooRTweet's column layout
(object_id,account_id,content_id,timestamp_share), as docs/peers.md
describes ("Generating a large co-share input"). Used by compare.sh and
bench/python_network.py.

usage: generate_coshare.py ROWS SEED OUT.csv
"""
import bisect, csv, itertools, random, sys
n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
accounts, objects = max(n // 10, 100), max(n // 20, 50)
t0, span = 1_600_000_000, 30 * 86400
cumulative = list(itertools.accumulate(1.0 / (k + 1) ** 0.7 for k in range(accounts)))
total = cumulative[-1]
launch = [t0 + rng.randrange(span) for _ in range(objects)]
groups = [rng.sample(range(accounts), 25) for _ in range(max(accounts // 500, 4))]
coordinated = int(n * 0.02)
with open(out + ".part", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["object_id", "account_id", "content_id", "timestamp_share"])
    row = 0
    while row < n - coordinated:  # organic shares
        o = rng.randrange(objects)
        a = bisect.bisect_left(cumulative, rng.random() * total)
        w.writerow([f"o{o}", f"a{a}", f"c{row}", launch[o] + int(rng.expovariate(1 / 3600.0))])
        row += 1
    while row < n:  # coordinated bursts
        group = rng.choice(groups)
        o = rng.randrange(objects)
        t = launch[o] + rng.randrange(86400)
        for a in group:
            if row >= n:
                break
            w.writerow([f"o{o}", f"a{a}", f"c{row}", t + rng.randrange(11)])
            row += 1
import os
os.rename(out + ".part", out)
