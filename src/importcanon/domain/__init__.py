"""The domain: plain data and pure rules, no I/O.

Immutable records are ``typing.NamedTuple`` classes rather than frozen dataclasses wherever
nothing else is needed (no field left out of equality, no computed field): Python 3.11 compiles
six methods for each frozen dataclass as its module is imported, about 0.35 ms a class, and the
44 records a check imports cost 13 ms of every run's start-up that way (a tenth of a small run).
"""
