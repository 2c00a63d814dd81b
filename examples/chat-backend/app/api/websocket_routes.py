"""Websocket endpoints, still importing through the legacy realtime package."""

from app.realtime import SessionManager
from app.realtime.connection_manager import SessionManager as ConnectionManager


def connect(user_id: str) -> str:
    manager = SessionManager()
    fallback = ConnectionManager()
    return manager.open(user_id) or fallback.open(user_id)
