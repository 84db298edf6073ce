"""Numbers and names as they read inside the course's sentences (one place for each rule)."""

from __future__ import annotations

from .style import label_for

#: economies whose name takes "the" inside a sentence
WITH_THE = {"USA", "EU27_2020", "EUU", "GBR", "OECD"}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st..."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def economy(iso3: str) -> str:
    """An economy's name as it reads inside a sentence ("the United States", "Japan")."""
    return ("the " if iso3 in WITH_THE else "") + label_for(iso3)


def possessive(iso3: str) -> str:
    """"the United States'", "Japan's"."""
    name = economy(iso3)
    return name + ("'" if name.endswith("s") else "'s")


def join(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def capital(text: str) -> str:
    """The text with its first letter in capitals."""
    return text[:1].upper() + text[1:]
