"""A fake Telegram Bot API server on loopback that records every call.

It runs an aiohttp server in a thread of its own, so synchronous tests can post
updates to the Rasa webhook and then look at what the bot sent. It answers like
the real Bot API for the methods the connector uses (getMe, setWebhook,
setMyCommands, deleteWebhook, getWebhookInfo, sendMessage, answerCallbackQuery)
and checks what the real one checks there: the token, a text of 1..4096
characters, callback data of 1..64 bytes, the secret token's characters.

    fake = FakeBotAPI(token="123:ABC", username="KonselorBot").start()
    ... TELEGRAM_API_BASE=fake.base_url ...
    fake.sent(chat_id=42)   # the sendMessage calls to chat 42
    fake.stop()

`python -m tests.fake_telegram --port 8081` runs one by hand.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from typing import Any, Dict, List, Optional

from aiohttp import web

SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeBotAPI:
    def __init__(self, token: str, username: str = "KonselorBot", port: int = 0, echo: bool = False) -> None:
        self.echo = echo  # print every call (when run by hand)
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self.port = port
        self._calls: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1000)
        self._failures: Dict[str, List[tuple]] = {}
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread: Optional[threading.Thread] = None
        self._ready = threading.Event()
        self._error: Optional[BaseException] = None

    # ------------------------------------------------------------ control

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def bot_user(self) -> Dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Konselor", "username": self.username}

    def start(self) -> "FakeBotAPI":
        self._thread = threading.Thread(target=self._run, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not self._ready.wait(10) or self._error:
            raise RuntimeError(f"fake Bot API did not start: {self._error!r}")
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            future.result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as error:  # reported by start()
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    # ------------------------------------------------------------ records

    def calls(self, method: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every call so far as {"method", "params", "response"}, oldest first."""
        with self._lock:
            return [dict(c) for c in self._calls if method is None or c["method"] == method]

    def sent(self, chat_id: Optional[int] = None) -> List[Dict[str, Any]]:
        """The params of successful sendMessage calls (to one chat if given)."""
        return [
            c["params"] for c in self.calls("sendMessage")
            if c["response"].get("ok") and (chat_id is None or c["params"].get("chat_id") == chat_id)
        ]

    def sent_messages(self, chat_id: Optional[int] = None) -> List[Dict[str, Any]]:
        """The Message objects the fake returned for sendMessage (what a client would see)."""
        return [
            c["response"]["result"] for c in self.calls("sendMessage")
            if c["response"].get("ok")
            and (chat_id is None or c["params"].get("chat_id") == chat_id)
        ]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def fail_next(self, method: str, status: int = 502, times: int = 1, description: str = "",
                  retry_after: Optional[int] = None) -> None:
        """The next `times` calls of `method` get an error answer with this HTTP status
        (429 with `parameters.retry_after` when given, as Telegram sends it)."""
        with self._lock:
            self._failures.setdefault(method, []).extend([(status, description, retry_after)] * times)

    def wait_for(self, method: str, timeout: float = 30) -> List[Dict[str, Any]]:
        """Waits until `method` has been called at least once (for background calls)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(method)
            if found:
                return found
            time.sleep(0.1)
        return []

    # ------------------------------------------------------------ the API

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: Dict[str, Any] = dict(request.query)
        if request.can_read_body and request.content_type == "multipart/form-data":
            params.update(dict(await request.post()))  # sendPhoto: fields and the file
        elif request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json":
                try:
                    params.update(json.loads(raw or b"{}"))
                except ValueError:
                    return self._record(method, params, 400, "Bad Request: invalid JSON")
            else:
                params.update(dict(await request.post()))
        if request.match_info["token"] != self.token:
            return self._record(method, params, 401, "Unauthorized")
        with self._lock:
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
        if failure:
            status, description, retry_after = failure
            return self._record(method, params, status, description or f"Error {status} (injected)",
                                retry_after=retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._record(method, params, 404, "Not Found: method not found")
        status, result_or_error = handler(params)
        if status != 200:
            return self._record(method, params, status, result_or_error)
        return self._record(method, params, 200, result=result_or_error)

    def _record(self, method, params, status, description=None, result=None,
                retry_after=None) -> web.Response:
        if status == 200:
            body = {"ok": True, "result": result}
        else:
            body = {"ok": False, "error_code": status, "description": description}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
        with self._lock:
            self._calls.append({"method": method, "params": params, "response": body, "at": time.time()})
        if self.echo:
            print(f"{method} -> {status}: {json.dumps(params, ensure_ascii=False)}", flush=True)
        return web.json_response(body, status=status)

    def _api_getMe(self, params):
        return 200, {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False}

    def _api_setWebhook(self, params):
        if not params.get("url"):
            return 400, "Bad Request: bad webhook: URL must be provided"
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN_PATTERN.fullmatch(str(secret)):
            return 400, "Bad Request: secret token contains unallowed characters"
        return 200, True

    def _api_deleteWebhook(self, params):
        return 200, True

    def _api_getWebhookInfo(self, params):
        hooks = [c["params"] for c in self.calls("setWebhook") if c["response"].get("ok")]
        url = hooks[-1]["url"] if hooks else ""
        return 200, {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    def _api_setMyCommands(self, params):
        return 200, True

    def _api_answerCallbackQuery(self, params):
        if not params.get("callback_query_id"):
            return 400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
        return 200, True

    def _api_sendMessage(self, params):
        try:
            chat_id = int(params.get("chat_id"))
        except (TypeError, ValueError):
            return 400, "Bad Request: chat not found"
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return 400, "Bad Request: message text is empty"
        if utf16_length(text) > 4096:
            return 400, "Bad Request: message is too long"
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    return 400, "Bad Request: BUTTON_DATA_INVALID"
        message = {
            "message_id": next(self._message_ids),
            "from": self.bot_user,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "date": int(time.time()),
            "text": text,
        }
        if params.get("reply_to_message_id") is not None:
            message["reply_to_message"] = {"message_id": params["reply_to_message_id"]}
        if markup:
            message["reply_markup"] = markup
        return 200, message


    def _api_sendChatAction(self, params):
        return 200, True

    def _api_sendPhoto(self, params):
        photo = params.get("photo")
        if not params.get("chat_id") or photo is None:
            return 400, "Bad Request: there is no photo in the request"
        content = photo.file.read() if hasattr(photo, "file") else b""
        if not content.startswith(b"\x89PNG"):
            return 400, "Bad Request: IMAGE_PROCESS_FAILED"
        params["photo"] = {"filename": getattr(photo, "filename", ""), "bytes": len(content)}
        return 200, {"message_id": next(self._message_ids), "from": self.bot_user,
                     "chat": {"id": int(params["chat_id"])}, "date": int(time.time()),
                     "photo": [{"file_id": "fake-photo", "width": 768, "height": 600}]}

    def _api_editMessageText(self, params):
        if not params.get("message_id") or not params.get("chat_id"):
            return 400, "Bad Request: message to edit not found"
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return 400, "Bad Request: message text is empty"
        return 200, {"message_id": int(params["message_id"]), "from": self.bot_user,
                     "chat": {"id": int(params["chat_id"])}, "date": int(time.time()), "text": text}

    def _api_editMessageReplyMarkup(self, params):
        if not params.get("message_id") or not params.get("chat_id"):
            return 400, "Bad Request: message to edit not found"
        return 200, {"message_id": int(params["message_id"]), "from": self.bot_user,
                     "chat": {"id": int(params["chat_id"])}, "date": int(time.time()),
                     "reply_markup": params.get("reply_markup")}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:FAKE-TOKEN")
    parser.add_argument("--username", default="KonselorBot")
    args = parser.parse_args()
    fake = FakeBotAPI(args.token, args.username, args.port, echo=True).start()
    print(f"fake Bot API on {fake.base_url} (token {args.token}); Ctrl-C stops it", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
