"""Scores a trained model on the held-out and blind NLU sets, in-process.

    .venv/bin/python bench/score_sets.py [--model models/bot.tar.gz] [--errors]

Prints accuracy, macro-F1, accuracy per language, crisis recall and false
alarms, out-of-scope precision and the most frequent confusions. Run from
the project root (the spaCy pipeline path in config.yml is relative).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import nlu_eval  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "bot.tar.gz"))
    parser.add_argument("--errors", action="store_true", help="print every misread example")
    parser.add_argument("--set", action="append", dest="sets", metavar="PATH",
                        help="score this set (repeatable); default: held-out and blind")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    import structlog

    # Rasa 3.6 logs every parse, message text included, through structlog at debug level.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    from rasa.core.agent import Agent

    agent = Agent.load(args.model)
    loop = asyncio.new_event_loop()

    def predict(text: str) -> str:
        return loop.run_until_complete(agent.parse_message(text))["intent"]["name"]

    sets = [(Path(p).stem, Path(p)) for p in args.sets] if args.sets else [
        ("held-out", nlu_eval.HELD_OUT), ("blind", nlu_eval.BLIND)]
    for name, path in sets:
        report = nlu_eval.evaluate(predict, nlu_eval.load_examples(path))
        print(f"{name}: {report.summary()}")
        print("  confusions: " + ", ".join(f"{e}->{p} {n}" for (e, p), n in report.confusions(12)))
        if args.errors:
            for example, predicted in report.errors:
                print(f"    [{example.lang}/{example.kind}] {example.intent} -> {predicted}: {example.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
