"""Rasa's REST channel with its input checked: bad requests get 400, never 500.

Same URL and format as Rasa's `rest` channel (`POST /webhooks/rest/webhook`,
`{"sender": "...", "message": "...", "metadata": {...}}` -> list of bot
messages; `?stream=true` streams them). Registered in credentials.yml by class
path. What Rasa's own channel does and this one does not:

* a body that is not a JSON object (`[]`, `"x"`, `null`, empty) made it
  answer 500; here it is 400;
* a missing, empty or non-string `sender` made the message land in the shared
  conversation `default` (or in one named after a list); here it is 400, so
  one anonymous user can never read the answers of another;
* a `message` that is not a string (an object, a number) was silently
  dropped; here it is 400; a missing `metadata` is fine, a non-object one 400;
* `input_channel` from the body was trusted; here it is always `rest`;
* with `?stream=true`, an error while handling the message left the stream
  open for ever; here it ends;
* the text is cleaned and cut to 2000 characters here already
  (`rasa_ext.message_limit.cut_at_channel`): the tracker then stores,
  and the interview reads, the cut text, and the user is told.
"""
from __future__ import annotations

import json
import logging
import unicodedata
from typing import Any, Dict, Optional, Text, Tuple

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from sanic import Blueprint, response
from sanic.request import Request

from rasa_ext.message_limit import cut_at_channel

logger = logging.getLogger(__name__)
MAX_SENDER_LENGTH = 128


class BadRequest(ValueError):
    pass


def _valid_sender(value: Any) -> Text:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadRequest("'sender' must be a non-empty string")
    sender = str(value)
    if not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
        raise BadRequest(f"'sender' must have 1 to {MAX_SENDER_LENGTH} characters")
    if any(unicodedata.category(char) in ("Cc", "Cs", "Cf") for char in sender):
        raise BadRequest("'sender' must not contain control characters")
    return sender


def parse_body(body: bytes) -> Tuple[Text, Text, Optional[Dict[Text, Any]]]:
    """(sender, message, metadata) from a request body, or BadRequest."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("the body must be JSON in UTF-8")
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    sender = _valid_sender(payload.get("sender"))
    message = payload.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string")
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be an object")
    message, metadata = cut_at_channel(message, metadata)
    return sender, message, metadata


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @staticmethod
    async def on_message_wrapper(on_new_message, text, queue, sender_id, input_channel, metadata):
        """Streams the replies; unlike Rasa's, ends the stream even if handling fails."""
        collector = QueueOutputChannel(queue)
        message = UserMessage(text, collector, sender_id, input_channel=input_channel, metadata=metadata)
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("Handling a streamed REST message failed.")
        finally:
            await queue.put("DONE")

    def blueprint(self, on_new_message) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request):
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                sender, text, metadata = parse_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender, self.name(), metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            await on_new_message(
                UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            )
            return response.json(collector.messages)

        return webhook
