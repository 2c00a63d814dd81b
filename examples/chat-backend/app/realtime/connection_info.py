"""Once a shim, now holding a class of its own."""

from dataclasses import dataclass


@dataclass
class ConnectionInfo:
    user_id: str
    room: str
