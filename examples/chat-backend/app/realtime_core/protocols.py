"""Protocols shared by the managers; imports the unified manager back, closing a cycle."""

from app.realtime_core import unified_manager


class SessionProtocol:
    def open(self, user_id: str) -> str:
        raise NotImplementedError


def default_manager_type() -> type:
    return unified_manager.SessionManager
