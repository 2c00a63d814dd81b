"""Chat rooms. Imports the manager through the package facade rather than its home."""

from app.realtime_core import SessionManager


class ChatService:
    def __init__(self, manager: SessionManager) -> None:
        self.manager = manager
        self.rooms: dict[str, list[str]] = {}

    def room_count(self) -> int:
        return len(self.rooms)
