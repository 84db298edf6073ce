"""What an explorer keeps of its recent choices: the outputs of the last few, so going back to one shows it
again at once, without drawing."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def recall(kept: dict[Hashable, T], state: Hashable, make: Callable[[], T], limit: int) -> T:
    """The outputs for ``state``: from ``kept`` when it holds them, else ``make()``'s. Either way ``state``
    becomes the most recent of ``kept``, which keeps at most the ``limit`` most recent (none for 0)."""
    value = kept.pop(state) if state in kept else make()
    kept[state] = value
    while len(kept) > limit:
        kept.pop(next(iter(kept)))
    return value
