"""Deprecated factory: construct SessionManager directly instead."""

import warnings

from app.realtime_core.session_manager import SessionManager


def get_session_manager_factory():
    warnings.warn("use SessionManager() directly", DeprecationWarning, stacklevel=2)
    return SessionManager
