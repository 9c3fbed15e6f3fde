#!/usr/bin/env python
"""A/B runs behind bench/findings.md: the same model served with experimental patches.

    .venv/bin/python bench/experiments/ab.py baseline,validator,all,all,validator,baseline

Each variant starts the action server and `rasa run` (models/bot.tar.gz, or
--model), loads bench/experiments/sitecustomize.py into the Rasa process
through PYTHONPATH with the variant's switches, and prints one JSON line:
start time, 1-user and 8-user latency, messages/s, errors. The patches exist
only here, to measure what a change in the project would give; the project
itself does not load them. Give variants in interleaved order: the machine is
shared.
"""
import argparse
import json
import subprocess
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

SWITCHES = {
    "baseline": [],
    "validator": ["BENCH_EXP_VALIDATOR"],
    "validator+spacy": ["BENCH_EXP_VALIDATOR", "BENCH_EXP_SPACY"],
    "events": ["BENCH_EXP_EVENTS"],
    "all": ["BENCH_EXP_VALIDATOR", "BENCH_EXP_SPACY", "BENCH_EXP_EVENTS", "BENCH_EXP_CLASSIFIABLE"],
}


def fast_spacy_dir(work: Path) -> Path:
    """A working directory whose build/spacy_id is ours without the 16k tokenizer exceptions."""
    code = f"""
import sys; sys.path.insert(0, {str(HERE)!r})
import os; os.environ["BENCH_EXP_SPACY"] = "1"
import sitecustomize, spacy
base = spacy.load({str(harness.ROOT / "build" / "spacy_id")!r})
config = base.config.copy()
config["nlp"]["tokenizer"] = {{"@tokenizers": "bench.NoExceptionsTokenizer.v1"}}
nlp = spacy.util.load_model_from_config(config, auto_fill=True)
nlp.get_pipe("lemmatizer").lookups = base.get_pipe("lemmatizer").lookups
nlp.to_disk({str(work / "build" / "spacy_id")!r})
"""
    (work / "build").mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", code], check=True, env=harness.ENV)
    return work


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variants", help="comma-separated: " + ", ".join(SWITCHES))
    parser.add_argument("--model", type=Path, default=harness.MODEL)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ab-", dir=bench._var_dir()))
    variants = args.variants.split(",")
    fast_cwd = fast_spacy_dir(work) if any("BENCH_EXP_SPACY" in SWITCHES[v] for v in variants) else None
    for name in variants:
        switches = SWITCHES[name]
        cwd = fast_cwd if "BENCH_EXP_SPACY" in switches else harness.ROOT
        log_dir = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work))
        actions = harness.action_server(log_dir).start()
        rasa = harness.rasa_server_for_model(args.model, log_dir, actions.url, bench.AUTH_TOKEN)
        env = {**harness.ENV, **{s: "1" for s in switches}, "PYTHONPATH": str(HERE)}
        start = time.monotonic()
        process = subprocess.Popen(rasa.args, cwd=cwd, env=env, stdout=open(log_dir / "rasa.log", "wb"),
                                   stderr=subprocess.STDOUT)
        try:
            while True:
                if process.poll() is not None:
                    raise RuntimeError((log_dir / "rasa.log").read_text()[-2000:])
                try:
                    if harness.http("GET", rasa.url + rasa.health_path, timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.3)
            started = time.monotonic() - start
            bench.run_user(rasa.url, 1, [], threading.Lock())  # warm-up
            seq = bench.load_test(rasa.url, 1, 2)
            conc = bench.load_test(rasa.url, 8, 1)
            print(json.dumps({
                "variant": name, "start_s": round(started, 1),
                "seq_median_ms": round(seq["median_ms"]), "seq_p95_ms": round(seq["p95_ms"]),
                "conc_median_ms": round(conc["median_ms"]), "conc_msgs_per_s": round(conc["msgs_per_s"], 1),
                "errors": seq["errors"] + conc["errors"],
                "verdicts": f'{seq["verdicts"] + conc["verdicts"]}/{seq["interviews"] + conc["interviews"]}',
                "load": Path("/proc/loadavg").read_text().split()[0],
            }), flush=True)
        finally:
            process.terminate()
            process.wait()
            actions.stop()


if __name__ == "__main__":
    main()
