"""`make bench`'s cross-validation step: reused while its inputs are unchanged, left
out (and said so in the report) when they changed, so a full run fits in a session."""
import importlib.util
import json
import sys
from datetime import datetime, timezone

import pytest

from tests import harness


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", harness.ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _never_run(*args, **kwargs):
    raise AssertionError("cross-validation ran, but its result was stored or left out")


def test_auto_reuses_a_result_stored_for_the_same_inputs(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "cross_validate", _never_run)
    config = harness.ROOT / "bench" / "peer_config.yml"
    stored = {"cv_accuracy": 0.8, "cv_macro_f1": 0.7, "cv_examples": 10, "cv_seconds": 60.0,
              "cv_folds": 5, "date": "2026-12-01",
              "fingerprint": bench.inputs_fingerprint("folds 5", [config])}
    cache = tmp_path / "cv_cache.json"
    cache.write_text(json.dumps({"peer": stored}))
    role = bench.Role("peer", config)
    bench.measure_cv(role, config, 5, tmp_path, "auto", cache)
    assert role.results["cv_accuracy"] == 0.8 and role.results["cv_cached_date"] == "2026-12-01"
    assert "cv_left_out" not in role.results


def test_auto_leaves_out_a_result_whose_inputs_changed(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "cross_validate", _never_run)
    config = harness.ROOT / "bench" / "peer_config.yml"
    cache = tmp_path / "cv_cache.json"
    cache.write_text(json.dumps({"peer": {"fingerprint": "an older data set", "cv_accuracy": 0.5}}))
    role = bench.Role("peer", config)
    bench.measure_cv(role, config, 5, tmp_path, "auto", cache)
    assert role.results == {"cv_left_out": True}

    info = {**bench.machine(), "load_start": "0 0 0", "load_end": "0 0 0"}
    report = bench.render(bench.Role("ours", config), role, bench.SMOKE, info,
                          datetime.now(timezone.utc), 1.0, smoke=False)
    assert "Left out in this run" in report
    assert "| CV accuracy (training data) | ≥ peer | – | – |" in report

