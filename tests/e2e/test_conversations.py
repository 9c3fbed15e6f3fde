"""Runs the conversation tests (tests/test_conversations_*.yml) with `rasa test`."""
import subprocess
import sys

from tests import harness


def test_conversation_stories_pass(trained_model, tmp_path):
    result = subprocess.run(
        [
            str(harness.VENV_BIN / "rasa"), "test", "core",
            "--stories", str(harness.ROOT / "tests"),
            "--model", str(trained_model),
            "--fail-on-prediction-errors",
            "--out", str(tmp_path),
        ],
        cwd=harness.ROOT, env=harness.ENV, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed
    stories = list(harness.ROOT.glob("tests/test_conversations_*.yml"))
    assert len(stories) >= 2
