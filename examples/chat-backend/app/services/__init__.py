"""Business logic between the endpoints and the realtime core."""
