"""Fan-out of messages to many sessions."""


class BroadcastManager:
    def __init__(self) -> None:
        self.listeners: list[str] = []

    def open(self, user_id: str) -> str:
        self.listeners.append(user_id)
        return user_id


# Kept "for compatibility": the same name as the canonical manager, a different class.
SessionManager = BroadcastManager
