"""HTTP endpoints. Still creates managers through the deprecated factory in two places."""

from app.services.chat import ChatService


def health() -> dict:
    from app.realtime_core.factory import get_session_manager_factory

    factory = get_session_manager_factory()
    return {"status": "ok", "sessions": factory().active_count()}


def stats() -> dict:
    from app.realtime_core import factory as legacy_factory

    manager = legacy_factory.get_session_manager_factory()()
    return {"sessions": manager.active_count(), "rooms": ChatService(manager).room_count()}
