"""The realtime core: the one place session management should live."""

from app.realtime_core.session_manager import SessionManager

__all__ = ["SessionManager"]
