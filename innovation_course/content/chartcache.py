"""Charts drawn before, shown again without drawing: the PNG a lesson's chart cell made, kept under a key.

When a class runs a lesson with Run All, every learner's kernel draws the same charts from the same data with
the same code: on a hub that is most of a lesson's CPU after the imports. A chart cell asks :func:`bundle`
for its display bundle (the PNG and its text version, exactly what :func:`charts.figure_bundle` makes); when
the folder (:func:`folder`) holds one under the chart's key, that is shown and nothing is drawn (nor is
matplotlib imported); otherwise the chart is drawn as always.

The key is a SHA-256 of everything the picture depends on: the package's own code (every ``.py`` file of
``innovation_course`` but the classroom tools: :data:`DRAWING_CODE`), every file in the data folder,
matplotlib's version, the kind of chart and the arguments of the call: frames and series by their values, index
and types; a function passed in (a lesson's ``ax_hook``) by its code and the values of the names it reads. A
change to any of them is a different key, so a stale picture is never shown; an argument the key cannot
describe (an open figure, an object without a plain value) means the chart is drawn, never guessed.

Pictures are stored only where the environment says so (:data:`WRITE_ENV`): the course's build step
(``innovation-course chart-cache``, run by ``make`` and by Binder's ``postBuild``) runs every lesson with
writing on, so an image or a hub's environment carries the pictures of its own code and data. A learner's
kernel only reads, and on a machine without the folder every chart is drawn as before, at the cost of computing
the key once (a few milliseconds).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import types
from collections.abc import Callable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import data

#: A folder of stored charts (default :func:`default_folder`); ``off`` turns the cache off.
FOLDER_ENV = "INNOVATION_COURSE_CHART_CACHE"
#: ``1``: store the charts drawn (the build step); otherwise stored charts are only read.
WRITE_ENV = "INNOVATION_COURSE_CHART_CACHE_WRITE"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
SIMPLE = (type(None), bool, int, float, str)


class NoKey(Exception):
    """An argument the key cannot describe: the chart is drawn."""


def default_folder() -> Path:
    """``<environment>/share/innovation-course/charts``: beside the course's Jupyter settings, in the image."""
    return Path(sys.prefix) / "share" / "innovation-course" / "charts"


def folder() -> Path | None:
    """The folder of stored charts, or None when the cache is off."""
    chosen = os.environ.get(FOLDER_ENV, "")
    if chosen.lower() == "off":
        return None
    return Path(chosen) if chosen else default_folder()


def writing() -> bool:
    return os.environ.get(WRITE_ENV) == "1"


#: The code a chart can depend on: the package's top level, the content and the engine. The classroom tools
#: (build, grading, the hub, ...) are above them and never imported by them (the layers contract in
#: pyproject.toml), so a change there keeps every stored chart.
DRAWING_CODE = ("*.py", "content/**/*.py", "engine/**/*.py")


@cache
def _code_and_version() -> str:
    digest = hashlib.sha256()
    for path in sorted({p for pattern in DRAWING_CODE for p in PACKAGE_DIR.glob(pattern)}):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(metadata.version("matplotlib").encode())
    return digest.hexdigest()


def _data_files(folder_: Path) -> str:
    """SHA-256 over the names and bytes of the data folder's files (2.5 MB: milliseconds; done once per
    folder state, as a file's size, time and inode are checked again at each call)."""
    files = sorted(p for p in folder_.iterdir() if p.is_file())
    state = tuple((p.name, *(lambda s: (s.st_size, s.st_mtime_ns, s.st_ino))(p.stat())) for p in files)
    return _hash_files(str(folder_), state)


@cache
def _hash_files(folder_: str, state: tuple) -> str:
    digest = hashlib.sha256()
    for name, *_ in state:
        digest.update(name.encode() + b"\0" + (Path(folder_) / name).read_bytes() + b"\0")
    return digest.hexdigest()


def describe(value: Any, seen: frozenset[int] = frozenset()) -> Any:
    """A plain, JSON-able description of an argument, equal for equal values; :class:`NoKey` when there is none."""
    if isinstance(value, SIMPLE):
        return value if not isinstance(value, float) else repr(value)
    if id(value) in seen:
        raise NoKey("a value that contains itself")
    seen = seen | {id(value)}
    if isinstance(value, list | tuple):
        return [type(value).__name__, [describe(v, seen) for v in value]]
    if isinstance(value, set | frozenset):
        return ["set", sorted(json.dumps(describe(v, seen)) for v in value)]
    if isinstance(value, Mapping):
        return ["map", sorted((json.dumps(describe(k, seen)), describe(v, seen)) for k, v in value.items())]
    if isinstance(value, types.ModuleType):
        return ["module", value.__name__]  # the course's code and matplotlib's version are in the key already
    if isinstance(value, types.FunctionType):
        return _describe_function(value, seen)
    frame = _describe_pandas(value)
    if frame is not None:
        return frame
    raise NoKey(f"no plain value for a {type(value).__name__}")


def _describe_pandas(value: Any) -> list | None:
    pd = sys.modules.get("pandas")
    if pd is None or not isinstance(value, pd.DataFrame | pd.Series):
        return None
    rows = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
    names = list(value.columns) if isinstance(value, pd.DataFrame) else [value.name]
    types_ = [str(t) for t in value.dtypes] if isinstance(value, pd.DataFrame) else [str(value.dtype)]
    return ["frame", hashlib.sha256(rows).hexdigest(), describe(names), types_,
            describe(list(value.index.names)), str(value.index.dtype)]


def _describe_code(code: types.CodeType) -> list:
    consts = [_describe_code(c) if isinstance(c, types.CodeType) else describe(c) for c in code.co_consts]
    return [code.co_code.hex(), consts, list(code.co_names), list(code.co_varnames)]


def _names_read(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_read(const)
    return names


def _describe_function(fn: types.FunctionType, seen: frozenset[int]) -> list:
    if fn.__closure__:
        raise NoKey(f"{fn.__name__} reads variables of the function that made it")
    module = fn.__globals__.get("__name__", "")
    if module.startswith("innovation_course."):
        return ["function", module, fn.__qualname__]  # the package's code is in the key already
    reads = {name: describe(fn.__globals__[name], seen) for name in sorted(_names_read(fn.__code__))
             if name in fn.__globals__}
    return ["function", _describe_code(fn.__code__), describe(fn.__defaults__, seen),
            describe(fn.__kwdefaults__, seen), reads]


def key(kind: str, arguments: Mapping[str, Any]) -> str | None:
    """The chart's key, or None when an argument has no plain description (the chart is then drawn)."""
    try:
        described = describe(dict(arguments))
    except NoKey:
        return None
    text = json.dumps([kind, described, _code_and_version(), _data_files(data._dir(None))], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def bundle(kind: str, arguments: Mapping[str, Any], draw: Callable[[], tuple[dict, dict]]) -> tuple[dict, dict]:
    """The chart's display bundle and metadata: stored ones when the folder has them under the chart's key,
    else ``draw()`` (stored when :data:`WRITE_ENV` is set)."""
    place = folder()
    name = key(kind, arguments) if place is not None else None
    if name is None:
        return draw()
    path = place / f"{name}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        stored = json.loads(path.read_text(encoding="utf-8"))
        return stored["bundle"], stored["metadata"]
    made = draw()
    if writing():
        place.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps({"kind": kind, "bundle": made[0], "metadata": made[1]}), encoding="utf-8")
        partial.replace(path)  # whole or absent, for a reader at the same moment
    return made
