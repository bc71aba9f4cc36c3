"""CLI command groups; each command calls a service, commits once, echoes one line."""
