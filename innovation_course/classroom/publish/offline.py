"""Offline checking: a published page may load nothing from another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from .prepare import PublishError

# ---------------------------------------------------------------------------------- offline checking


class _ResourceFinder(HTMLParser):
    """Collects what a page would fetch from the network when opened."""

    LOADING: ClassVar[dict[str, tuple[str, ...]]] = {
        "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",),
        "video": ("src", "poster"), "audio": ("src",), "source": ("src", "srcset"), "embed": ("src",),
        "object": ("data",), "track": ("src",), "input": ("src",)}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in self.LOADING.get(tag, ()) and _EXTERNAL.match(value.strip()):
                self.found.append(f"<{tag} {name}={value}>")
            if value and name == "style":
                self.found += css_external(value)
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.found += css_external(data)
        elif self._in == "script":
            self.found += [f"script loads {m}" for m in _SCRIPT_URL.findall(data)]


_EXTERNAL = re.compile(r"^(https?:)?//", re.I)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
_SCRIPT_URL = re.compile(r"""['"`]((?:https?:)?//[^'"`\s]+)['"`]""", re.I)


def css_external(css: str) -> list[str]:
    """The network addresses a style sheet would load (``url(http...)``, ``@import "http..."``)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [f"css loads {m}" for m in _CSS_URL.findall(css)]


def external_resources(page: str) -> list[str]:
    """What an HTML page would fetch from the network: scripts, style sheets, images, fonts, frames.

    Plain links (``<a href>``) are not resources and are allowed.
    """
    finder = _ResourceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def check_offline(path: Path, page: str) -> None:
    found = external_resources(page)
    if found:
        raise PublishError(f"{path}: would load from the network: {', '.join(found[:5])}")


