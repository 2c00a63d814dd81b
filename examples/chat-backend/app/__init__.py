"""A small chat backend, half-way through consolidating its realtime session management."""
