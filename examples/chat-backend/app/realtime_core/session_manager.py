"""The canonical session manager."""


class SessionManager:
    def __init__(self) -> None:
        self.sessions: dict[str, object] = {}

    def open(self, user_id: str) -> str:
        self.sessions[user_id] = object()
        return user_id

    def active_count(self) -> int:
        return len(self.sessions)
