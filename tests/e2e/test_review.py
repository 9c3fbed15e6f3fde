"""`make review` on a real SQLite store filled through the REST channel."""
import subprocess
import time

import pytest
import yaml

from tests import harness

TOKEN = "review-test-token"
CRISIS_TEXT = "zebrakrisis aku pengen mati aja"
UNSURE_TEXT = harness.UNSURE_TEXT


@pytest.fixture(scope="module")
def store(bot):
    log_dir = harness.temp_log_dir()
    data_dir = log_dir / "data"
    rasa = harness.stored_rasa_server(log_dir, bot.actions.url, TOKEN, {"BOT_DATA_DIR": data_dir},
                                      name="rasa-review")
    rasa.start(timeout=600)
    sent = 0
    try:
        finished = harness.Chat(rasa.url, TOKEN)
        for text in ["halo", "tes", "5", "4", "5", "4", "5", "4", "5", "4"]:
            finished.say(text)
            sent += 1
        assert finished.slot("verdict") == "good_fit"
        stopped = harness.Chat(rasa.url, TOKEN)
        for text in ["aku cocok gak ya jadi konselor", "5", "4", "berhenti"]:
            stopped.say(text)
            sent += 1
        unsure = harness.Chat(rasa.url, TOKEN)
        assert "Maksudmu" in unsure.say(UNSURE_TEXT)
        assert "salah tebak" in unsure.say("/deny")
        sent += 2
        crisis = harness.Chat(rasa.url, TOKEN)
        assert "129" in crisis.say(CRISIS_TEXT)
        crisis.say("tugas konselor apa aja")
        sent += 2
    finally:
        rasa.stop()
    return data_dir, sent


def run_review(data_dir, *args):
    result = subprocess.run(["make", "-s", "review", f"REVIEW_ARGS={' '.join(args)}"],
                            cwd=harness.ROOT, env={**harness.ENV, "BOT_DATA_DIR": str(data_dir)},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    out = harness.ROOT / "var" / "review"
    return result.stdout, (out / "index.html").read_text(), (out / "to_label.yml").read_text()


def test_review_counts_funnel_and_unsure_messages(store):
    data_dir, sent = store
    started = time.monotonic()
    summary, page, to_label = run_review(data_dir)
    assert f"Conversations: 4, user messages: {sent}" in summary
    assert "Interview: 2 started, 1 reached a verdict (good_fit 1)" in summary
    assert "crisis: 1 messages" in summary
    assert "two-stage fallback rejected: 100.0% of 1 clarifications" in summary
    # funnel: both reached statements 1-3, one stopped there, one went on
    assert "<tr><td>Pertanyaan 1 (empathy)</td><td>2</td><td>0</td></tr>" in page
    assert "<tr><td>Pertanyaan 3 (support)</td><td>2</td><td>1</td></tr>" in page
    assert "<tr><td>Pertanyaan 8 (individual_focus)</td><td>1</td><td>0</td></tr>" in page
    labelled = yaml.safe_load(to_label)["nlu"]
    texts = {example["text"]: block["intent"] for block in labelled for example in block["examples"]}
    assert UNSURE_TEXT in texts and texts[UNSURE_TEXT] != "nlu_fallback"
    assert "# confidence 0." in to_label
    for output in (summary, page, to_label):
        assert "zebrakrisis" not in output and "pengen mati" not in output
    assert "http://" not in page and "https://" not in page  # offline: no external request
    harness.METRICS.append(f"review: {sent} messages reviewed in {time.monotonic() - started:.1f} s")


def test_review_filters_by_channel_and_date(store):
    data_dir, _ = store
    summary, _, _ = run_review(data_dir, "--channel", "rest")
    assert "Conversations: 4" in summary
    summary, _, _ = run_review(data_dir, "--channel", "telegram")
    assert "Conversations: 0, user messages: 0" in summary
    summary, _, _ = run_review(data_dir, "--since", "2999-01-01")
    assert "Conversations: 0" in summary


def test_the_report_opens_in_a_browser_with_its_charts(store):
    from tests.e2e.test_web import make_driver, screenshot
    data_dir, _ = store
    run_review(data_dir)
    driver = make_driver(1100, 1400)
    try:
        driver.get((harness.ROOT / "var" / "review" / "index.html").as_uri())
        loaded = driver.execute_script(
            "return Array.from(document.querySelectorAll('img.chart'))"
            ".map(i => i.complete && i.naturalWidth > 0);")
        assert len(loaded) >= 4 and all(loaded)
        screenshot(driver, "review")
    finally:
        driver.quit()
