"""Findings for the challenges lesson."""

__all__: list[str] = []
