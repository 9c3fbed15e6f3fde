"""`make bench` with tiny sizes, so the benchmark code cannot rot.

Runs bench/run.py --smoke: a tiny stand-in for the peer (no spaCy, no DIET)
trained from scratch and after a response-text change, its 2-fold
cross-validation, our model as `make test` trained it, one server round per
bot with 2 users. No timing is asserted: only that every measurement ran and
the conversations behaved. (The real peer's DIET needs over a minute even for
one epoch here, so it is left to `make bench`.)
"""
import json
import subprocess

from tests import harness


def test_bench_smoke_produces_the_table(trained_model, tmp_path):
    out, raw = tmp_path / "benchmarks.md", tmp_path / "results.json"
    result = subprocess.run(
        [str(harness.VENV_BIN / "python"), str(harness.ROOT / "bench" / "run.py"), "--smoke",
         "--out", str(out), "--json", str(raw), "--work", str(tmp_path / "work")],
        cwd=harness.ROOT, env=harness.ENV, capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "| Measure |" in result.stdout

    report = out.read_text(encoding="utf-8")
    for label in ("Held-out intent accuracy", "1 user: median response (ms)",
                  "messages/s", "Training from scratch (s)", "Server start (s)",
                  "Memory, action server (MB RSS)", "Ours/peer"):
        assert label in report
    assert "Machine:" in report and "Rasa 3.6" in report

    results = json.loads(raw.read_text())
    ours, peer = results["ours"], results["peer"]
    for bot in (ours, peer):
        assert 0 <= bot["heldout_accuracy"] <= 1 and bot["heldout_examples"] > 0
        assert bot["seq_messages"] > 0 and bot["conc_messages"] > 0
        assert bot["start_s"] > 0 and bot["rss_rasa_mb"] > 0 and bot["rss_actions_mb"] > 0
    # Our bot answers every message and finishes every interview with a verdict.
    assert ours["seq_errors"] == 0 and ours["conc_errors"] == 0
    assert ours["seq_verdicts"] == ours["seq_interviews"]
    assert ours["conc_verdicts"] == ours["conc_interviews"]
    # The peer plays the same interview (its questions come from the same
    # Rasa-side adapter), or its timings would compare shorter conversations.
    assert peer["seq_verdicts"] > 0 and peer["conc_verdicts"] > 0
    # The peer was trained from scratch, then retrained after a response-text
    # change with Rasa's cache: its components must come from the cache.
    assert peer["train_scratch_s"] > 0 and peer["train_text_s"] > 0
    assert peer["train_text_restored"] > 0
    assert 0 <= peer["cv_accuracy"] <= 1 and peer["cv_examples"] > 0
