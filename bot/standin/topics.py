"""Which forum topic a bot message goes to, and the refusals Telegram gives for closed or unknown topics.

In a forum supergroup (is_forum) a message without message_thread_id goes to the General topic; a reply
goes to the thread of the message it answers. Messages in General carry no thread id.
"""

from __future__ import annotations

from typing import Any

from bot.standin.models import GENERAL_TOPIC, Chat, bad_request

THREAD_NOT_FOUND = "message thread not found"
TOPIC_CLOSED = "TOPIC_CLOSED"


def send_thread(chat: Chat, thread_id: int | None, reply: dict[str, Any] | None) -> int | None:
    """The topic's thread id for a bot message (None: General or not a forum), or a 400 as Telegram."""
    if thread_id is None and reply is not None and reply.get("is_topic_message"):
        thread_id = int(reply["message_thread_id"])
    if not chat.is_forum:
        if thread_id is not None:
            raise bad_request(THREAD_NOT_FOUND)
        return None
    if thread_id is None or thread_id == GENERAL_TOPIC:
        if chat.general_closed:
            raise bad_request(TOPIC_CLOSED)
        return None
    topic = chat.topics.get(thread_id)
    if topic is None:
        raise bad_request(THREAD_NOT_FOUND)
    if topic.closed:
        raise bad_request(TOPIC_CLOSED)
    return thread_id


def thread_fields(thread_id: int | None) -> dict[str, Any]:
    """What a Message in a topic carries."""
    return {} if thread_id is None else {"message_thread_id": thread_id, "is_topic_message": True}
