#!/usr/bin/env python
"""The crisis check's held-out-family figures behind bench/findings.md.

    .venv/bin/python bench/experiments/crisis_cv.py [--model models/bot.tar.gz]
        [--extra FILE] [--unread SET] [--folds 10] [--set NAME=VALUE ...] [--misses] [--alarms]

1. Parses every crisis example and every message of the read evaluation sets
   (held-out, development, blind sets) with the trained model, and records
   what the crisis check receives from the intent classifier (its `crisis`
   confidence and its best other intent); cached in var/crisis_cv_inputs.json
   by model file.
2. Each family of `counselor/crisis_examples.yml` (and of --extra, an examples
   file of the same shape not yet in the project) is held out in turn
   (grouped folds, families of the same name are one family): the crisis
   model is trained on data/ and the other folds and scores the held-out
   messages' parts; `safety.assess` decides with the recorded classifier
   inputs. Prints crisis recall and look-alike false alarms.
3. The model trained on everything decides on the read sets: crisis recall
   and false alarms over their non-crisis messages, overall and worst set.

--set overrides a constant of counselor/safety.py (DETECTOR_MIN_PROBABILITY=0.25)
or C of the crisis model (C=30), to compare rules on the same inputs.
Run from the project root.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from counselor import crisis_model, safety  # noqa: E402
from tests import nlu_eval  # noqa: E402

CACHE = ROOT / "var" / "crisis_cv_inputs.json"


def read_sets(unread):
    """{set name: [Example]}: the evaluation sets already read while tuning
    (all but the names in `unread`, which must not steer a change)."""
    paths = [nlu_eval.HELD_OUT, nlu_eval.DEV, *nlu_eval.BLIND_SETS]
    return {p.stem: nlu_eval.load_examples(p) for p in paths if p.stem not in unread}


def classifier_inputs(model_path: Path, texts):
    """{text: [crisis confidence, other intent, its confidence]} as the guard sees them."""
    cache = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    key = f"{model_path.resolve()}:{model_path.stat().st_mtime_ns}"
    known = cache.get(key, {})
    missing = sorted(set(texts) - set(known))
    if missing:
        logging.disable(logging.WARNING)
        import structlog
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
        from rasa.core.agent import Agent
        from rasa_ext import guards

        seen = {}
        original = guards.SafetyAndScopeGuard._guard

        def recording(self, message):
            ranking = message.get(guards.INTENT_RANKING_KEY) or []
            other = guards._next_best(ranking, guards.CRISIS) or {}
            seen[message.get(guards.TEXT) or ""] = [
                guards._confidence_of(ranking, guards.CRISIS), other.get("name", ""),
                float(other.get("confidence") or 0.0)]
            return original(self, message)

        guards.SafetyAndScopeGuard._guard = recording
        agent = Agent.load(str(model_path))
        loop = asyncio.new_event_loop()
        for text in missing:
            loop.run_until_complete(agent.parse_message(text))
            known[text] = seen.get(text, [0.0, "", 0.0])
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps({key: known}))
    return known


def load_families(paths):
    """[(text, is_crisis, family)] of examples files with a family field."""
    rows = []
    for path in paths:
        for item in yaml.safe_load(Path(path).read_text(encoding="utf-8")):
            rows.append((str(item["text"]), bool(item["crisis"]),
                         str(item.get("family") or item["text"]).strip().lower()))
    return rows


def assessment(text, parts, inputs):
    confidence, other, other_confidence = inputs.get(text, [0.0, "", 0.0])
    return safety.assess(text, confidence, [float(p) for p in parts], (other, other_confidence))



def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "bot.tar.gz"))
    parser.add_argument("--extra", action="append", default=[])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    parser.add_argument("--unread", action="append", default=[], metavar="SET",
                        help="leave out this evaluation set (nlu_blind12): not yet scored after")
    parser.add_argument("--misses", action="store_true", help="print held-out crises missed")
    parser.add_argument("--alarms", action="store_true",
                        help="print the read sets' false alarms with their source")
    args = parser.parse_args(argv)
    C = 30.0
    for override in args.overrides:
        name, value = override.split("=")
        if name == "C":
            C = float(value)
        else:
            setattr(safety, name, type(getattr(safety, name))(value))

    data_examples = crisis_model.nlu_training_pairs(
        ((e.text, e.intent, e.intent_metadata) for e in nlu_eval.training_examples(ROOT / "data")),
        safety.CRISIS_INTENT)
    rows = load_families([crisis_model.EXAMPLES_PATH, *args.extra])
    sets = read_sets(set(args.unread))
    texts = [t for t, _, _ in rows] + [e.text for examples in sets.values() for e in examples]
    inputs = classifier_inputs(Path(args.model), texts)

    families = sorted({f for _, _, f in rows})
    rng = np.random.default_rng(0)
    fold_of = {f: i % args.folds for i, f in enumerate(rng.permutation(families))}
    caught = defaultdict(list)  # is_crisis -> [decided crisis]
    misses, alarm_sources = [], defaultdict(int)
    for fold in range(args.folds):
        train = data_examples + [(t, c) for t, c, f in rows if fold_of[f] != fold]
        held = [(t, c) for t, c, f in rows if fold_of[f] == fold]
        model = crisis_model.CrisisModel(C=C).fit(*zip(*train))
        for (text, is_crisis), parts in zip(held, model.part_probabilities([t for t, _ in held])):
            verdict = assessment(text, parts, inputs)
            decided = verdict.crisis
            caught[is_crisis].append(decided)
            if decided and not is_crisis:
                alarm_sources[verdict.source] += 1
            if is_crisis and not decided:
                misses.append(text)
    print(f"held-out families ({len(rows)} examples, {len(families)} families, {args.folds} folds): "
          f"crisis recall {np.mean(caught[True]):.3f}, look-alike alarms {np.mean(caught[False]):.3f} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(alarm_sources.items()))})")

    model = crisis_model.CrisisModel(C=C).fit(*zip(*(data_examples + [(t, c) for t, c, _ in rows])))
    alarms = total = found = crises = 0
    false_alarms = []
    worst = (0.0, "")
    for name, examples in sets.items():
        parts = model.part_probabilities([e.text for e in examples])
        verdicts = [assessment(e.text, p, inputs) for e, p in zip(examples, parts)]
        decided = [v.crisis for v in verdicts]
        false_alarms += [f"({name}) {v.source} {max(p):.2f}: {e.text}"
                         for e, v, p in zip(examples, verdicts, parts)
                         if v.crisis and e.intent != safety.CRISIS_INTENT]
        misses += [f"({name}) {e.text}" for e, d in zip(examples, decided)
                   if e.intent == safety.CRISIS_INTENT and not d]
        set_alarms = sum(d for e, d in zip(examples, decided) if e.intent != safety.CRISIS_INTENT)
        set_total = sum(e.intent != safety.CRISIS_INTENT for e in examples)
        found += sum(d for e, d in zip(examples, decided) if e.intent == safety.CRISIS_INTENT)
        crises += len(examples) - set_total
        alarms, total = alarms + set_alarms, total + set_total
        worst = max(worst, (set_alarms / set_total, name))
    print(f"read sets: crisis recall {found / crises:.3f} ({found}/{crises}), false alarms "
          f"{alarms / total:.2%} ({alarms}/{total}), worst {worst[0]:.1%} ({worst[1]})")
    if args.misses:
        for text in misses:
            print("  missed:", text)
    if args.alarms:
        for line in false_alarms:
            print("  alarm:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
