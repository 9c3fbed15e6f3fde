"""Socket.IO channel for the web chat page (registered in credentials.yml).

A subclass of Rasa's own ``SocketIOInput`` with these changes:

* **Session persistence works with python-socketio >= 5.10.** Rasa 3.6 calls
  ``sio.enter_room(...)`` without ``await``; since python-socketio 5.10 that is
  a coroutine, so the socket never joins the session's room and every bot
  reply (sent to the room) is lost. Here it is awaited.
* **Cross-origin access is limited** to the origins in ``WEB_ALLOWED_ORIGINS``
  (comma- or space-separated; default: the page's own localhost origins on
  ``WEB_PORT``, 8080). Rasa switches python-engineio's origin check off
  (``cors_allowed_origins=[]``), which lets any web site open a socket. ``*`` is
  refused.
* **The session is bound to the socket.** A message is handled only after the
  socket has sent ``session_request``, and it always goes to that session, not to
  whatever ``session_id`` the message names. Session ids are 32 hex digits
  (uuid4, as the server makes them); anything else gets a fresh id.
* **History after a reload.** ``session_request`` with ``{"history": true}``
  answers, to that socket only, with ``session_history``: the user and bot
  messages of that session, from the tracker store, in the shape the channel
  sends them live. Only conversations held over this channel are returned.
  The page therefore never needs Rasa's token-protected HTTP API.
* Malformed events (not a dict, non-text message, bad metadata JSON) are
  ignored instead of raising inside the server.
"""
from __future__ import annotations

import json
import logging
import os
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from rasa_ext.message_limit import cut_at_channel

try:
    from sanic_cors.core import SANIC_CORS_EVALUATED
except ImportError:  # pragma: no cover - sanic-cors is a dependency of rasa
    SANIC_CORS_EVALUATED = "_sanic_cors_e"

logger = logging.getLogger(__name__)

ALLOWED_ORIGINS_ENV = "WEB_ALLOWED_ORIGINS"
WEB_PORT_ENV = "WEB_PORT"
DEFAULT_WEB_PORT = "8080"
SESSION_ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
MAX_HISTORY_MESSAGES = 300
HISTORY_EVENT = "session_history"


def allowed_origins(environ: Optional[Dict[Text, Text]] = None) -> List[Text]:
    """The origins allowed to open a socket, from ``WEB_ALLOWED_ORIGINS``."""
    environ = os.environ if environ is None else environ
    raw = environ.get(ALLOWED_ORIGINS_ENV, "").strip()
    if not raw:
        port = environ.get(WEB_PORT_ENV, "").strip() or DEFAULT_WEB_PORT
        return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
    origins = []
    for origin in re.split(r"[,\s]+", raw):
        origin = origin.strip().rstrip("/")
        if not origin:
            continue
        if origin == "*":
            logger.warning(f"{ALLOWED_ORIGINS_ENV}: '*' is not accepted; list the page origins.")
            continue
        origins.append(origin)
    return origins


def valid_session_id(value: Any) -> bool:
    return isinstance(value, str) and bool(SESSION_ID_PATTERN.match(value))


def bot_payloads(text: Optional[Text], data: Optional[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """A bot utterance as the channel emits it live (see SocketIOOutput)."""
    data = data or {}
    messages: List[Dict[Text, Any]] = []
    if text:
        messages = [{"text": part} for part in text.strip().split("\n\n")]
    buttons = data.get("buttons") or []
    if buttons:
        if not messages:
            messages = [{"text": ""}]
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": b.get("title", ""), "payload": b.get("payload", "")}
            for b in buttons
            if isinstance(b, dict)
        ]
    if data.get("image"):
        messages.append({"attachment": {"type": "image", "payload": {"src": data["image"]}}})
    return messages


def history_messages(events) -> List[Dict[Text, Any]]:
    """User and bot messages of a tracker, oldest first, for the page to re-render.

    A user message shows ``metadata.display`` when the page sent one (a button's
    title instead of its payload) and is left out when ``metadata.hidden`` is
    true (the greeting the page asks for on first open).
    """
    messages: List[Dict[Text, Any]] = []
    for event in events:
        if isinstance(event, UserUttered):
            metadata = event.metadata if isinstance(event.metadata, dict) else {}
            if metadata.get("hidden") is True:
                continue
            display = metadata.get("display")
            text = display if isinstance(display, str) and display else (event.text or "")
            messages.append({"sender": "user", "text": text})
        elif isinstance(event, BotUttered):
            for payload in bot_payloads(event.text, event.data):
                messages.append({"sender": "bot", **payload})
    return messages[-MAX_HISTORY_MESSAGES:]


def _keep_sanic_cors_off(sio: AsyncServer) -> None:
    """Lets engine.io alone answer CORS on the socket.io path.

    engine.io adds ``Access-Control-Allow-Origin`` for the allowed origins; with
    ``rasa run --cors`` sanic-cors would add a second one, and browsers reject a
    response with two. sanic-cors skips requests it has marked as evaluated.
    """
    handle_request = sio.eio.handle_request

    async def handle_request_without_sanic_cors(request: Request, *args: Any, **kwargs: Any):
        setattr(request.ctx, SANIC_CORS_EVALUATED, True)
        return await handle_request(request, *args, **kwargs)

    sio.eio.handle_request = handle_request_without_sanic_cors


class SocketIOOutput(rasa_socketio.SocketIOOutput):
    """Rasa's output, with custom payloads sent as ``{"custom": {...}}``.

    Rasa 3.6 passes a custom payload's keys to ``sio.emit`` as keyword
    arguments, so ``{"conversation_erased": true}`` (sent after an erase, README
    "Privacy") would raise instead of reaching the page.
    """

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        await self.sio.emit(self.bot_message_evt, {"custom": json_message}, room=recipient_id)


class SocketIOInput(rasa_socketio.SocketIOInput):
    """Rasa's socket.io channel, fixed for python-socketio 5.18 (see module doc)."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        origins = allowed_origins()
        logger.info(f"Socket.IO channel accepts the origins {origins}")
        # An empty list would switch the origin check off, so use a callable
        # that allows nothing when no origin is configured.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=origins or (lambda _origin: False),
            cors_credentials=False,
        )
        _keep_sanic_cors_off(sio)
        blueprint = rasa_socketio.SocketBlueprint(
            sio, self.socketio_path, "socketio_webhook", __name__
        )
        self.sio = sio
        namespace = self.namespace

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            payload = decode_bearer_token(token, self.jwt_key, self.jwt_algorithm) if token else None
            return bool(payload)

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text, *args: Any) -> None:
            logger.debug(f"User {sid} disconnected from the socket.io channel.")

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not valid_session_id(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=namespace)
                await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            if self.session_persistence and data.get("history") is True:
                messages = await self._history(sid, session_id)
                await sio.emit(
                    HISTORY_EVENT,
                    {"session_id": session_id, "messages": messages},
                    room=sid,
                    namespace=namespace,
                )

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.debug(f"Ignored a malformed message from {sid}.")
                return
            if self.session_persistence:
                session = await sio.get_session(sid, namespace=namespace)
                sender_id = session.get("session_id") if session else None
                if not sender_id:
                    logger.warning(
                        "A message arrived before `session_request`; it is ignored."
                    )
                    return
            else:
                sender_id = sid

            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}

            # Cut and cleaned here, so the stored text and interview answers are too.
            text, metadata = cut_at_channel(data["message"], metadata)
            message = UserMessage(
                text,
                SocketIOOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return blueprint

    async def _history(self, sid: Text, session_id: Text) -> List[Dict[Text, Any]]:
        """The session's messages, or [] if unknown or not a socket.io conversation."""
        environ = self.sio.get_environ(sid, namespace=self.namespace) or {}
        request = environ.get("sanic.request")
        app = getattr(request, "app", None)
        agent = getattr(getattr(app, "ctx", None), "agent", None)
        tracker_store = getattr(agent, "tracker_store", None)
        if tracker_store is None:
            return []
        try:
            tracker = await tracker_store.retrieve(session_id)
        except Exception:  # a broken store must not break the socket
            logger.exception("Could not read the tracker for the chat history.")
            return []
        if tracker is None:
            return []
        channels = {
            e.input_channel for e in tracker.events if isinstance(e, UserUttered)
        }
        if channels - {self.name()}:
            return []
        return history_messages(tracker.events)
