"""Speed and memory of `make review` on a generated store of 100,000 events.

    .venv/bin/python bench/review_perf.py [--events 100000]

Fills a SQLite tracker store (Rasa's `events` table) with conversations shaped
like real ones (greeting, questions, an interview with answers and a verdict,
now and then an unsure message), runs scripts/review.py on it in a child
process, and prints the wall time and the child's peak RSS. Targets (the
review issue): under 30 s and under 500 MB. Results go to bench/findings.md
by hand.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAITS = ["empathy", "listening", "support", "patience", "hands_on", "collaboration",
          "realistic_expectations", "individual_focus"]


def conversation(sender: str, start: float, rng: random.Random) -> list:
    t = start
    events = []

    def add(type_name, intent=None, action=None, **data):
        nonlocal t
        t += rng.uniform(1, 30)
        events.append((sender, type_name, t, intent, action, json.dumps({"event": type_name, "timestamp": t, **data})))

    def user(text, intent, confidence=0.95):
        add("user", intent, None, text=text, input_channel=rng.choice(["rest", "socketio", "telegram"]),
            parse_data={"intent": {"name": intent, "confidence": confidence},
                        "intent_ranking": [{"name": intent, "confidence": confidence}]})

    add("action", action="action_session_start", name="action_session_start")
    user("halo kak", "greet")
    add("action", action="action_greet", name="action_greet")
    user("tugasnya apa aja", "ask_duties")
    add("action", action="utter_duties", name="utter_duties")
    if rng.random() < 0.2:
        user(f"pesan aneh nomor {rng.randint(1, 500)}", "nlu_fallback", 0.3)
        add("action", action="action_clarify", name="action_clarify")
    user("tes", "start_interview")
    add("action", action="action_start_interview", name="action_start_interview")
    for trait in TRAITS[:rng.randint(1, len(TRAITS))]:
        add("slot", name="requested_slot", value=trait)
        user(str(rng.randint(1, 5)), "answer_scale")
        add("slot", name=trait, value=float(rng.randint(1, 5)))
        add("action", action="suitability_form", name="suitability_form")
    if rng.random() < 0.5:
        add("slot", name="verdict", value=rng.choice(["good_fit", "partial_fit", "poor_fit"]))
    return events


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="review-perf-"))
    database = sqlite3.connect(work / "tracker.db")
    database.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                     "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                     "action_name VARCHAR(255), data TEXT)")
    written, number, now = 0, 0, time.time() - 30 * 86400
    while written < args.events:
        events = conversation(f"perf-{number}", now + number * 60, rng)[: args.events - written]
        database.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                             "action_name, data) VALUES (?, ?, ?, ?, ?, ?)", events)
        written += len(events)
        number += 1
    database.commit()
    database.close()
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "review.py"), "--out", str(work / "out")],
                            env={"BOT_DATA_DIR": str(work), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"},
                            capture_output=True, text=True)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.strip())
    if result.returncode:
        print(result.stderr, file=sys.stderr)
        return result.returncode
    print(f"{written} events, {number} conversations: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
