"""Findings for the regions lesson."""

__all__: list[str] = []
