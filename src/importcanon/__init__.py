"""importcanon: import-graph architecture contracts for Python, checked statically in one pass."""

__version__ = "0.1.0"
