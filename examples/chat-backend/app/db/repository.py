"""Stores sessions. Reaches up into the services layer, which the layers contract forbids."""

from app.services.presence import online_users


def save_sessions(sessions: dict[str, object]) -> list[str]:
    return online_users(sessions)
