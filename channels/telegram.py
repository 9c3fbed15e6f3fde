"""The project's own Telegram input channel for Rasa 3.6.

Rasa's stock connector (rasa.core.channels.telegram) cannot be used here: it
fails to start without network, breaks on every update with a closed event
loop, crashes on channel posts, shares one conversation among all members of a
group and checks no secret. This one talks to the Bot API directly with aiohttp.

Registered in credentials.yml as ``channels.telegram.TelegramInput``, so the
webhook is ``POST /webhooks/telegram/webhook``. Configured only from the
environment (never from the repository):

- ``TELEGRAM_TOKEN``         the bot token from BotFather; unset = channel off
                             (the webhook answers 503, the server runs normally)
- ``TELEGRAM_BOT_NAME``      the bot's username, with or without "@"; asked of
                             the Bot API (getMe) when unset
- ``TELEGRAM_WEBHOOK_URL``   public HTTPS URL of the webhook; when set, the
                             webhook is registered (setWebhook) after start
- ``TELEGRAM_SECRET_TOKEN``  value Telegram sends in the
                             ``X-Telegram-Bot-Api-Secret-Token`` header;
                             derived from the token when unset
- ``TELEGRAM_API_BASE``      Bot API server, default https://api.telegram.org
                             (a self-hosted Bot API server, or a fake in tests)

Conversations: one per private chat (``tg:<chat_id>``) and one per member of a
group (``tg:<chat_id>:<user_id>``). In groups the bot answers only commands,
messages that mention it and replies to its messages (not a reply to another
member's interview statement), and it replies to the member's message.

Handled update ids are remembered in memory (bounded), so an update Telegram
re-sends is processed once. With several Rasa replicas this memory would have
to move to a shared store (e.g. Redis ``SET NX`` with an expiry).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import aiohttp
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from counselor import interview_text, privacy, verdict_chart, verdict_text
from rasa_ext.message_limit import cut_at_channel

logger = logging.getLogger(__name__)
# Follow the level `rasa run` configured (--debug, --quiet, LOG_LEVEL): loading
# TensorFlow later lowers the root logger to WARNING, which would hide our
# start-up messages.
if logger.level == logging.NOTSET:
    logger.setLevel(logging.getLogger("rasa").getEffectiveLevel())

DEFAULT_API_BASE = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_MESSAGE_LENGTH = 4096  # Bot API limit, counted in UTF-16 code units
MAX_CALLBACK_DATA_BYTES = 64  # Bot API limit for callback_data, in UTF-8 bytes
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
SENDER_PREFIX = "tg"

# Telegram commands -> what the bot receives (payloads of domain.yml intents).
COMMANDS = {
    "start": "/greet",
    "tes": "/start_interview",
    "test": "/start_interview",
    "bantuan": "/help",
    "help": "/help",
    "berhenti": "/stop_interview",
    "stop": "/stop_interview",
    "hapus": "/delete_my_data",
    "dataku": "/ask_my_data",
}
# Shown in the Telegram command menu (setMyCommands).
COMMAND_MENU = [
    {"command": "start", "description": "Mulai dan lihat topik"},
    {"command": "tes", "description": "Tes kecocokan jadi konselor"},
    {"command": "bantuan", "description": "Cara memakai bot ini"},
    {"command": "berhenti", "description": "Hentikan tes yang sedang berjalan"},
    {"command": "hapus", "description": "Hapus percakapanmu dengan bot ini"},
    {"command": "dataku", "description": "Lihat data apa yang disimpan tentangmu"},
]

TEXT_ONLY_NOTE = (
    "Maaf, aku baru bisa membaca pesan teks. 🙏 Tulis pertanyaanmu, atau "
    "ketik /bantuan untuk melihat apa saja yang bisa aku jawab."
)
GROUP_HELLO = (
    "Halo semua! 👋 Aku bisa menjawab pertanyaan seputar profesi konselor "
    "pemberdayaan masyarakat dan memandu tes kecocokannya. Di grup ini, "
    "sebut {mention} di pesanmu, balas pesanku, atau pakai perintah /tes dan "
    "/bantuan. Tiap orang punya percakapannya sendiri, jadi kalian bisa ikut "
    "tes bersamaan."
)
EXPIRED_BUTTON = "Tombol ini sudah tidak berlaku. Ketik /start untuk mulai lagi, ya."
# A yes / no button answers the question it came with: pressed after the conversation
# moved on, a "Ya, hapus" would say yes to another question (user trial, round 12).
OLD_BUTTON = "Tombol ini untuk pertanyaan sebelumnya, jadi sudah tidak berlaku. Pakai tombol di pesan terbaruku, ya."
NOT_YOUR_STATEMENT = ("Pertanyaan itu bagian dari tes orang lain, jadi balasanmu tidak aku catat sebagai "
                      "jawaban. Ketik /tes kalau mau ikut tesmu sendiri, ya.")
NOT_YOUR_BUTTON = "Tombol ini untuk percakapan orang lain. Ketik /tes untuk mulai tesmu sendiri."
# The webhook answers once the chat's replies are delivered, or after this many
# seconds (what is left goes on in the background: Telegram must not redeliver).
WEBHOOK_FLUSH_SECONDS = 5.0
SHUTDOWN_FLUSH_SECONDS = 10.0
TYPING_AFTER_SECONDS = 1.0
# Interview answer buttons carry this (counselor/interview_text.scale_buttons).
ANSWER_PAYLOAD = "/answer_scale{"
# A yes or a no answers the bot's latest question only. Topic buttons stay usable
# later, and an old statement's answer is recognised by the form ("sudah kamu jawab").
YES_NO_PAYLOADS = ("/affirm", "/deny")
# In a group the bot reads only what mentions it or replies to it, so 'ketik "tes"'
# becomes a reply there (user trial, round 12).
_TYPE_QUOTED = re.compile(r'\b([Kk])etik (?=")')


def group_wording(text: Text) -> Text:
    """The bot's text as a group member can follow it: typed answers and typed
    words ('ketik "tes"') become replies to the bot's message."""
    text = text.replace(interview_text.TYPED_ANSWER_HINT, interview_text.GROUP_TYPED_ANSWER_HINT)
    return _TYPE_QUOTED.sub(lambda m: ("Balas" if m.group(1) == "K" else "balas") + " pesan ini dengan ", text)


def is_yes_or_no(payload: Optional[Text]) -> bool:
    """True for a yes / no button payload, which answers the question it came with."""
    return payload in YES_NO_PAYLOADS


# ----------------------------------------------------------------- settings



def _obj(value: Any) -> Dict[Text, Any]:
    """A sub-object of an update, or {} when a client sent something else."""
    return value if isinstance(value, dict) else {}

class TelegramSettings:
    """The TELEGRAM_* environment variables, read once at start."""

    def __init__(self, environ: Optional[Dict[Text, Text]] = None) -> None:
        env = os.environ if environ is None else environ
        self.token = (env.get("TELEGRAM_TOKEN") or "").strip()
        self.bot_name = (env.get("TELEGRAM_BOT_NAME") or "").strip().lstrip("@")
        self.webhook_url = (env.get("TELEGRAM_WEBHOOK_URL") or "").strip()
        self.api_base = (env.get("TELEGRAM_API_BASE") or DEFAULT_API_BASE).strip().rstrip("/")
        secret = (env.get("TELEGRAM_SECRET_TOKEN") or "").strip()
        if not secret and self.token:
            # Same token -> same secret, so every replica agrees without config.
            secret = hashlib.sha256(b"webhook-secret:" + self.token.encode()).hexdigest()
        self.secret = secret

    @property
    def configured(self) -> bool:
        return bool(self.token)

    @property
    def bot_id(self) -> Optional[int]:
        """The bot's user id is the number before the colon of its token."""
        head = self.token.split(":", 1)[0]
        return int(head) if head.isdigit() else None


# ------------------------------------------------------------ pure helpers


def utf16_length(text: Text) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: Text, limit: int = MAX_MESSAGE_LENGTH) -> List[Text]:
    """Splits text into parts of at most ``limit`` UTF-16 code units.

    Cuts at a blank line, else a line break, else a space, as late as possible
    (but not in the first half of a part); only a single word longer than half
    a part is cut inside. Nothing but the whitespace at a cut is lost.
    """
    text = text.strip()
    parts: List[Text] = []
    while utf16_length(text) > limit:
        # the longest prefix that fits (characters outside the BMP count twice)
        end, used = 0, 0
        for char in text:
            width = 2 if ord(char) > 0xFFFF else 1
            if used + width > limit:
                break
            used += width
            end += 1
        head = text[:end]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            position = head.rfind(separator)
            if position >= end // 2:
                cut = position
                break
        if cut <= 0:
            cut = end
        part, text = text[:cut].rstrip(), text[cut:].lstrip()
        if part:
            parts.append(part)
    if text:
        parts.append(text)
    return parts


def callback_data_for(payload: Text, store: "BoundedDict") -> Text:
    """The payload itself if it fits in 64 bytes, else a short key to it."""
    if 0 < len(payload.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        return payload
    key = "#h:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
    store[key] = payload
    return key


def inline_keyboard(buttons: List[Dict[Text, Any]], store: "BoundedDict") -> Dict[Text, Any]:
    """Rasa buttons -> an inline keyboard: one row of short titles, else one per row."""
    keys = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "").strip()
        payload = str(button.get("payload") or title).strip()
        if not title or not payload:
            continue
        if button.get("url"):
            keys.append({"text": title[:64], "url": button["url"]})
        else:
            keys.append({"text": title[:64], "callback_data": callback_data_for(payload, store)})
    if keys and len(keys) <= 8 and all(len(k["text"]) <= 6 for k in keys):
        rows = [keys]
    else:
        rows = [[key] for key in keys]
    return {"inline_keyboard": rows}


def sender_id_for(chat: Dict[Text, Any], user: Optional[Dict[Text, Any]]) -> Text:
    """One conversation per private chat, one per member in groups."""
    if chat.get("type") == "private" or not user:
        return f"{SENDER_PREFIX}:{chat['id']}"
    return f"{SENDER_PREFIX}:{chat['id']}:{user['id']}"


def chat_id_from_sender(sender_id: Text) -> Optional[Text]:
    parts = str(sender_id).split(":")
    if len(parts) >= 2 and parts[0] == SENDER_PREFIX and re.fullmatch(r"-?\d+", parts[1]):
        return parts[1]
    return None


def member_id_from_sender(sender_id: Text) -> Optional[int]:
    """The member's user id of a group conversation ("tg:<chat>:<user>"), else None."""
    parts = str(sender_id).split(":")
    if len(parts) == 3 and parts[0] == SENDER_PREFIX and re.fullmatch(r"-?\d+", parts[2]):
        return int(parts[2])
    return None


class BoundedDict(OrderedDict):
    """An insertion-ordered dict that forgets its oldest keys past ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class UpdateDeduplicator:
    """Answers each `update_id` once: in this process's memory (the last ``limit``
    ids), or in Redis when BOT_REDIS_URL is set, so that replicas behind one
    webhook answer an update once (SET NX with a one-day expiry)."""

    KEY_PREFIX = "konselor:telegram-update:"
    EXPIRY_SECONDS = 86_400

    def __init__(self, limit: int = 10_000, redis_url: Optional[Text] = None) -> None:
        self._seen = BoundedDict(limit)
        self.redis_url = redis_url if redis_url is not None else os.environ.get("BOT_REDIS_URL", "").strip()
        self._redis = None

    async def first_time(self, update_id: int) -> bool:
        if self.redis_url:
            try:
                if self._redis is None:
                    import redis.asyncio

                    self._redis = redis.asyncio.from_url(self.redis_url)
                stored = await self._redis.set(f"{self.KEY_PREFIX}{update_id}", 1, nx=True,
                                               ex=self.EXPIRY_SECONDS)
                return bool(stored)
            except Exception as error:  # Redis down: fall back to this process's memory
                logger.warning("Telegram: Redis not reachable for duplicate updates: %s", error)
        if update_id in self._seen:
            return False
        self._seen[update_id] = True
        return True


class BotAPIError(Exception):
    """The Bot API answered ok=false (status, description, retry_after from its
    answer), or could not be reached (status None)."""

    def __init__(self, message: Text, status: Optional[int] = None, description: Text = "",
                 retry_after: Optional[float] = None) -> None:
        super().__init__(message)
        self.status, self.description, self.retry_after = status, description, retry_after


class BotAPI:
    """A minimal Bot API client; one aiohttp session, made inside the running loop."""

    def __init__(self, settings: TelegramSettings, timeout: float = 15) -> None:
        self.settings = settings
        self.timeout = aiohttp.ClientTimeout(total=timeout, connect=5)
        self._session: Optional[aiohttp.ClientSession] = None

    def _url(self, method: Text) -> Text:
        return f"{self.settings.api_base}/bot{self.settings.token}/{method}"

    async def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def call(self, method: Text, **params: Any) -> Any:
        """Calls one method once (JSON body); returns its result or raises BotAPIError.
        Retries are the Outbox's (sends) or the caller's (start-up calls)."""
        return await self._request(method, json={k: v for k, v in params.items() if v is not None})

    async def upload(self, method: Text, params: Dict[Text, Any], field: Text, filename: Text,
                     content: bytes, content_type: Text = "image/png") -> Any:
        """Calls a method with a file (multipart/form-data), e.g. sendPhoto."""
        form = aiohttp.FormData()
        for key, value in params.items():
            if value is not None:
                form.add_field(key, value if isinstance(value, str) else json.dumps(value))
        form.add_field(field, content, filename=filename, content_type=content_type)
        return await self._request(method, data=form)

    async def _request(self, method: Text, **body: Any) -> Any:
        try:
            session = await self._get_session()
            async with session.post(self._url(method), **body) as reply:
                try:
                    data = await reply.json(content_type=None)
                except (ValueError, aiohttp.ContentTypeError):
                    data = None
                status = reply.status
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            raise BotAPIError(
                f"{method}: Bot API unreachable ({type(error).__name__}: {error})"
            ) from error
        if isinstance(data, dict) and data.get("ok"):
            return data.get("result")
        data = data if isinstance(data, dict) else {}
        retry_after = (data.get("parameters") or {}).get("retry_after")
        description = str(data.get("description") or "")
        raise BotAPIError(f"{method}: HTTP {status} {description}".strip(), status, description,
                          float(retry_after) if isinstance(retry_after, (int, float)) else None)

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


# ------------------------------------------------------------------- outbox


# 400 answers that a retry without the thread or the reply fixes.
_THREAD_GONE = re.compile(r"message thread not found|topic.*(closed|deleted|not found)", re.I)
_REPLY_GONE = re.compile(r"repl(ied|y) message not found|message to be replied not found", re.I)


class Outbox:
    """Delivers Bot API calls per chat, in order, and does not give up on a busy API.

    * 429 Too Many Requests: waits `retry_after` (Telegram limits busy groups to
      about 20 messages a minute, private chats to about 1 a second) and tries
      again; a wait longer than `max_wait` seconds, or more than `max_tries`
      tries, drops the call and logs it.
    * 5xx and network errors: retried with exponential backoff (1, 2, 4, ... s).
    * 403 (blocked, kicked): nothing more is sent to that chat, logged once,
      until the chat writes again (`unblock`).
    * 400 "message thread not found" / "replied message not found": sent again
      without the thread or the reply.
    Calls to one chat never overtake each other; chats do not wait for each other.
    """

    def __init__(self, api: "BotAPI", max_wait: float = 60.0, max_tries: int = 6,
                 backoff: float = 1.0) -> None:
        self.api, self.max_wait, self.max_tries, self.backoff = api, max_wait, max_tries, backoff
        self.queues: Dict[int, asyncio.Queue] = {}
        self.workers: Dict[int, asyncio.Task] = {}
        self.blocked: set = set()

    def submit(self, chat_id: int, method: Text, params: Dict[Text, Any],
               on_sent: Optional[Callable[[Any], None]] = None,
               upload: Optional[Callable[[], Awaitable[Optional[Tuple]]]] = None) -> None:
        """Queues a call; on_sent(result) runs after it succeeded. upload, when given,
        makes (field, filename, bytes) for a multipart call, or None to skip it."""
        queue = self.queues.setdefault(chat_id, asyncio.Queue())
        queue.put_nowait((method, params, on_sent, upload))
        worker = self.workers.get(chat_id)
        if worker is None or worker.done():
            self.workers[chat_id] = asyncio.ensure_future(self._work(chat_id, queue))

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)

    async def flush(self, chat_id: Optional[int] = None, timeout: float = 10.0) -> bool:
        """Waits until the chat's (or every) queue is delivered; False on timeout."""
        queues = [self.queues[chat_id]] if chat_id in self.queues else (
            [] if chat_id is not None else list(self.queues.values()))
        try:
            await asyncio.wait_for(asyncio.gather(*(q.join() for q in queues)), timeout)
            return True
        except asyncio.TimeoutError:
            return False

    async def _work(self, chat_id: int, queue: asyncio.Queue) -> None:
        while not queue.empty():
            method, params, on_sent, upload = queue.get_nowait()
            try:
                result = await self._deliver(chat_id, method, dict(params), upload)
                if result is not None and on_sent is not None:
                    on_sent(result)
            except Exception:  # one bad call must not stop the chat's queue
                logger.exception("Telegram: %s to chat %s failed", method, chat_id)
            finally:
                queue.task_done()

    async def _deliver(self, chat_id: int, method: Text, params: Dict[Text, Any], upload) -> Any:
        if chat_id in self.blocked:
            return None
        file = None
        if upload is not None:
            file = await upload()
            if file is None:
                return None
        for attempt in range(1, self.max_tries + 1):
            try:
                if file is not None:
                    return await self.api.upload(method, params, *file)
                return await self.api.call(method, **params)
            except BotAPIError as error:
                if error.status == 403:
                    if chat_id not in self.blocked:
                        logger.info("Telegram: chat %s blocked or left the bot; not sending to it", chat_id)
                    self.blocked.add(chat_id)
                    return None
                if error.status == 400 and params.get("message_thread_id") and _THREAD_GONE.search(error.description):
                    params.pop("message_thread_id")
                    continue
                if error.status == 400 and params.get("reply_to_message_id") and _REPLY_GONE.search(error.description):
                    params.pop("reply_to_message_id")
                    params.pop("allow_sending_without_reply", None)
                    continue
                if error.status == 429:
                    wait = error.retry_after if error.retry_after is not None else self.backoff
                    if wait > self.max_wait:
                        logger.warning("Telegram: %s to chat %s dropped: rate limited for %.0f s",
                                       method, chat_id, wait)
                        return None
                    await asyncio.sleep(wait)
                    continue
                if error.status is None or error.status >= 500:
                    wait = self.backoff * 2 ** (attempt - 1)
                    logger.info("Telegram: %s to chat %s not sent yet (%s); retrying in %.0f s",
                                method, chat_id, error, wait)
                    await asyncio.sleep(wait)
                    continue
                logger.warning("Telegram: %s to chat %s dropped: %s", method, chat_id, error)
                return None
        logger.warning("Telegram: %s to chat %s dropped after %d tries", method, chat_id, self.max_tries)
        return None


# -------------------------------------------------------------- output channel


class KeyboardMemory:
    """What the connector remembers of the keyboards it sent (bounded, in memory):

    owners: (chat id, message id) -> the group member whose conversation it is in;
    statements: (chat id, message id) of interview statements;
    latest: conversation (sender id) -> (chat id, message id) of its newest keyboard.
    """

    def __init__(self, limit: int = 5_000) -> None:
        self.owners = BoundedDict(limit)
        self.statements = BoundedDict(limit)
        self.latest = BoundedDict(limit)

    def remember(self, recipient_id: Text, chat_id: int, message_id: int, statement: bool) -> None:
        member = member_id_from_sender(recipient_id)
        if member is not None:
            self.owners[(chat_id, message_id)] = member
        if statement:
            self.statements[(chat_id, message_id)] = True
        self.latest[recipient_id] = (chat_id, message_id)

    def is_outdated(self, recipient_id: Text, chat_id: Any, message_id: Any) -> bool:
        """True when the conversation got a newer keyboard than this one (False when unknown)."""
        latest = self.latest.get(recipient_id)
        return latest is not None and latest != (chat_id, message_id)


class TelegramOutput(OutputChannel):
    """Sends the bot's messages to one chat; in groups as replies to the member."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(
        self,
        api: BotAPI,
        button_store: BoundedDict,
        reply_to_message_id: Optional[int] = None,
        message_thread_id: Optional[int] = None,
        open_statements: Optional[BoundedDict] = None,
        outbox: Optional[Outbox] = None,
        keyboards: Optional[KeyboardMemory] = None,
    ) -> None:
        self.api = api
        self.outbox = outbox or Outbox(api)
        self.button_store = button_store
        self.reply_to_message_id = reply_to_message_id
        self.message_thread_id = message_thread_id
        # recipient -> (chat id, message id, text) of the interview statement whose
        # answer keyboard is still live; edited away once it is answered.
        self.open_statements = open_statements if open_statements is not None else BoundedDict(1)
        self.keyboards = keyboards if keyboards is not None else KeyboardMemory(1)

    async def _send(self, recipient_id: Text, text: Text, reply_markup: Optional[Dict] = None,
                    on_sent: Optional[Callable[[Any], None]] = None) -> None:
        """Queues text (split to Telegram's limit) in the chat's outbox; on_sent gets
        the last Message once it is delivered. A verdict's bars follow as a picture."""
        chat_id = chat_id_from_sender(recipient_id)
        if chat_id is None:
            logger.warning("Telegram: cannot send to %r, not a Telegram conversation", recipient_id)
            return
        if self.reply_to_message_id is not None:  # a group
            text = group_wording(text or "")
        parts = split_text(text or "") or ["…"]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            params: Dict[Text, Any] = {
                "chat_id": int(chat_id),
                "text": part,
                "message_thread_id": self.message_thread_id,
                "reply_markup": reply_markup if last else None,
            }
            if self.reply_to_message_id is not None:
                params["reply_to_message_id"] = self.reply_to_message_id
                params["allow_sending_without_reply"] = True
            self.outbox.submit(int(chat_id), "sendMessage", params, on_sent if last else None)
        bars = verdict_text.parse_bars(text or "")
        if len(bars) >= 2:
            self._send_chart(int(chat_id), bars)

    def _send_chart(self, chat_id: int, bars: List[Tuple[Text, int]]) -> None:
        """The verdict's bars as a picture (sendPhoto); the text has already gone out."""
        async def render() -> Optional[Tuple]:
            try:
                png = await asyncio.get_running_loop().run_in_executor(None, verdict_chart.render_png, bars)
            except Exception:  # the text verdict is enough
                logger.exception("Telegram: verdict chart not rendered")
                return None
            return ("photo", "hasil-tes.png", png)

        params = {"chat_id": chat_id, "message_thread_id": self.message_thread_id}
        if self.reply_to_message_id is not None:
            params["reply_to_message_id"] = self.reply_to_message_id
            params["allow_sending_without_reply"] = True
        self.outbox.submit(chat_id, "sendPhoto", params, upload=render)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        keyboard = inline_keyboard(buttons, self.button_store)
        is_statement = any(ANSWER_PAYLOAD in str(b.get("payload", "")) for b in buttons)

        def remember(sent: Any) -> None:
            if not (isinstance(sent, dict) and "message_id" in sent):
                return
            if is_statement:
                self.open_statements[recipient_id] = (sent["chat"]["id"], sent["message_id"], sent.get("text"))
            self.keyboards.remember(recipient_id, sent["chat"]["id"], sent["message_id"], is_statement)

        await self._send(recipient_id, text, keyboard if keyboard["inline_keyboard"] else None,
                         remember if keyboard["inline_keyboard"] else None)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """As Rasa's, except that a typed answer's echo ("✓ 4 · Setuju", sent with its
        `answered` note) is not sent while its statement is open: the edit that
        closes the statement shows the same line (user trial, session 9)."""
        custom = message.get("custom")
        answered = custom.get("answered") if isinstance(custom, dict) else None
        if (isinstance(answered, dict) and message.get("text") == answered.get("title")
                and recipient_id in self.open_statements):
            message = {key: value for key, value in message.items() if key != "text"}
        await super().send_response(recipient_id, message)

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, image)

    async def send_attachment(self, recipient_id: Text, attachment: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, str(attachment))

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        if isinstance(json_message, dict) and isinstance(json_message.get("answered"), dict):
            await self._close_statement(recipient_id, str(json_message["answered"].get("title", "")))
        elif isinstance(json_message, dict) and isinstance(json_message.get("text"), str):
            await self._send(recipient_id, json_message["text"])
        else:
            logger.debug("Telegram: custom message without text not sent: %r", json_message)

    async def _close_statement(self, recipient_id: Text, chosen: Text) -> None:
        """An answered statement keeps its text plus the chosen answer; its keyboard goes."""
        statement = self.open_statements.pop(recipient_id, None)
        if statement is None:
            return
        chat_id, message_id, text = statement
        self.outbox.submit(chat_id, "editMessageText", {
            "chat_id": chat_id, "message_id": message_id,
            "text": f"{text}\n\n{chosen}" if text else chosen})


# --------------------------------------------------------------- input channel


class TelegramInput(InputChannel):
    """Webhook ``POST /webhooks/telegram/webhook`` for Telegram updates."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        # Everything comes from the environment; see the module docstring.
        return cls(TelegramSettings())

    def __init__(self, settings: Optional[TelegramSettings] = None) -> None:
        self.settings = settings or TelegramSettings()
        self.api = BotAPI(self.settings)
        self.seen_updates = UpdateDeduplicator()
        self.button_store = BoundedDict(5_000)
        self.open_statements = BoundedDict(5_000)
        self.keyboards = KeyboardMemory(5_000)
        self.outbox = Outbox(self.api)
        self.bot_name = self.settings.bot_name
        self._startup_task: Optional[asyncio.Task] = None
        if not self.settings.configured:
            logger.info(
                "Telegram is not configured (TELEGRAM_TOKEN is unset): "
                "/webhooks/telegram/webhook answers 503."
            )

    def get_output_channel(self) -> OutputChannel:
        """For messages Rasa sends outside a webhook call (e.g. trigger_intent)."""
        return self._output()

    def _output(self, reply_to_message_id: Optional[int] = None,
                message_thread_id: Optional[int] = None) -> "TelegramOutput":
        """An output channel sharing this connector's keyboards, statements and outbox."""
        return TelegramOutput(self.api, self.button_store, reply_to_message_id, message_thread_id,
                              self.open_statements, self.outbox, self.keyboards)

    # ---------------------------------------------------------- start-up

    async def _announce(self) -> None:
        """getMe, setMyCommands and setWebhook, retried in the background."""
        delays = [0, 2, 5, 15, 30]
        for attempt, delay in enumerate(delays, start=1):
            await asyncio.sleep(delay)
            try:
                me = await self.api.call("getMe")
                username = (me or {}).get("username") or ""
                if not self.bot_name:
                    self.bot_name = username
                elif username and username.lower() != self.bot_name.lower():
                    logger.warning(
                        "Telegram: TELEGRAM_BOT_NAME is %r but the token belongs to @%s",
                        self.bot_name, username,
                    )
                logger.info("Telegram: connected to the Bot API as @%s", username or "?")
                try:
                    await self.api.call("setMyCommands", commands=COMMAND_MENU)
                except BotAPIError as error:
                    logger.info("Telegram: command menu not set: %s", error)
                if self.settings.webhook_url:
                    await self.api.call(
                        "setWebhook",
                        url=self.settings.webhook_url,
                        secret_token=self.settings.secret,
                        allowed_updates=ALLOWED_UPDATES,
                    )
                    logger.info("Telegram: webhook registered at %s", self.settings.webhook_url)
                else:
                    logger.info(
                        "Telegram: TELEGRAM_WEBHOOK_URL is unset, webhook not registered "
                        "(register it yourself with the secret token)."
                    )
                return
            except BotAPIError as error:
                logger.warning(
                    "Telegram: Bot API at %s cannot be reached or refused (attempt %d of %d): %s. "
                    "The server keeps running and serves the webhook.",
                    self.settings.api_base, attempt, len(delays), error,
                )
        logger.warning("Telegram: giving up on getMe/setWebhook; set the webhook by hand.")

    # ---------------------------------------------------------- webhook

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("konselor_telegram_webhook", __name__)

        @telegram.listener("after_server_start")
        async def start(app: Any, loop: Any) -> None:
            if self.settings.configured:
                self._startup_task = asyncio.ensure_future(self._announce())
                # matplotlib's first import takes seconds: not in a user's verdict.
                asyncio.get_running_loop().run_in_executor(None, _warm_up_chart)

        @telegram.listener("before_server_stop")
        async def stop(app: Any, loop: Any) -> None:
            if self._startup_task is not None and not self._startup_task.done():
                self._startup_task.cancel()
            if not await self.outbox.flush(timeout=SHUTDOWN_FLUSH_SECONDS):
                logger.warning("Telegram: stopping with messages still queued")
            await self.api.close()

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {"status": "ok" if self.settings.configured else "not configured"}
            )

        @telegram.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.settings.configured:
                return response.json({"error": "Telegram is not configured"}, status=503)
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.settings.secret.encode()):
                logger.warning("Telegram: webhook call with a missing or wrong secret token")
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting too
                return response.json({"error": "invalid JSON"}, status=400)
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return response.json({"error": "not a Telegram update"}, status=400)
            if not await self.seen_updates.first_time(update["update_id"]):
                logger.info("Telegram: update %s already handled", update["update_id"])
                return response.json({"status": "duplicate"})
            try:
                await self._handle_update(update, on_new_message)
            except Exception:  # never a 5xx: Telegram would re-send forever
                logger.exception("Telegram: update %s failed", update.get("update_id"))
            # Usually delivered by now; a rate-limited chat goes on in the background.
            chat_id = _update_chat_id(update)
            if chat_id is not None:
                await self.outbox.flush(chat_id, timeout=WEBHOOK_FLUSH_SECONDS)
            return response.json({"status": "ok"})

        return telegram

    async def _handle_update(
        self, update: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        if isinstance(update.get("message"), dict):
            await self._handle_message(update["message"], on_new_message)
        elif isinstance(update.get("callback_query"), dict):
            await self._handle_callback(update["callback_query"], on_new_message)
        else:
            kind = next((k for k in update if k != "update_id"), "empty")
            logger.debug("Telegram: ignoring a %s update", kind)

    # ---------------------------------------------------------- messages

    def _is_own_bot(self, user: Optional[Dict[Text, Any]]) -> bool:
        if not isinstance(user, dict):
            return False
        if self.settings.bot_id is not None and user.get("id") == self.settings.bot_id:
            return True
        name = (user.get("username") or "").lower()
        return bool(user.get("is_bot")) and bool(name) and name == self.bot_name.lower()

    def _mention_pattern(self) -> Optional["re.Pattern"]:
        if not self.bot_name:
            return None
        return re.compile(rf"(?<![\w@])@{re.escape(self.bot_name)}(?!\w)", re.IGNORECASE)

    def _command(self, text: Text, private: bool) -> Tuple[bool, Optional[Text]]:
        """(is a command, payload or None to ignore it)."""
        if not text.startswith("/"):
            return False, None
        head = text.split(maxsplit=1)[0][1:]
        command, _, target = head.partition("@")
        if target and target.lower() != self.bot_name.lower():
            return True, None  # addressed to another bot
        payload = COMMANDS.get(command.lower())
        if payload is None and (private or target):
            payload = "/help"
        return True, payload

    async def _handle_message(
        self, message: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        chat = _obj(message.get("chat"))
        user = message.get("from") if isinstance(message.get("from"), dict) else None
        if "id" not in chat:
            return
        private = chat.get("type") == "private"
        if isinstance(user, dict) and user.get("is_bot"):
            return  # other bots, and our own echoes

        if not private and any(self._is_own_bot(m) for m in message.get("new_chat_members") or []):
            mention = f"@{self.bot_name}" if self.bot_name else "namaku"
            out = self._output()
            await out.send_text_message(sender_id_for(chat, None), GROUP_HELLO.format(mention=mention))
            return

        text = message.get("text")
        if not isinstance(text, str):
            if private and not _is_service_message(message):
                out = self._output()
                await out.send_text_message(sender_id_for(chat, user), TEXT_ONLY_NOTE)
            return
        text = text.strip()

        is_command, payload = self._command(text, private)
        if is_command:
            if payload is None:
                return
            if payload == "/ask_my_data" and not private:
                out = self._output(reply_to_message_id=message.get("message_id"))
                await out.send_text_message(sender_id_for(chat, user), privacy.GROUP_DATA_NOTE)
                return
            text = payload
        else:
            pattern = self._mention_pattern()
            mentioned = bool(pattern and pattern.search(text))
            replied = _obj(message.get("reply_to_message"))
            replying = self._is_own_bot(replied.get("from"))
            if not private and not (mentioned or replying):
                return
            if replying and not private and self._someone_elses_statement(chat, user, replied):
                out = self._output(reply_to_message_id=message.get("message_id"))
                await out.send_text_message(sender_id_for(chat, user), NOT_YOUR_STATEMENT)
                return
            if mentioned:
                text = re.sub(r"\s+", " ", pattern.sub(" ", text)).strip(" ,:;")
                if not text:  # just "@NamaBot": say hello
                    text = "/greet"
        if not text:
            return

        await self._deliver(
            text, chat, user, message.get("message_id"), message, on_new_message, private
        )

    def _someone_elses_statement(self, chat: Dict[Text, Any], user: Optional[Dict[Text, Any]],
                                 replied: Dict[Text, Any]) -> bool:
        """The bot message replied to is an interview statement of another group member."""
        key = (chat.get("id"), replied.get("message_id"))
        owner = self.keyboards.owners.get(key)
        return (key in self.keyboards.statements and owner is not None
                and owner != _obj(user).get("id"))

    async def _handle_callback(
        self, query: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        data = query.get("data")
        if isinstance(data, str) and data.startswith("#h:"):
            data = self.button_store.get(data)
        message = _obj(query.get("message"))
        chat = _obj(message.get("chat"))
        user = query.get("from")
        # In a group, a keyboard answers the member whose conversation it was sent in
        # (remembered when sent) or whose message it replied to: a press by someone
        # else must not answer (or erase) in their name. A keyboard of no known member
        # (its reply gone and this process restarted) answers nobody.
        replied = _obj(_obj(message.get("reply_to_message")).get("from"))
        owner_id = self.keyboards.owners.get((chat.get("id"), message.get("message_id")))
        if owner_id is None and not replied.get("is_bot"):
            owner_id = replied.get("id")
        group = chat.get("type") != "private" and isinstance(user, dict)
        foreign = group and owner_id is not None and owner_id != user.get("id")
        if group and owner_id is None:
            data = None
        outdated = (not foreign and is_yes_or_no(data) and isinstance(user, dict)
                    and "id" in chat
                    and self.keyboards.is_outdated(sender_id_for(chat, user), chat.get("id"),
                                                   message.get("message_id")))
        if foreign:
            notice = NOT_YOUR_BUTTON
        elif outdated:
            notice = OLD_BUTTON
        else:
            notice = None if data else EXPIRED_BUTTON
        try:
            await self.api.call(
                "answerCallbackQuery",
                callback_query_id=query.get("id"),
                text=notice,
                show_alert=True if foreign or outdated else None,
            )
        except BotAPIError as error:
            logger.warning("Telegram: callback query not answered: %s", error)
        if outdated:  # its keyboard goes, so it cannot mislead again
            self._remove_keyboard(chat["id"], message.get("message_id"))
        if foreign or outdated:
            return
        if not data or "id" not in chat or not isinstance(user, dict):
            return
        if is_yes_or_no(data):  # answered: pressed again later it would answer nothing
            self._remove_keyboard(chat["id"], message.get("message_id"))
        private = chat.get("type") == "private"
        # In a group, answer the member's message the keyboard was a reply to,
        # when it was theirs; else the bot's message with the keyboard.
        reply_to = message.get("message_id")
        original = _obj(message.get("reply_to_message"))
        if _obj(original.get("from")).get("id") == user.get("id") and original.get("message_id"):
            reply_to = original["message_id"]
        await self._deliver(data, chat, user, reply_to, message, on_new_message, private)

    def _remove_keyboard(self, chat_id: int, message_id: Any) -> None:
        """Queues the edit that takes the inline keyboard off one of the bot's messages."""
        self.outbox.submit(chat_id, "editMessageReplyMarkup", {
            "chat_id": chat_id, "message_id": message_id, "reply_markup": {"inline_keyboard": []}})

    async def _deliver(
        self,
        text: Text,
        chat: Dict[Text, Any],
        user: Optional[Dict[Text, Any]],
        reply_to: Optional[int],
        message: Dict[Text, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        private: bool,
    ) -> None:
        out = self._output(
            reply_to_message_id=None if private else reply_to,
            message_thread_id=message.get("message_thread_id") if message.get("is_topic_message") else None,
        )
        if isinstance(chat.get("id"), int):
            self.outbox.unblock(chat["id"])  # the chat writes again: it can be answered again
        text, cut_note = cut_at_channel(text, None)  # stored text and answers are cut too
        metadata = {
            **(cut_note or {}),
            "telegram": {
                "chat_id": chat.get("id"),
                "chat_type": chat.get("type"),
                "user_id": (user or {}).get("id"),
                "username": (user or {}).get("username"),
                "first_name": (user or {}).get("first_name"),
                "message_id": reply_to,
                "bot_name": self.bot_name or None,  # for a link to the private chat
            }
        }
        typing = asyncio.ensure_future(self._typing_after(chat.get("id"), out.message_thread_id))
        try:
            await on_new_message(
                UserMessage(
                    text,
                    out,
                    sender_id_for(chat, user),
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )
        finally:
            typing.cancel()

    async def _typing_after(self, chat_id: Any, thread_id: Optional[int]) -> None:
        """"typing..." in the chat when the reply takes longer than TYPING_AFTER_SECONDS."""
        await asyncio.sleep(TYPING_AFTER_SECONDS)
        try:
            await self.api.call("sendChatAction", chat_id=chat_id, action="typing",
                                message_thread_id=thread_id)
        except BotAPIError as error:
            logger.debug("Telegram: typing action not sent: %s", error)


def _warm_up_chart() -> None:
    try:
        verdict_chart.render_png([("x", 3), ("y", 4)])
    except Exception:  # the first verdict will say why
        pass


def _update_chat_id(update: Dict[Text, Any]) -> Optional[int]:
    message = _obj(update.get("message")) or _obj(_obj(update.get("callback_query")).get("message"))
    chat_id = _obj(message.get("chat")).get("id")
    return chat_id if isinstance(chat_id, int) else None


def _is_service_message(message: Dict[Text, Any]) -> bool:
    """Joins, leaves, pins, title changes and the like: no user content."""
    service_keys = {
        "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
        "delete_chat_photo", "group_chat_created", "supergroup_chat_created",
        "channel_chat_created", "pinned_message", "migrate_to_chat_id",
        "migrate_from_chat_id", "message_auto_delete_timer_changed",
        "forum_topic_created", "forum_topic_closed", "forum_topic_reopened",
        "video_chat_started", "video_chat_ended", "video_chat_scheduled",
        "video_chat_participants_invited", "write_access_allowed",
    }
    return any(key in message for key in service_keys)
