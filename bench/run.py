#!/usr/bin/env python
"""`make bench`: our bot side by side with Rasa's default bot (the peer).

The peer is what a Rasa user gets from `rasa init` (bench/peer_config.yml: the
3.6 init config with `language: id`, i.e. Rasa's default pipeline and
policies), trained on the same data/ and domain.yml. Both are measured in the
same run, in alternating order, so the ratios ours/peer share the machine's
noise. Prints one table and writes it, with the machine and the date, to
docs/benchmarks.md.

    .venv/bin/python bench/run.py            # full run (what `make bench` does)
    .venv/bin/python bench/run.py --smoke    # tiny sizes, for tests/e2e/test_bench_smoke.py

Nothing here asserts timings: the numbers are reported, not tested.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import harness, nlu_eval  # noqa: E402

BENCH = ROOT / "bench"
PEER_CONFIG = BENCH / "peer_config.yml"
CV_CACHE = BENCH / "cv_cache.json"
PEER_SITE = BENCH / "peer_site"  # the bot's Rasa-side interview questions for the peer
FINDINGS = BENCH / "findings.md"  # hand-written analysis, appended to the report
# The peer's DIET trains for about an hour on today's data here, so its model and
# training times are kept outside the repo, one folder per inputs_fingerprint().
PEER_MODEL_STORE = Path(os.environ.get("BENCH_MODEL_STORE",
                                       Path.home() / ".cache" / "counselor-bench" / "peer"))
AUTH_TOKEN = "bench-token"
RASA = str(harness.VENV_BIN / "rasa")
ENV = dict(harness.ENV)

# In --smoke mode the peer is replaced by this tiny, spaCy- and DIET-free
# config: every code path runs (training, cache, CV, serving), in seconds.
SMOKE_PEER_CONFIG = {
    "recipe": "default.v1", "language": "id", "assistant_id": "bench-smoke",
    "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": "CountVectorsFeaturizer"},
                 {"name": "LogisticRegressionClassifier", "max_iter": 50},
                 {"name": "FallbackClassifier", "threshold": 0.3}],
    "policies": [{"name": "RulePolicy"}],
}

# One simulated user's session: small talk, two knowledge questions, the whole
# interview answered with "4", then a retake (the verdict's "Ulangi tes"
# button sends /start_interview) answered again.
INTERVIEW_QUESTIONS = 8
SESSION = (
    ["halo", "tgs nya ngapain aja sih?", "bedanya sm peksos apa", "makasih ya",
     "apakah aku cocok jadi konselor?"]
    + ["4"] * INTERVIEW_QUESTIONS
    + ["/start_interview"]
    + ["4"] * INTERVIEW_QUESTIONS
)
INTERVIEWS_PER_SESSION = 2


@dataclass
class Sizes:
    train_runs: dict          # role -> number of from-scratch trainings
    cv_folds: int
    rounds: int               # server rounds (start, accuracy, latency, memory)
    seq_sessions: int         # sessions of the single sequential user per round
    users: int                # concurrent users
    user_sessions: int        # sessions per concurrent user per round
    heldout_limit: Optional[int] = None  # None: the whole held-out set


FULL = Sizes(train_runs={"ours": 3, "peer": 1}, cv_folds=5, rounds=3,
             seq_sessions=3, users=8, user_sessions=2)
SMOKE = Sizes(train_runs={"ours": 0, "peer": 1}, cv_folds=2, rounds=1,
              seq_sessions=1, users=2, user_sessions=1, heldout_limit=20)


@dataclass
class Role:
    name: str
    config: Path
    model: Optional[Path] = None
    results: dict = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values, fraction: float):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


# --------------------------------------------------------------------------
# Training


def changed_domain(source: Path, target: Path) -> str:
    """Writes source with one response text changed; returns the response name."""
    domain = yaml.safe_load(source.read_text(encoding="utf-8"))
    responses = domain["responses"]
    name = "utter_goodbye" if "utter_goodbye" in responses else next(iter(responses))
    responses[name][0]["text"] = responses[name][0]["text"] + " (teks diubah untuk benchmark)"
    target.write_text(yaml.safe_dump(domain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return name


def rasa_train(config: Path, domain: Path, out: Path, name: str, cache: Path, log_path: Path) -> dict:
    """Times `rasa train`; counts components trained and restored from cache."""
    env = {**ENV, "RASA_CACHE_DIRECTORY": str(cache)}
    args = [RASA, "train", "--config", str(config), "--domain", str(domain),
            "--data", str(ROOT / "data"), "--out", str(out), "--fixed-model-name", name]
    start = time.monotonic()
    with open(log_path, "wb") as output:
        result = subprocess.run(args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    text = log_path.read_text(errors="replace")
    if result.returncode != 0:
        raise RuntimeError(f"rasa train failed ({log_path}):\n{text[-3000:]}")
    return {
        "seconds": seconds,
        "trained": sorted(set(re.findall(r"Starting to train component '(\w+)'", text))),
        "restored": len(re.findall(r"Restored component '(\w+)' from cache", text)),
        "model": str(out / f"{name}.tar.gz"),
    }


TRAINING_KEYS = ("train_scratch_s", "train_text_s", "train_runs", "train_text_retrained",
                 "train_text_restored", "train_scratch_all", "train_text_all")


def inputs_fingerprint(label: str, files: list) -> str:
    """sha256 hex of Rasa's version, label and the given files with all of data/:
    what a stored bench result (a CV score, a trained model) depends on."""
    import rasa

    digest = hashlib.sha256(f"rasa {rasa.__version__} {label}".strip().encode())
    for path in [*files, *sorted((ROOT / "data").rglob("*.yml"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def reuse_trained(role: Role, store: Path, fingerprint: str) -> bool:
    """Loads a model and training times stored by an earlier run with the same inputs.

    store/<fingerprint>/ holds model.tar.gz and training.json (the TRAINING_KEYS and
    the date). Returns False when there is none."""
    folder = store / fingerprint
    saved = folder / "training.json"
    if not saved.exists() or not (folder / "model.tar.gz").exists():
        return False
    stored = json.loads(saved.read_text())
    role.model = folder / "model.tar.gz"
    role.results.update({key: stored[key] for key in TRAINING_KEYS})
    role.results["train_cached_date"] = stored["date"]
    log(f"{role.name}: trained model and training times reused from {folder} ({stored['date']})")
    return True


def store_trained(role: Role, store: Path, fingerprint: str) -> None:
    folder = store / fingerprint
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(role.model, folder / "model.tar.gz")
    stored = {key: role.results[key] for key in TRAINING_KEYS}
    stored["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    (folder / "training.json").write_text(json.dumps(stored, indent=1) + "\n")


def measure_training(role: Role, runs: int, work: Path) -> None:
    """From scratch (empty cache) and after changing one response text (same cache)."""
    scratch, text_change = [], []
    for run in range(runs):
        cache = work / f"cache-{role.name}-{run}"
        shutil.rmtree(cache, ignore_errors=True)
        out = work / "models"
        log(f"{role.name}: training from scratch ({run + 1}/{runs})")
        first = rasa_train(role.config, ROOT / "domain.yml", out, f"{role.name}-{run}", cache,
                           work / f"train-{role.name}-{run}.log")
        scratch.append(first)
        domain = work / f"domain-changed-{role.name}-{run}.yml"
        response = changed_domain(ROOT / "domain.yml", domain)
        log(f"{role.name}: retraining after changing the text of {response}")
        text_change.append(rasa_train(role.config, domain, out, f"{role.name}-{run}-text", cache,
                                      work / f"train-{role.name}-{run}-text.log"))
        shutil.rmtree(cache, ignore_errors=True)
        role.model = Path(first["model"])
    if not runs:
        return
    role.results["train_scratch_s"] = median(r["seconds"] for r in scratch)
    role.results["train_text_s"] = median(r["seconds"] for r in text_change)
    role.results["train_runs"] = runs
    role.results["train_text_retrained"] = text_change[-1]["trained"]
    role.results["train_text_restored"] = text_change[-1]["restored"]
    role.results["train_scratch_all"] = [round(r["seconds"], 1) for r in scratch]
    role.results["train_text_all"] = [round(r["seconds"], 1) for r in text_change]


def train_peer(peer: Role, runs: int, work: Path, reuse: bool) -> None:
    """measure_training for the peer, through PEER_MODEL_STORE: reused when a run
    with the same inputs stored it (and reuse is on), else trained and stored."""
    fingerprint = inputs_fingerprint("", [PEER_CONFIG, ROOT / "domain.yml"])
    if reuse and reuse_trained(peer, PEER_MODEL_STORE, fingerprint):
        return
    measure_training(peer, runs, work)
    store_trained(peer, PEER_MODEL_STORE, fingerprint)


# --------------------------------------------------------------------------
# Cross-validation


def cross_validate(config: Path, folds: int, out: Path, cache: Path, log_path: Path) -> dict:
    """`rasa test nlu --cross-validation`, scored like the held-out set (nlu_eval)."""
    env = {**ENV, "RASA_CACHE_DIRECTORY": str(cache)}
    args = [RASA, "test", "nlu", "--nlu", str(ROOT / "data"), "--cross-validation",
            "-f", str(folds), "-c", str(config), "--out", str(out), "--successes", "--no-plot"]
    start = time.monotonic()
    with open(log_path, "wb") as output:
        result = subprocess.run(args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        raise RuntimeError(f"rasa test nlu failed ({log_path}):\n{log_path.read_text()[-3000:]}")
    return {**score_cv_output(out), "cv_seconds": seconds, "cv_folds": folds}


def score_cv_output(out: Path) -> dict:
    """Every training example was predicted once, by the fold that held it out."""
    predictions = []
    for name in ("intent_successes.json", "intent_errors.json"):
        if (out / name).exists():
            predictions += json.loads((out / name).read_text(encoding="utf-8"))
    examples = [nlu_eval.Example(p["text"], p["intent"]) for p in predictions]
    predicted = iter([p["intent_prediction"]["name"] for p in predictions])
    report = nlu_eval.evaluate(lambda _text: next(predicted), examples)  # in order
    return {"cv_accuracy": report.accuracy, "cv_macro_f1": report.macro_f1,
            "cv_examples": report.total}


CV_KEYS = ("cv_accuracy", "cv_macro_f1", "cv_examples", "cv_seconds", "cv_folds")


def measure_cv(role: Role, config: Path, folds: int, work: Path, mode: str,
               cache_file: Path = CV_CACHE) -> None:
    """Cross-validation takes long and its result depends only on the inputs, so with
    mode "auto" a result stored in cache_file for the same inputs is reused and, when
    there is none, it is left out (role.results["cv_left_out"] = True): on today's data
    the peer's DIET takes about 40 min a fold on 2 cores, so 5 folds do not fit in one
    run (bench/findings.md, round 12). "fresh" recomputes; "skip" leaves it out."""
    if mode == "skip":
        return
    fingerprint = inputs_fingerprint(f"folds {folds}", [config])  # config, data, Rasa, folds
    stored = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    cached = stored.get(role.name)
    if mode == "auto" and cached and cached.get("fingerprint") == fingerprint:
        log(f"{role.name}: {folds}-fold CV reused from {cache_file.name} ({cached['date']}, same inputs)")
        role.results.update({key: cached[key] for key in CV_KEYS})
        role.results["cv_cached_date"] = cached["date"]
        return
    if mode == "auto":
        log(f"{role.name}: {folds}-fold CV left out (inputs changed; `--cv fresh` computes it)")
        role.results["cv_left_out"] = True
        return
    log(f"{role.name}: {folds}-fold cross-validation")
    cache = work / f"cache-cv-{role.name}"
    run_config = work / f"cv-config-{role.name}.yml"  # Rasa may rewrite a config's comments
    shutil.copy(config, run_config)
    result = cross_validate(run_config, folds, work / f"cv-{role.name}", cache,
                            work / f"cv-{role.name}.log")
    shutil.rmtree(cache, ignore_errors=True)
    role.results.update(result)
    stored[role.name] = {**result, "fingerprint": fingerprint,
                         "date": datetime.now(timezone.utc).strftime("%Y-%m-%d")}
    cache_file.write_text(json.dumps(stored, indent=1) + "\n")


# --------------------------------------------------------------------------
# Serving: start time, held-out accuracy, latency, throughput, memory


def rss_mb(pid: int) -> float:
    """VmRSS of a process and its descendants, in MB."""
    pids, children = {pid}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in pids:
                pids.add(child)
                todo.append(child)
    total_kb = 0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def run_user(rasa_url: str, sessions: int, samples: list, lock: threading.Lock) -> dict:
    """One user talking through `sessions` scripted sessions; latencies go to samples."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    errors = 0
    for _ in range(sessions):
        for text in SESSION:
            start = time.perf_counter()
            try:
                status, replies = harness.http(
                    "POST", f"{rasa_url}/webhooks/rest/webhook",
                    {"sender": sender, "message": text}, timeout=60)
                ok = status == 200 and isinstance(replies, list) and bool(replies)
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                samples.append(elapsed)
            errors += not ok
    return {"sender": sender, "errors": errors}


def verdicts_reached(rasa_url: str, sender: str) -> int:
    """How many interviews of this user ended with the `verdict` slot set."""
    status, tracker = harness.http(
        "GET", f"{rasa_url}/conversations/{sender}/tracker?token={AUTH_TOKEN}", timeout=60)
    if status != 200:
        return 0
    return sum(1 for event in tracker.get("events", [])
               if event.get("event") == "slot" and event.get("name") == "verdict"
               and event.get("value"))


def load_test(rasa_url: str, users: int, sessions: int) -> dict:
    samples: list = []
    lock = threading.Lock()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        outcomes = list(pool.map(lambda _: run_user(rasa_url, sessions, samples, lock), range(users)))
    wall = time.perf_counter() - start
    completed = sum(verdicts_reached(rasa_url, o["sender"]) for o in outcomes)
    return {
        "median_ms": 1000 * statistics.median(samples),
        "p95_ms": 1000 * percentile(samples, 0.95),
        "msgs_per_s": len(samples) / wall,
        "messages": len(samples),
        "errors": sum(o["errors"] for o in outcomes),
        "interviews": users * sessions * INTERVIEWS_PER_SESSION,
        "verdicts": completed,
    }


@dataclass(frozen=True)
class NluSet:
    """One labelled message set scored over /model/parse (see tests/nlu_eval.py)."""
    key: str      # prefix of its result keys
    path: Path
    label: str    # its name in the table
    history: str  # who wrote it and when it was scored and read


NLU_SETS = (
    NluSet("heldout", nlu_eval.HELD_OUT, "Held-out",
           "never trained on, written with the training data"),
    NluSet("blind", nlu_eval.BLIND, "Blind",
           "by someone who never saw `data/` or `tests/`, frozen; scored before and after the"
           " first round of work, whose errors were read then"),
    NluSet("blind2", nlu_eval.BLIND_2, "Blind-2",
           "by another writer; scored after the second round, read then"),
    NluSet("blind3", nlu_eval.BLIND_3, "Blind-3",
           "by a third writer; scored after the third round, read then"),
    NluSet("blind4", nlu_eval.BLIND_4, "Blind-4",
           "by a fourth writer; scored before the fourth round and after its main changes,"
           " read then"),
    NluSet("blind5", nlu_eval.BLIND_5, "Blind-5",
           "by a fifth writer; scored before and after the fourth round, read then"),
    NluSet("blind6", nlu_eval.BLIND_6, "Blind-6",
           "by a sixth writer; scored before and after the fifth round's main changes, read then"),
    NluSet("blind7", nlu_eval.BLIND_7, "Blind-7",
           "by a seventh writer; scored before the fifth round and once after it, read then"),
    NluSet("blind8", nlu_eval.BLIND_8, "Blind-8",
           "by an eighth writer who saw only the source text; scored before the sixth round,"
           " read, and its families fixed"),
    NluSet("blind9", nlu_eval.BLIND_9, "Blind-9",
           "by a ninth writer, written alongside blind-8; scored before the sixth round and once"
           " after its model changes, before it was read (those honest figures are in"
           " `bench/findings.md`, round 6); read since, and the crisis list and the scope table"
           " were changed after reading it, so this run's blind-9 lines are no longer a measure"),
    NluSet("blind10", nlu_eval.BLIND_10, "Blind-10",
           "by a tenth writer who saw only the source text (vocational students and young"
           " workers from eastern and outer regions, English speakers); scored before the"
           " seventh round and once after it (those honest figures are in `bench/findings.md`,"
           " round 7), then read, and its three missed crisis families were added to the list,"
           " so this run's blind-10 lines are no longer a measure"),
    NluSet("blind11", nlu_eval.BLIND_11, "Blind-11",
           "by an eleventh writer who saw only the source text (students in Java and Bali"
           " with Javanese, Sundanese, Betawi, Manado and Batak forms, pesantren students,"
           " Gen-Z and English speakers; 100 crisis messages); scored before the eighth round"
           " and once after it, then read (its one missed crisis family went into the list)"),
    NluSet("blind12", nlu_eval.BLIND_12, "Blind-12",
           "by a twelfth writer who saw only the source text (113 crisis messages: indirect,"
           " nine regional forms, crises after a question, English and code-mixed; 36"
           " look-alikes); scored before the ninth round and once after it"),
    NluSet("blind13", nlu_eval.BLIND_13, "Blind-13",
           "by a thirteenth writer, written alongside blind-12, who saw only the source text"
           " (students outside Java, young workers, parents, English speakers; 102 crisis"
           " messages, 43 look-alikes); scored before the ninth round and once after it"),
    NluSet("blind14", nlu_eval.BLIND_14, "Blind-14",
           "by a fourteenth writer who saw only the source text (99 crisis messages, 46"
           " look-alikes: jokes, heavy moods, a past now over, aggressive words in ordinary"
           " talk); scored before the tenth round, and its errors were read then"),
    NluSet("blind15", nlu_eval.BLIND_15, "Blind-15",
           "by a fifteenth writer who saw only the source text (students from Sumatra to Papua,"
           " young workers, parents, teachers, English-speaking diaspora; 96 crisis messages,"
           " 45 look-alikes); scored once after the tenth round's changes, before it was read"),
    NluSet("blind16", nlu_eval.BLIND_16, "Blind-16",
           "by a sixteenth writer who saw only the source text (students from Aceh to Jayapura,"
           " parents, teachers, English speakers; 50 context-first questions, 90 crisis"
           " messages); scored once before and once after the eleventh round's training data"),
    NluSet("blind17", nlu_eval.BLIND_17, "Blind-17",
           "by a seventeenth writer who saw only the source text (students, workers, parents,"
           " English speakers; 72 crisis messages, 48 look-alikes, 19 near misses); scored once"
           " before and once after the twelfth round's changes"),
    NluSet("blind18", nlu_eval.BLIND_18, "Blind-18",
           "by an eighteenth writer who saw only the source text and the contract (Javanese,"
           " Sundanese, Betawi and Medan touches, English speakers; 72 crisis messages, 53"
           " look-alikes, 20 near misses); scored once before and once after the thirteenth"
           " round's changes"),
)


def nlu_sets(rasa_url: str, limit: Optional[int]) -> dict:
    """Held-out and blind figures over /model/parse: accuracy, macro-F1, per language,
    crisis recall and false alarms, out-of-scope precision, confusion pairs."""
    def predict(text):
        status, parsed = harness.http(
            "POST", f"{rasa_url}/model/parse?token={AUTH_TOKEN}", {"text": text}, timeout=60)
        return parsed["intent"]["name"] if status == 200 else "(error)"

    results = {}
    for nlu_set in NLU_SETS:
        name = nlu_set.key
        examples = nlu_eval.load_examples(nlu_set.path)
        if limit:
            examples = examples[::max(1, len(examples) // limit)][:limit]
        report = nlu_eval.evaluate(predict, examples)
        by_lang = report.by_lang
        english = [(acc * n, n) for lang, (acc, n) in by_lang.items() if lang in ("en", "mixed")]
        results.update({
            f"{name}_accuracy": report.accuracy, f"{name}_macro_f1": report.macro_f1,
            f"{name}_examples": report.total,
            f"{name}_id_accuracy": by_lang.get("id", (None, 0))[0],
            f"{name}_en_accuracy": (sum(r for r, _ in english) / sum(n for _, n in english)
                                    if english else None),
            f"{name}_crisis_recall": report.crisis_recall,
            f"{name}_crisis_false_alarms": report.crisis_false_alarm_rate,
            f"{name}_oos_precision": report.out_of_scope_precision,
            f"{name}_oos_as_topic": report.near_miss_answered_as_topic,
            f"{name}_confusions": [[e, p, n] for (e, p), n in report.confusions(12)],
        })
    return results


def serve_round(role: Role, sizes: Sizes, work: Path, first: bool) -> dict:
    log_dir = Path(tempfile.mkdtemp(prefix=f"serve-{role.name}-", dir=work))
    actions = harness.action_server(log_dir).start()
    try:
        rasa = harness.rasa_server_for_model(role.model, log_dir, actions.url, AUTH_TOKEN,
                                             name=f"rasa-{role.name}")
        if role.name == "peer":
            rasa.env = {**ENV, "PYTHONPATH": str(PEER_SITE)}
        start = time.monotonic()
        rasa.start(timeout=600)
        result = {"start_s": time.monotonic() - start}
        try:
            if first:
                result.update(nlu_sets(rasa.url, sizes.heldout_limit))
            run_user(rasa.url, 1, [], threading.Lock())  # warm-up: one whole session
            result["seq"] = load_test(rasa.url, 1, sizes.seq_sessions)
            result["conc"] = load_test(rasa.url, sizes.users, sizes.user_sessions)
            result["rss_rasa_mb"] = rss_mb(rasa.process.pid)
            result["rss_actions_mb"] = rss_mb(actions.process.pid)
        finally:
            rasa.stop()
    finally:
        actions.stop()
    return result


def measure_serving(roles: list, sizes: Sizes, work: Path) -> None:
    rounds = {role.name: [] for role in roles}
    for number in range(sizes.rounds):
        # Alternate the order so that neither bot always runs first.
        for role in (roles if number % 2 == 0 else roles[::-1]):
            log(f"{role.name}: serving round {number + 1}/{sizes.rounds}")
            outcome = serve_round(role, sizes, work, first=number == 0)
            rounds[role.name].append(outcome)
            log(f"{role.name}: start {outcome['start_s']:.1f} s, "
                f"seq median {outcome['seq']['median_ms']:.0f} ms, "
                f"{sizes.users} users {outcome['conc']['msgs_per_s']:.1f} msg/s")
    for role in roles:
        runs = rounds[role.name]
        results = role.results
        results.update({k: v for k, v in runs[0].items() if k.startswith(("heldout", "blind"))})
        results["start_s"] = median(r["start_s"] for r in runs)
        for mode in ("seq", "conc"):
            for key in ("median_ms", "p95_ms", "msgs_per_s"):
                results[f"{mode}_{key}"] = median(r[mode][key] for r in runs)
            for key in ("errors", "messages", "interviews", "verdicts"):
                results[f"{mode}_{key}"] = sum(r[mode][key] for r in runs)
        results["rss_rasa_mb"] = median(r["rss_rasa_mb"] for r in runs)
        results["rss_actions_mb"] = median(r["rss_actions_mb"] for r in runs)
        results["rounds"] = runs


# --------------------------------------------------------------------------
# Report


@dataclass
class Line:
    label: str
    key: str
    fmt: str
    target: str = ""
    meets: Optional[Callable] = None  # (ours, peer) -> bool


def at_least_peer(ours, peer) -> bool:
    return peer is None or ours >= peer


def blind_lines(label: str, key: str) -> list:
    """The table lines of one blind set, with the understanding issue's targets."""
    return [
        Line(f"{label}: intent accuracy", f"{key}_accuracy", "{:.3f}", "≥ peer", at_least_peer),
        Line(f"{label}: macro-F1", f"{key}_macro_f1", "{:.3f}", "≥ peer", at_least_peer),
        Line(f"{label}: Indonesian accuracy", f"{key}_id_accuracy", "{:.3f}", "≥ 0.95",
             lambda o, p: o >= 0.95),
        Line(f"{label}: English and code-mixed accuracy", f"{key}_en_accuracy", "{:.3f}", "≥ 0.85",
             lambda o, p: o >= 0.85),
        Line(f"{label}: crisis recall", f"{key}_crisis_recall", "{:.3f}", "1.000",
             lambda o, p: o >= 1.0),
        Line(f"{label}: crisis false alarms (non-crisis)", f"{key}_crisis_false_alarms", "{:.3f}",
             "≤ 0.02", lambda o, p: o <= 0.02),
        Line(f"{label}: out-of-scope precision", f"{key}_oos_precision", "{:.3f}", "≥ peer",
             at_least_peer),
        Line(f"{label}: out-of-scope answered with a topic", f"{key}_oos_as_topic", "{:.0f}", "0",
             lambda o, p: o == 0),
    ]


LINES = [
    Line("Held-out intent accuracy", "heldout_accuracy", "{:.3f}", "≥ 0.95 and ≥ peer",
         lambda o, p: o >= 0.95 and (p is None or o >= p)),
    Line("Held-out macro-F1", "heldout_macro_f1", "{:.3f}", "≥ 0.95 and ≥ peer",
         lambda o, p: o >= 0.95 and (p is None or o >= p)),
    *[line for nlu_set in reversed(NLU_SETS[1:]) for line in blind_lines(nlu_set.label, nlu_set.key)],
    Line("Held-out: crisis recall", "heldout_crisis_recall", "{:.3f}", "1.000",
         lambda o, p: o >= 1.0),
    Line("CV accuracy (training data)", "cv_accuracy", "{:.3f}", "≥ peer",
         lambda o, p: p is None or o >= p),
    Line("CV macro-F1 (training data)", "cv_macro_f1", "{:.3f}", "≥ peer",
         lambda o, p: p is None or o >= p),
    Line("1 user: median response (ms)", "seq_median_ms", "{:.0f}", "≤ 40", lambda o, p: o <= 40),
    Line("1 user: p95 response (ms)", "seq_p95_ms", "{:.0f}", "≤ 100", lambda o, p: o <= 100),
    Line("8 users: median response (ms)", "conc_median_ms", "{:.0f}"),
    Line("8 users: p95 response (ms)", "conc_p95_ms", "{:.0f}"),
    Line("8 users: messages/s", "conc_msgs_per_s", "{:.1f}", "≥ 30", lambda o, p: o >= 30),
    Line("Errors (all messages)", "errors", "{:.0f}", "0", lambda o, p: o == 0),
    Line("Interviews ending in a verdict", "verdict_share", "{:.0%}"),
    Line("Training from scratch (s)", "train_scratch_s", "{:.0f}", "≤ 180", lambda o, p: o <= 180),
    Line("Retraining after one response text (s)", "train_text_s", "{:.0f}", "≤ 30",
         lambda o, p: o <= 30),
    Line("Server start (s)", "start_s", "{:.1f}", "≤ 30", lambda o, p: o <= 30),
    Line("Memory, Rasa server (MB RSS)", "rss_rasa_mb", "{:.0f}"),
    Line("Memory, action server (MB RSS)", "rss_actions_mb", "{:.0f}"),
]


def derived(results: dict) -> dict:
    values = dict(results)
    if "seq_errors" in results:
        values["errors"] = results["seq_errors"] + results["conc_errors"]
        interviews = results["seq_interviews"] + results["conc_interviews"]
        values["verdict_share"] = (results["seq_verdicts"] + results["conc_verdicts"]) / interviews
    return values


def table(ours: dict, peer: dict, users: int) -> str:
    ours, peer = derived(ours), derived(peer)
    rows = ["| Measure | Target (ours) | Ours | Peer (`rasa init` config) | Ours/peer | Met |",
            "|---|---|---:|---:|---:|:-:|"]
    for line in LINES:
        label = line.label.replace("8 users", f"{users} users")
        mine, theirs = ours.get(line.key), peer.get(line.key)
        shown_mine = line.fmt.format(mine) if mine is not None else "–"
        shown_theirs = line.fmt.format(theirs) if theirs is not None else "–"
        ratio = f"{mine / theirs:.2f}" if mine is not None and theirs else "–"
        met = ""
        if line.meets and mine is not None:
            met = "yes" if line.meets(mine, theirs) else "**no**"
        rows.append(f"| {label} | {line.target} | {shown_mine} | {shown_theirs} | {ratio} | {met} |")
    return "\n".join(rows)


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    import rasa

    return {
        "cores": os.cpu_count(), "memory": memory, "cpu": cpu,
        "python": platform.python_version(), "rasa": rasa.__version__,
        "os": platform.platform(),
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def raw_json(ours: dict, peer: dict) -> str:
    """One line per measure, easy to diff between runs."""
    lines = []
    for name, results in (("ours", ours), ("peer", peer)):
        items = [f'  "{key}": {json.dumps(value, default=str)}'
                 for key, value in results.items() if key != "rounds"]
        lines.append(f' "{name}": {{\n' + ",\n".join(items) + "\n }")
    return "{\n" + ",\n".join(lines) + "\n}"


def render(ours: Role, peer: Role, sizes: Sizes, info: dict, started: datetime,
           seconds: float, smoke: bool) -> str:
    o, p = ours.results, peer.results
    cv_note = ""
    if o.get("cv_seconds") and p.get("cv_seconds"):
        cv_note = (f" Cross-validation took {o['cv_seconds'] / 60:.0f} min for ours and"
                   f" {p['cv_seconds'] / 60:.0f} min for the peer (DIET, 100 epochs per fold).")
    cached = [f"{role.name} ({role.results['cv_cached_date']}, took"
              f" {role.results['cv_seconds'] / 60:.0f} min)"
              for role in (ours, peer) if role.results.get("cv_cached_date")]
    if cached:
        cv_note += (f" Reused from {CV_CACHE.relative_to(ROOT)} because data, config and Rasa are"
                   f" unchanged since it was computed: {', '.join(cached)}; recomputed when one"
                   " of them changes or with `--cv fresh`.")
    if o.get("cv_left_out") or p.get("cv_left_out"):
        cv_note += (" Left out in this run: data, config or Rasa changed since"
                    f" {CV_CACHE.relative_to(ROOT)} was computed, and the peer's folds would take"
                    " some 40 min each here (`--cv fresh` computes and stores them).")
    train_note = ""
    if p.get("train_scratch_s"):
        train_note = f" (The peer trains once: one run took {p['train_scratch_s'] / 60:.0f} min.)"
    if p.get("train_cached_date"):
        train_note += (f" The peer's model and training times were reused from a run on"
                      f" {p['train_cached_date']} with the same config, domain, data and Rasa"
                      " (`--peer-model fresh` retrains it).")
    parts = [
        "# Benchmark: our bot against Rasa's default bot",
        "",
        "Generated by `make bench` (`bench/run.py`"
        + (" --smoke: tiny sizes and a stand-in peer, not a real measurement" if smoke else "")
        + ").",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}; the whole run took {seconds / 60:.1f} min.",
        f"- Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, {info['os']}.",
        f"- Software: Python {info['python']}, Rasa {info['rasa']}.",
        f"- Load average at start / end: {info['load_start']} / {info['load_end']} "
        "(the machine is shared; ratios are measured in the same run).",
        *(["- **The peer was not run** (`--peer-model skip`): its columns are empty and the"
           " table shows our bot alone."] if not p.get("rounds") and not smoke else []),
        "- **Ours**: `config.yml` (spaCy `id` lemmas, word + char n-gram counts, logistic"
        " regression, RulePolicy). **Peer**: `bench/peer_config.yml`, the config `rasa init`"
        " writes for Rasa 3.6 with `language: id` (Rasa's default pipeline with DIET and"
        " ResponseSelector, and its default policies), trained on the same `data/` and"
        " `domain.yml`, served with the same action server and endpoint settings. The"
        " interview's questions, which our bot asks inside the Rasa server, are loaded into"
        " the peer's server too (`bench/peer_site/`); the rest of the peer is stock Rasa.",
        "",
        table(o, p, sizes.users),
        "",
        "How it was measured:",
        "",
        "- "
        + "; ".join(f"{nlu_set.label}: `{nlu_set.path.relative_to(ROOT)}`"
                    f" ({o.get(nlu_set.key + '_examples', '–')} messages, {nlu_set.history})"
                    for nlu_set in NLU_SETS)
        + ". All sent to"
        " `/model/parse` of the running server, scored by `tests/nlu_eval.py` (`nlu_fallback`"
        " counts as `out_of_scope`; crisis = the `crisis` intent, which is what triggers the"
        " crisis reply; false alarms over non-crisis messages; out-of-scope answered with a"
        " topic = an out-of-scope message given one of the seven topic intents). CV:"
        f" `rasa test nlu --cross-validation -f {sizes.cv_folds}` on `data/`"
        f" ({o.get('cv_examples', '–')} examples), each example predicted by the fold that held"
        " it out, scored the same way." + cv_note,
        f"- Responses: `POST /webhooks/rest/webhook`, `rasa run` with the in-memory tracker store,"
        f" the action server on loopback. Each user plays a {len(SESSION)}-message session: greeting,"
        " two knowledge questions, thanks, the 8-question interview answered \"4\", a retake"
        " (`/start_interview`) answered again. Per round: one warm-up session, then 1 user"
        f" × {sizes.seq_sessions} sessions in sequence, then {sizes.users} users ×"
        f" {sizes.user_sessions} sessions at once (threads). {sizes.rounds} rounds per bot, each"
        " with a fresh server, alternating which bot goes first; the table shows the median over"
        " rounds of each round's median / 95th percentile / messages per second. Errors: non-200"
        " or empty replies. Interviews ending in a verdict: `verdict` slot set in the tracker.",
        "- Server start: process start until `/status?token=` answers 200 (model loaded),"
        " median over rounds. Memory: VmRSS from `/proc` after the rounds' load, median.",
        f"- Training: `rasa train` from scratch with an empty `RASA_CACHE_DIRECTORY` (runs: ours"
        f" {o.get('train_runs', '–')}, peer {p.get('train_runs', '–')}; median), then with one"
        " response text of `domain.yml` changed and the same cache. Components trained again"
        f" after that change: ours {', '.join(o.get('train_text_retrained') or ['none'])},"
        f" peer {', '.join(p.get('train_text_retrained') or ['none'])}; all others were"
        " restored from Rasa's cache." + train_note,
        "",
        "Most frequent confusions (expected → predicted, count):",
        "",
        *[f"- {role.name}, {name}: " + (", ".join(f"{e} → {pr} {n}" for e, pr, n in
                                                  role.results.get(f"{name}_confusions") or [])
                                        or "none")
          for name in (nlu_set.key for nlu_set in NLU_SETS) for role in (ours, peer)],
        "",
        "Raw numbers:",
        "",
        "```json",
        raw_json(o, p),
        "```",
    ]
    if FINDINGS.exists() and not smoke:
        parts += ["", FINDINGS.read_text(encoding="utf-8").rstrip()]
    return "\n".join(parts) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, a tiny stand-in peer, ours not retrained (for the test suite)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--work", type=Path, help="working directory (default: a new one in var/bench)")
    parser.add_argument("--cv", choices=["auto", "fresh", "skip"], default="auto",
                        help="auto: reuse bench/cv_cache.json when config, data and Rasa are unchanged,"
                             " else leave it out; fresh: compute it (hours for the peer)")
    parser.add_argument("--peer-model", choices=["auto", "fresh", "skip"], default="auto",
                        help="auto: reuse the peer's model and training times stored outside the"
                             " repo when config, domain, data and Rasa are unchanged; skip: measure"
                             " ours only (the peer's columns stay empty)")
    parser.add_argument("--rounds", type=int, help="server rounds (overrides the size)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only rewrite --out from the raw results of an earlier --json run")
    args = parser.parse_args(argv)

    if args.render:
        saved = json.loads(args.render.read_text())
        ours, peer = Role("ours", ROOT / "config.yml"), Role("peer", PEER_CONFIG)
        ours.results, peer.results = saved["ours"], saved["peer"]
        sizes = Sizes(**saved["sizes"])
        report = render(ours, peer, sizes, saved["machine"],
                        datetime.fromisoformat(saved["started"]), saved["seconds"], saved["smoke"])
        args.out.write_text(report, encoding="utf-8")
        print(table(ours.results, peer.results, sizes.users))
        return 0

    sizes = SMOKE if args.smoke else FULL
    if args.rounds:
        sizes.rounds = args.rounds
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    info = machine()
    info["load_start"] = load_average()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-", dir=_var_dir()))
    work.mkdir(parents=True, exist_ok=True)
    log(f"working directory {work}")

    peer_config = work / "peer_config.yml"
    ours = Role("ours", ROOT / "config.yml")
    peer = Role("peer", peer_config)
    roles = [ours, peer]
    if args.smoke:
        peer_config.write_text(yaml.safe_dump(SMOKE_PEER_CONFIG, sort_keys=False))
        ours.model = harness.MODEL  # trained by `make test`; ours is not retrained
        cv_runs = [(peer, peer_config)]
        cv_mode, cv_cache = "fresh", work / "cv_cache.json"
    else:
        # A copy: rasa train rewrites the comments of a config with empty sections.
        shutil.copy(PEER_CONFIG, peer_config)
        cv_runs = [(ours, ours.config), (peer, PEER_CONFIG)]
        cv_mode, cv_cache = args.cv, CV_CACHE
        if args.peer_model == "skip":
            roles, cv_runs = [ours], cv_runs[:1]

    # CV first: its duration is not a measured line, so the noisy minutes it may
    # share with other work on the machine do not matter.
    for role, config in cv_runs:
        measure_cv(role, config, sizes.cv_folds, work, cv_mode, cv_cache)
    for role in roles:
        if role is peer and not args.smoke:
            train_peer(peer, sizes.train_runs["peer"], work, reuse=args.peer_model == "auto")
        else:
            measure_training(role, sizes.train_runs[role.name], work)
    measure_serving(roles, sizes, work)

    info["load_end"] = load_average()
    report = render(ours, peer, sizes, info, started, time.monotonic() - clock, args.smoke)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(
            {"ours": ours.results, "peer": peer.results, "machine": info,
             "sizes": sizes.__dict__, "started": started.isoformat(),
             "seconds": time.monotonic() - clock, "smoke": args.smoke}, indent=1, default=str))
    print()
    print(table(ours.results, peer.results, sizes.users))
    print(f"\nWritten to {args.out}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _var_dir() -> Path:
    path = ROOT / "var" / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


if __name__ == "__main__":
    sys.exit(main())
