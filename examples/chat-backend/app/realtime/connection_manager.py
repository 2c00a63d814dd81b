"""Compatibility shim for the old connection manager module."""

import warnings

from app.realtime_core.broadcast import BroadcastManager as SessionManager

warnings.warn("app.realtime.connection_manager is deprecated", DeprecationWarning, stacklevel=2)
