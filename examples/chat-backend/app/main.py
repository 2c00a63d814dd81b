"""Application wiring: builds the routers and the shared session manager."""

from app.api import routes, websocket_routes
from app.realtime_core.session_manager import SessionManager


def create_app() -> dict:
    manager = SessionManager()
    return {"routes": [routes.health, routes.stats, websocket_routes.connect], "manager": manager}
