"""Findings for the policy lesson."""

__all__: list[str] = []
