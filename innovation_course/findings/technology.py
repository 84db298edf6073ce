"""Findings for the technology lesson."""

__all__: list[str] = []
