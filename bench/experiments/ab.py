#!/usr/bin/env python
"""A/B runs behind bench/findings.md: a model served several times, short load each time.

    .venv/bin/python bench/experiments/ab.py 2 --model models/bot.tar.gz --model other.tar.gz

Each run starts the action server and `rasa run` with one model and prints
one JSON line: start time, 1-user and 8-user latency, messages/s, errors,
interviews ending in a verdict. Models are interleaved run by run (the
machine is shared). The patches of session 1's A/B series (validator,
spaCy tokenizer, event lookup, blank check) are in the project now; they
were switched on here through a sitecustomize module, which lives on in the
git history (commit 33183ff).
"""
import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE.parent))

import run as bench  # noqa: E402
from tests import harness  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", type=int, help="runs per model")
    parser.add_argument("--model", type=Path, action="append",
                        help="a model archive (repeat to compare; default models/bot.tar.gz)")
    args = parser.parse_args()
    models = args.model or [harness.MODEL]
    work = Path(tempfile.mkdtemp(prefix="ab-", dir=bench._var_dir()))
    for model in [model for _ in range(args.runs) for model in models]:
        name = model.name
        log_dir = Path(tempfile.mkdtemp(prefix=f"{model.stem}-", dir=work))
        actions = harness.action_server(log_dir).start()
        rasa = harness.rasa_server_for_model(model, log_dir, actions.url, bench.AUTH_TOKEN)
        start = time.monotonic()
        rasa.start(timeout=600)
        try:
            started = time.monotonic() - start
            bench.run_user(rasa.url, 1, [], threading.Lock())  # warm-up
            seq = bench.load_test(rasa.url, 1, 2)
            conc = bench.load_test(rasa.url, 8, 1)
            print(json.dumps({
                "model": name, "start_s": round(started, 1),
                "seq_median_ms": round(seq["median_ms"]), "seq_p95_ms": round(seq["p95_ms"]),
                "conc_median_ms": round(conc["median_ms"]), "conc_msgs_per_s": round(conc["msgs_per_s"], 1),
                "errors": seq["errors"] + conc["errors"],
                "verdicts": f'{seq["verdicts"] + conc["verdicts"]}/{seq["interviews"] + conc["interviews"]}',
                "load": Path("/proc/loadavg").read_text().split()[0],
            }), flush=True)
        finally:
            rasa.stop()
            actions.stop()


if __name__ == "__main__":
    main()
