"""An earlier attempt at unification that grew its own SessionManager."""

from app.realtime_core.protocols import SessionProtocol


class SessionManager(SessionProtocol):
    def open(self, user_id: str) -> str:
        return user_id
