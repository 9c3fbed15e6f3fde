"""The web chat page in a real headless Chromium, against the real servers.

One stack for the module: the action server, `rasa run` with the socket.io
channel of credentials.yml (channels/socketio.py) and the page server
(scripts/serve_web.py), each on a free loopback port. Chromium resolves no
host but 127.0.0.1, so the page has to work with no internet.
Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import asyncio
import functools
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from channels import socketio as channel
from tests import harness

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = harness.ROOT / "artifacts" / "screenshots"
AUTH_TOKEN = "web-test-token"
WAIT = 90  # seconds; a busy 2-core machine can be slow, and nothing here measures time
XSS = "<img src=x onerror=alert(1)>"
LATENCIES_MS: list = []

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    raise RuntimeError(f"Chromium is missing: {harness.SYSTEM_DEPS_HINT}")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Stack:
    def __init__(self, page: harness.Server, rasa: harness.Server, actions: harness.Server,
                 other_site_port: int, database: Path):
        self.page, self.rasa, self.actions = page, rasa, actions
        self.other_site_port = other_site_port  # an allowed origin that embeds the widget
        self.database = database  # the SQLite tracker store

    def stored_rows(self, sender: str) -> list:
        import sqlite3
        with sqlite3.connect(self.database) as connection:
            return connection.execute("SELECT intent_name, data FROM events WHERE sender_id = ?",
                                      (sender,)).fetchall()

    @property
    def origin(self) -> str:
        return self.page.url

    def tracker(self, session_id: str) -> dict:
        status, tracker = harness.http(
            "GET", f"{self.rasa.url}/conversations/{session_id}/tracker?token={AUTH_TOKEN}"
        )
        assert status == 200, (status, tracker)
        return tracker


@pytest.fixture(scope="module")
def stack(request):
    if not harness.MODEL.exists():  # `make test` has trained already
        request.getfixturevalue("trained_model")
    log_dir = harness.temp_log_dir()
    page_port, other_site_port = harness.free_port(), harness.free_port()
    origins = [f"http://127.0.0.1:{page_port}", f"http://127.0.0.1:{other_site_port}"]
    actions = harness.action_server(log_dir).start()
    try:
        # The project's stores (SQLite here), so the erase test reads the rows.
        rasa = harness.rasa_server(
            log_dir, actions.url, AUTH_TOKEN, name="rasa-web", extra_args=("--cors", *origins),
            extra_endpoints=harness.STORE_ENDPOINTS,
            env={**harness.ENV, "WEB_ALLOWED_ORIGINS": ",".join(origins),
                 "BOT_DATA_DIR": str(log_dir / "data")},
        ).start()
        try:
            page = harness.Server(
                "web-page",
                [sys.executable, str(harness.ROOT / "scripts" / "serve_web.py"), "--quiet",
                 "--host", "127.0.0.1", "--port", str(page_port), "--rasa-url", rasa.url],
                page_port, "/config.json", log_dir,
            ).start()
            try:
                yield Stack(page, rasa, actions, other_site_port, log_dir / "data" / "tracker.db")
            finally:
                page.stop()
        finally:
            rasa.stop()
    finally:
        actions.stop()
        if LATENCIES_MS:
            harness.METRICS.append(
                f"web chat (headless Chromium): median send-to-reply "
                f"{statistics.median(LATENCIES_MS):.0f} ms over {len(LATENCIES_MS)} messages "
                f"(max {max(LATENCIES_MS):.0f} ms)"
            )


def make_driver(width: int = 1280, height: int = 900, phone: bool = False):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--window-size={width},{height}",
        # No internet: every host name but the loopback address fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(arg)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.profile_dir = profile
    if phone:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 2, "mobile": True,
        })
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
    return driver


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    collect_latencies(driver)
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)


@pytest.fixture
def phone():
    driver = make_driver(390, 844, phone=True)
    yield driver
    collect_latencies(driver)
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)


def collect_latencies(driver) -> None:
    try:
        values = driver.execute_script(
            "return (window.KonselorChat && window.KonselorChat.stats) ? "
            "window.KonselorChat.stats.latencies : [];"
        )
        LATENCIES_MS.extend(float(v) for v in values or [])
    except Exception:  # a failed test may have left the page unusable
        pass


def screenshot(driver, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"web-{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait(driver, condition, what: str):
    return WebDriverWait(driver, WAIT, poll_frequency=0.2).until(
        lambda d: condition(d), message=f"waiting for {what}"
    )


def bubbles(driver, who: str) -> list:
    # Read in one script call: the page may replace bubbles meanwhile (after an erase).
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText);",
        f".kc-{who} .kc-bubble")


def bot_text(driver) -> str:
    return "\n".join(bubbles(driver, "bot"))


def open_page(driver, stack: Stack) -> None:
    driver.get(stack.origin + "/")
    wait(driver, lambda d: any("Halo!" in b for b in bubbles(d, "bot")), "the greeting")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".kc-widget").get_attribute("data-state") == "online",
         "the online status")


def watch_typing(driver) -> None:
    """Records in window.__typingSeen whether the typing indicator was ever shown."""
    driver.execute_script("""
        window.__typingSeen = false;
        var node = document.querySelector('.kc-typing');
        new MutationObserver(function () { if (!node.hidden) window.__typingSeen = true; })
            .observe(node, {attributes: true, attributeFilter: ['hidden']});
    """)


def send_and_wait(driver, text: str) -> str:
    """Types text, presses Enter, waits for a new bot bubble; returns the new bot text."""
    before = len(bubbles(driver, "bot"))
    field = driver.find_element(By.CSS_SELECTOR, ".kc-input")
    field.send_keys(text + "\n")
    wait(driver, lambda d: len(bubbles(d, "bot")) > before, f"a reply to {text!r}")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".kc-typing").get_attribute("hidden") is not None,
         "the typing indicator to go")
    return "\n".join(bubbles(driver, "bot")[before:])


def quick_replies(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, ".kc-quick .kc-quick-reply")


def click_reply(driver, title: str, expect: str) -> str:
    """Clicks the quick reply `title`, waits for a bot bubble containing `expect`."""
    before = len(bubbles(driver, "bot"))
    matches = [b for b in quick_replies(driver) if b.text == title]
    assert matches, (title, [b.text for b in quick_replies(driver)])
    matches[-1].click()

    def arrived(d):
        new = bubbles(d, "bot")[before:]
        return any(expect in text for text in new)

    wait(driver, arrived, f"{expect!r} after clicking {title!r}")
    return "\n".join(bubbles(driver, "bot")[before:])


def assert_no_alert(driver) -> None:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"a script from a message ran: alert({text!r})")


def session_id(driver) -> str:
    value = driver.execute_script("return window.KonselorChat.widget.sessionId;")
    assert re.fullmatch(r"[0-9a-f]{32}", value or ""), value
    return value


# --- in the browser -------------------------------------------------------------------------

def test_greeting_colloquial_question_button_and_typing_indicator(browser, stack):
    open_page(browser, stack)
    titles = [b.text for b in quick_replies(browser)]
    assert len(titles) >= 3 and "Tes kecocokan" in titles and "Siapa yang cocok?" in titles
    # The greeting is asked for with a hidden "/greet": no user bubble for it.
    assert bubbles(browser, "user") == []
    assert browser.find_element(By.CSS_SELECTOR, ".kc-status").text == "Siap membantu"
    screenshot(browser, "desktop-greeting")

    watch_typing(browser)
    reply = send_and_wait(browser, "tgs nya ngapain aja sih?")
    assert "konseling" in reply
    assert browser.execute_script("return window.__typingSeen;") is True
    assert bubbles(browser, "user") == ["tgs nya ngapain aja sih?"]

    reply = click_reply(browser, "Siapa yang cocok?", "empati")
    assert "Profil yang cocok" in reply
    # The clicked button's title is the user's bubble, not its payload.
    assert bubbles(browser, "user")[-1] == "Siapa yang cocok?"
    assert "/ask_fit" not in browser.find_element(By.CSS_SELECTOR, ".kc-log").text
    # Older quick replies are gone; only the newest message's are offered.
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kc-quick")) == 1
    assert "Tes kecocokan" in [b.text for b in quick_replies(browser)]
    screenshot(browser, "desktop-topics")

    # Everything the page loaded came from the page server or Rasa (loopback).
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });")
    allowed = (stack.page.url + "/", stack.rasa.url + "/")
    assert resources and all(url.startswith(allowed) for url in resources), resources
    assert any(url.endswith("/vendor/socket.io.min.js") for url in resources)


def test_html_in_messages_is_shown_as_text(browser, stack):
    open_page(browser, stack)
    send_and_wait(browser, XSS)
    assert bubbles(browser, "user")[-1] == XSS
    assert_no_alert(browser)

    # A bot message with HTML, pushed by the server through the socket.io output channel.
    sid = session_id(browser)
    before = len(bubbles(browser, "bot"))
    evil_bot_text = XSS + " <b>tebal?</b> <script>alert(2)</script>"
    status, body = harness.http(
        "POST",
        f"{stack.rasa.url}/conversations/{sid}/tracker/events"
        f"?token={AUTH_TOKEN}&output_channel=socketio&execute_side_effects=true",
        {"event": "bot", "text": evil_bot_text},
    )
    assert status == 200, (status, body)
    wait(browser, lambda d: len(bubbles(d, "bot")) > before, "the pushed bot message")
    assert bubbles(browser, "bot")[-1] == evil_bot_text
    assert browser.find_elements(By.CSS_SELECTOR, ".kc-log img, .kc-log b, .kc-log script") == []
    assert_no_alert(browser)
    screenshot(browser, "desktop-html-as-text")

    # After a reload the same texts come back from the tracker, still as text.
    collect_latencies(browser)
    browser.refresh()
    wait(browser, lambda d: evil_bot_text in bubbles(d, "bot"), "the history after reload")
    assert XSS in bubbles(browser, "user")
    assert browser.find_elements(By.CSS_SELECTOR, ".kc-log img, .kc-log b, .kc-log script") == []
    assert_no_alert(browser)


def test_a_message_at_the_length_limit_is_announced_not_cut_silently(browser, stack):
    open_page(browser, stack)
    notice = browser.find_element(By.CSS_SELECTOR, ".kc-limit")
    assert not notice.is_displayed()
    field = browser.find_element(By.CSS_SELECTOR, ".kc-input")
    story = "aku mau cerita dulu panjang ya soal sekolahku. " * 50  # 2,350 characters
    field.send_keys(story)
    wait(browser, lambda d: notice.is_displayed(), "the length notice")
    assert "2.000 karakter" in notice.text and "pesan berikutnya" in notice.text
    assert field.get_attribute("aria-describedby") == notice.get_attribute("id")
    screenshot(browser, "desktop-length-limit")

    before = len(bubbles(browser, "bot"))
    field.send_keys("\n")
    wait(browser, lambda d: len(bubbles(d, "bot")) > before, "a reply to the long message")
    assert bubbles(browser, "user")[-1] == story[:2000].strip()
    assert not notice.is_displayed() and field.get_attribute("aria-describedby") is None


ANSWERS = ["5 · Sangat setuju", "4 · Setuju", "5 · Sangat setuju", "4 · Setuju",
           "3 · Netral", "4 · Setuju", "5 · Sangat setuju", "4 · Setuju"]


def test_whole_interview_by_clicking_then_reload_keeps_the_conversation(browser, stack):
    open_page(browser, stack)
    sid = session_id(browser)
    click_reply(browser, "Tes kecocokan", "Pertanyaan 1 dari 8")
    for number, answer in enumerate(ANSWERS[:-1], start=2):
        assert [b.text for b in quick_replies(browser)] == [
            "1 · Sangat tidak setuju", "2 · Tidak setuju", "3 · Netral", "4 · Setuju", "5 · Sangat setuju"]
        click_reply(browser, answer, f"Pertanyaan {number} dari 8")
    click_reply(browser, ANSWERS[-1], "Hasil tes kecocokanmu: COCOK")

    rows = browser.find_elements(By.CSS_SELECTOR, ".kc-chart .kc-bar-row")
    assert len(rows) == 8
    labels = [r.find_element(By.CSS_SELECTOR, ".kc-bar-label").text for r in rows]
    values = [r.find_element(By.CSS_SELECTOR, ".kc-bar-value").text for r in rows]
    assert labels[0] == "Empati" and values == ["5/5", "4/5", "5/5", "4/5", "3/5", "4/5", "5/5", "4/5"]
    widths = [r.find_element(By.CSS_SELECTOR, ".kc-bar-fill").value_of_css_property("width") for r in rows]
    track = rows[0].find_element(By.CSS_SELECTOR, ".kc-bar-track").size["width"]
    assert float(widths[0].rstrip("px")) == pytest.approx(track, abs=1.5)  # 5/5 = full bar
    assert float(widths[4].rstrip("px")) == pytest.approx(track * 0.6, abs=1.5)  # 3/5
    assert browser.find_element(By.CSS_SELECTOR, ".kc-result-title").text.startswith("Hasil tes kecocokanmu: COCOK")
    assert "Ulangi tes" in [b.text for b in quick_replies(browser)]
    # After the last answer the log shows the verdict's headline, not only the last bubble.
    headline_in_view = (
        "var log = document.querySelector('.kc-log').getBoundingClientRect();"
        "var title = document.querySelector('.kc-result-title').getBoundingClientRect();"
        "return title.top >= log.top && title.bottom <= log.bottom;")
    wait(browser, lambda d: d.execute_script(headline_in_view), "the verdict headline in view")
    screenshot(browser, "desktop-verdict-in-view")
    browser.execute_script("document.querySelector('.kc-result').scrollIntoView({block: 'start'});")
    assert browser.execute_script(
        "return document.documentElement.scrollHeight <= window.innerHeight;")  # no page scrollbar
    screenshot(browser, "desktop-verdict")
    assert stack.tracker(sid)["slots"]["verdict"] == "good_fit"

    users_before, bots_before = bubbles(browser, "user"), bubbles(browser, "bot")
    collect_latencies(browser)
    browser.refresh()
    wait(browser, lambda d: len(bubbles(d, "bot")) == len(bots_before), "the history after reload")
    assert session_id(browser) == sid
    assert bubbles(browser, "bot") == bots_before
    assert bubbles(browser, "user") == users_before  # button titles, not "/start_interview" or "4"
    assert users_before[0] == "Tes kecocokan" and users_before[-1] == ANSWERS[-1]
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kc-chart .kc-bar-row")) == 8
    assert "Ulangi tes" in [b.text for b in quick_replies(browser)]
    screenshot(browser, "desktop-after-reload")

    # The same session still answers live after the reload (python-socketio 5.18 room fix).
    reply = send_and_wait(browser, "bedanya sm peksos apa")
    assert "struktural dan sistemik" in reply
    assert stack.tracker(sid)["sender_id"] == sid


def test_help_line_numbers_in_the_crisis_reply_can_be_called_with_one_tap(phone, stack):
    open_page(phone, stack)
    before = len(bubbles(phone, "bot"))
    reply = send_and_wait(phone, "aku capek hidup, pengen ngilang aja selamanya")
    assert "119 ext 8" in reply
    links = [a for bubble in phone.find_elements(By.CSS_SELECTOR, ".kc-bot .kc-bubble")[before:]
             for a in bubble.find_elements(By.CSS_SELECTOR, "a.kc-tel")]
    assert {(a.text, a.get_attribute("href")) for a in links} == {
        ("112", "tel:112"), ("119 ext 8", "tel:119,8"), ("SAPA 129", "tel:129")}
    assert len(links) == 4  # 112 twice: the urgent line and the list
    assert reply == "\n".join(bubbles(phone, "bot")[before:])  # the text reads the same


def test_erase_control_deletes_the_stored_conversation_and_the_page_forgets_it(browser, stack):
    open_page(browser, stack)
    old = session_id(browser)
    send_and_wait(browser, "aku sering dipukul ayahku")
    send_and_wait(browser, "tugas konselor apa aja?")
    before = stack.stored_rows(old)
    assert any(intent == "crisis" for intent, _ in before)

    erase = browser.find_element(By.CSS_SELECTOR, ".kc-erase")
    assert erase.get_attribute("aria-label") == "Hapus percakapan"
    count = len(bubbles(browser, "bot"))
    erase.click()
    wait(browser, lambda d: any("tidak bisa dibatalkan" in b for b in bubbles(d, "bot")[count:]),
         "the erase question")
    assert [b.text for b in quick_replies(browser)] == ["Ya, hapus", "Batal"]
    [yes] = [b for b in quick_replies(browser) if b.text == "Ya, hapus"]
    yes.click()
    wait(browser, lambda d: any("sudah aku hapus" in b for b in bubbles(d, "bot")), "the erase notice")
    wait(browser, lambda d: d.execute_script("return window.KonselorChat.widget.sessionId;") not in (None, old),
         "a new session id")
    new = session_id(browser)
    assert browser.execute_script("return Object.keys(localStorage).map(k => localStorage[k]);").count(old) == 0
    shown = bubbles(browser, "bot") + bubbles(browser, "user")
    assert not any("dipukul" in text for text in shown)  # the erased conversation left the screen
    assert any("sudah aku hapus" in text for text in shown)
    assert stack.stored_rows(old) == []
    assert "Profil yang cocok" in send_and_wait(browser, "siapa yang cocok jadi konselor")
    assert stack.stored_rows(old) == [] and stack.stored_rows(new)
    screenshot(browser, "desktop-erased")
    harness.METRICS.append(f"privacy: erase from the web page, rows {len(before)} -> 0; "
                           "the page continued in a new session")


def test_a_stale_answer_over_socketio_is_recognised_and_a_typed_one_echoed(browser, stack):
    open_page(browser, stack)
    click_reply(browser, "Tes kecocokan", "Pertanyaan 1 dari 8")
    click_reply(browser, "4 · Setuju", "Pertanyaan 2 dari 8")
    before = len(bubbles(browser, "bot"))
    # An old statement's button, sent over the page's own socket as a stale click would be.
    browser.execute_script(
        "window.KonselorChat.widget.send('/answer_scale{\"answer\": \"empathy:1\"}', '1 · Sangat tidak setuju', {});")
    wait(browser, lambda d: any("sudah kamu jawab" in b for b in bubbles(d, "bot")[before:]), "the stale notice")
    assert "✓ 3 · Netral" in send_and_wait(browser, "kadang2")
    assert stack.tracker(session_id(browser))["slots"]["empathy"] == 4


def test_phone_sized_screen(phone, stack):
    open_page(phone, stack)
    # The greeting's buttons may come a moment after its text on a busy machine.
    wait(phone, lambda d: quick_replies(d), "the greeting's buttons")
    metrics = phone.execute_script("""
        var panel = document.querySelector('.kc-panel').getBoundingClientRect();
        var input = document.querySelector('.kc-input').getBoundingClientRect();
        var send = document.querySelector('.kc-send').getBoundingClientRect();
        var buttons = Array.prototype.map.call(document.querySelectorAll('.kc-quick-reply'),
            function (b) { return b.getBoundingClientRect().right; });
        return {vw: window.innerWidth, vh: window.innerHeight,
                scroll: document.documentElement.scrollWidth,
                panel: [panel.left, panel.right, panel.top, panel.bottom],
                input: [input.left, input.width, input.bottom], send: [send.right, send.bottom],
                buttonsRight: Math.max.apply(null, buttons),
                intro: getComputedStyle(document.querySelector('.intro')).display};
    """)
    assert metrics["vw"] == 390
    assert metrics["scroll"] <= metrics["vw"]  # nothing sticks out sideways
    assert metrics["panel"][0] == 0 and metrics["panel"][1] == metrics["vw"]
    assert metrics["input"][1] >= 200  # a usable text field
    assert metrics["send"][0] <= metrics["vw"] and metrics["send"][1] <= metrics["vh"]
    assert metrics["input"][2] <= metrics["vh"]
    assert metrics["buttonsRight"] <= metrics["vw"]
    assert metrics["intro"] == "none"
    screenshot(phone, "phone-greeting")

    click_reply(phone, "Tes kecocokan", "Pertanyaan 1 dari 8")
    assert phone.execute_script("return document.documentElement.scrollWidth;") <= 390
    screenshot(phone, "phone-interview")
    for number, answer in enumerate(ANSWERS[:-1], start=2):
        click_reply(phone, answer, f"Pertanyaan {number} dari 8")
    click_reply(phone, ANSWERS[-1], "Hasil tes kecocokanmu")
    assert len(phone.find_elements(By.CSS_SELECTOR, ".kc-chart .kc-bar-row")) == 8
    assert phone.execute_script("return document.documentElement.scrollWidth;") <= 390
    phone.execute_script("document.querySelector('.kc-result').scrollIntoView({block: 'start'});")
    screenshot(phone, "phone-verdict")

    # "Mulai percakapan baru" (↺) starts a new session with a new greeting.
    old = session_id(phone)
    phone.execute_script("window.confirm = function () { return true; };")
    phone.find_element(By.CSS_SELECTOR, ".kc-restart").click()
    wait(phone, lambda d: d.execute_script("return window.KonselorChat.widget.sessionId;") != old,
         "a new session")
    wait(phone, lambda d: any("Halo!" in b for b in bubbles(d, "bot")), "the new greeting")
    assert bubbles(phone, "user") == []


def test_widget_embedded_in_another_site(browser, stack, tmp_path):
    """Another site embeds the widget with one script tag (README): floating launcher."""
    (tmp_path / "index.html").write_text(f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Situs komunitas</title></head>
<body><h1>Situs komunitas</h1><p>Halaman lain yang memasang widget chat.</p>
<script src="{stack.page.url}/widget.js" data-server-url="{stack.rasa.url}" defer></script>
</body></html>""", encoding="utf-8")
    handler = functools.partial(_QuietFiles, directory=str(tmp_path))
    site = ThreadingHTTPServer(("127.0.0.1", stack.other_site_port), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{stack.other_site_port}/")
        launcher = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".kc-launcher"), "the launcher")[0]
        assert not browser.find_element(By.CSS_SELECTOR, ".kc-panel").is_displayed()
        screenshot(browser, "embedded-closed")
        launcher.click()
        assert browser.find_element(By.CSS_SELECTOR, ".kc-panel").is_displayed()
        wait(browser, lambda d: any("Halo!" in b for b in bubbles(d, "bot")), "the greeting")
        assert "empati" in send_and_wait(browser, "siapa yg cocok jadi konselor?")
        screenshot(browser, "embedded-open")
        collect_latencies(browser)
        browser.refresh()
        # Still open after the reload, with the conversation.
        wait(browser, lambda d: "siapa yg cocok jadi konselor?" in bubbles(d, "user"), "the history")
        assert browser.find_element(By.CSS_SELECTOR, ".kc-panel").is_displayed()
        browser.find_element(By.CSS_SELECTOR, ".kc-close").click()
        assert not browser.find_element(By.CSS_SELECTOR, ".kc-panel").is_displayed()
    finally:
        site.shutdown()
        site.server_close()


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# --- the page server and its assets ---------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "data-server-url") and value:
                self.urls.append(value)


def test_page_and_widget_assets_are_served_from_the_project(stack):
    status, html = harness.http("GET", stack.page.url + "/")
    assert status == 200 and "widget.js" in html
    links = _Links()
    links.feed(html)
    assert links.urls, "the page links its assets"
    for url in links.urls:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.I), f"external URL in the page: {url}"
        status, _ = harness.http("GET", f"{stack.page.url}/{url}")
        assert status == 200, url
    for asset in ("widget.js", "widget.css", "page.css", "vendor/socket.io.min.js"):
        status, body = harness.http("GET", f"{stack.page.url}/{asset}")
        assert status == 200, asset
        if asset.endswith(".css"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", body), asset
    status, config = harness.http("GET", stack.page.url + "/config.json")
    assert status == 200 and config == {"serverUrl": stack.rasa.url}
    # The widget build is the npm package recorded in web/package-lock.json.
    lock = (harness.ROOT / "web" / "package-lock.json").read_text()
    version = re.search(r'"node_modules/socket.io-client":\s*{\s*"version":\s*"([^"]+)"', lock).group(1)
    assert f"Socket.IO v{version}\n" in (harness.ROOT / "web" / "vendor" / "socket.io.min.js").read_text()[:200]


def test_page_server_answers_bad_requests_with_4xx(stack):
    for path in ("/package.json", "/package-lock.json", "/node_modules/socket.io-client/package.json",
                 "/../Makefile", "/%2e%2e/Makefile", "/nope.html", "/.git/config"):
        status, _ = harness.http("GET", stack.page.url + path)
        assert status == 404, path
    for method in ("POST", "PUT", "DELETE", "PATCH", "FOO"):
        status, _ = harness.http(method, stack.page.url + "/", body=b"x")
        assert status == 405, method
    request = urllib.request.Request(stack.page.url + "/")
    with urllib.request.urlopen(request, timeout=10) as response:
        csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and stack.rasa.url in csp


# --- the socket.io channel ------------------------------------------------------------------

def _polling_handshake(url: str, origin: str):
    request = urllib.request.Request(
        f"{url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_all("Access-Control-Allow-Origin") or []
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("Access-Control-Allow-Origin") or []


def test_socket_accepts_only_the_configured_origins(stack):
    status, allow = _polling_handshake(stack.rasa.url, stack.origin)
    assert status == 200
    assert allow == [stack.origin]  # exactly one header, even with `rasa run --cors`
    for origin in ("http://evil.example", "http://localhost:8080", "null"):
        status, allow = _polling_handshake(stack.rasa.url, origin)
        assert status == 400 and allow == [], origin


async def _close(sio) -> None:
    """Drops the connection without waiting for the long-poll request to end."""
    await sio.eio.disconnect(abort=True)


async def _socket_conversation(url: str, origin: str) -> dict:
    import socketio as socketio_client

    result: dict = {"bot": [], "history": None}
    confirmed, history = asyncio.Event(), asyncio.Event()

    def client():
        sio = socketio_client.AsyncClient(reconnection=False)

        @sio.on("session_confirm")
        async def on_confirm(session_id):
            result["session_id"] = session_id
            confirmed.set()

        @sio.on("bot_uttered")
        async def on_bot(message):
            result["bot"].append(message)

        @sio.on("session_history")
        async def on_history(data):
            result["history"] = data
            history.set()

        return sio

    async def until(predicate, seconds=WAIT):
        for _ in range(int(seconds / 0.1)):
            if predicate():
                return
            await asyncio.sleep(0.1)
        raise AssertionError("timed out")

    first = client()
    await first.connect(url, transports=["polling"], headers={"Origin": origin})
    # Malformed events and a message before session_request are ignored, not fatal.
    # `call` waits for the server's acknowledgement, so each one has been handled.
    for bad in (None, "text", 42, ["list"], {"message": 5}, {"message": "halo"}):
        await first.call("user_uttered", bad, timeout=WAIT)
    await first.emit("session_request", "not a dict")
    await asyncio.wait_for(confirmed.wait(), WAIT)
    assert result["bot"] == []
    result["first_id"] = result["session_id"]
    await _close(first)

    # A new socket asks for a session id the server never made: it gets a fresh one.
    confirmed.clear()
    second = client()
    await second.connect(url, transports=["polling"], headers={"Origin": origin})
    await second.emit("session_request", {"session_id": "../../etc", "history": True})
    await asyncio.wait_for(history.wait(), WAIT)
    session_id = result["session_id"]
    assert channel.valid_session_id(session_id) and session_id != result["first_id"]
    assert result["history"] == {"session_id": session_id, "messages": []}
    await second.emit("user_uttered", {"message": "tgs nya ngapain aja sih?", "metadata": "{bad json"})
    await until(lambda: any("konseling" in m.get("text", "") for m in result["bot"]))
    await _close(second)

    # Reconnecting with the session id: replies reach the new socket (the room fix),
    # and the history holds the earlier turn.
    result["bot"].clear()
    history.clear()
    third = client()
    await third.connect(url, transports=["polling"], headers={"Origin": origin})
    await third.emit("session_request", {"session_id": session_id, "history": True})
    await asyncio.wait_for(history.wait(), WAIT)
    result["resumed_history"] = result["history"]["messages"]
    await third.emit("user_uttered", {"message": "/greet", "session_id": "someone-else"})
    await until(lambda: any("Halo!" in m.get("text", "") for m in result["bot"]))
    await _close(third)
    result["session_id"] = session_id
    return result


def test_socket_session_persistence_history_and_bad_events(stack):
    result = harness.run_async(_socket_conversation(stack.rasa.url, stack.origin))
    history = result["resumed_history"]
    assert history[0] == {"sender": "user", "text": "tgs nya ngapain aja sih?"}
    assert history[1]["sender"] == "bot" and "konseling" in history[1]["text"]
    assert "/start_interview" in [q["payload"] for q in history[-1]["quick_replies"]]
    # The message naming another session went to the socket's own session.
    events = stack.tracker(result["session_id"])["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["tgs nya ngapain aja sih?", "/greet"]
    status, tracker = harness.http(
        "GET", f"{stack.rasa.url}/conversations/someone-else/tracker?token={AUTH_TOKEN}")
    assert status == 200 and [e for e in tracker["events"] if e["event"] == "user"] == []
    # A REST conversation is not handed out as socket.io history.
    rest_id = "f" * 32
    harness.Chat(stack.rasa.url, AUTH_TOKEN, rest_id).say("halo")

    async def ask_history():
        import socketio as socketio_client
        got = asyncio.Event()
        data = {}
        sio = socketio_client.AsyncClient(reconnection=False)

        @sio.on("session_history")
        async def on_history(payload):
            data.update(payload)
            got.set()

        await sio.connect(stack.rasa.url, transports=["polling"], headers={"Origin": stack.origin})
        await sio.emit("session_request", {"session_id": rest_id, "history": True})
        await asyncio.wait_for(got.wait(), WAIT)
        await _close(sio)
        return data

    assert harness.run_async(ask_history()) == {"session_id": rest_id, "messages": []}


# --- the channel's pure helpers -------------------------------------------------------------

def test_allowed_origins_from_the_environment():
    assert channel.allowed_origins({}) == ["http://localhost:8080", "http://127.0.0.1:8080"]
    assert channel.allowed_origins({"WEB_PORT": "9000"}) == ["http://localhost:9000", "http://127.0.0.1:9000"]
    assert channel.allowed_origins({"WEB_ALLOWED_ORIGINS": "https://a.example/, https://b.example  http://c:1"}) == [
        "https://a.example", "https://b.example", "http://c:1"]
    assert channel.allowed_origins({"WEB_ALLOWED_ORIGINS": "*"}) == []
    assert channel.allowed_origins({"WEB_ALLOWED_ORIGINS": "*, https://a.example"}) == ["https://a.example"]


def test_history_messages_mirror_the_live_channel():
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    events = [
        ActionExecuted("action_listen"),
        UserUttered("/greet", metadata={"hidden": True}),
        BotUttered("Halo!\n\nMau tes?", {"buttons": [{"title": "Tes kecocokan", "payload": "/start_interview"}]}),
        UserUttered("/start_interview", metadata={"display": "Tes kecocokan"}),
        SlotSet("empathy", 4),
        UserUttered(XSS),
        BotUttered(None, {"buttons": [{"title": "Ya", "payload": "/yes"}]}),
    ]
    assert channel.history_messages(events) == [
        {"sender": "bot", "text": "Halo!"},
        {"sender": "bot", "text": "Mau tes?", "quick_replies": [
            {"content_type": "text", "title": "Tes kecocokan", "payload": "/start_interview"}]},
        {"sender": "user", "text": "Tes kecocokan"},
        {"sender": "user", "text": XSS},
        {"sender": "bot", "text": "", "quick_replies": [{"content_type": "text", "title": "Ya", "payload": "/yes"}]},
    ]
    assert channel.valid_session_id("0123456789abcdef0123456789abcdef")
    for bad in (None, 5, "", "../x", "0123456789ABCDEF0123456789ABCDEF", "a" * 33):
        assert not channel.valid_session_id(bad)
