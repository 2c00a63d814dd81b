"""Legacy package kept for old imports: everything here moved to app.realtime_core."""

from app.realtime_core.session_manager import SessionManager

__all__ = ["SessionManager"]
