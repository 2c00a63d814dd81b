"""Who is online, derived from the open sessions."""


def online_users(sessions: dict[str, object]) -> list[str]:
    return sorted(sessions)
