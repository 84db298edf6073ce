"""Findings for the rd lesson."""

__all__: list[str] = []
