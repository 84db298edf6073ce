"""The exam's secret: the key of every learner's exam variants, which only the teacher holds.

``build --exam`` makes it at the first build (32 random bytes, as 64 hex digits in ``.exam-secret`` beside the
exam bank, readable by its owner only; keep it out of git) and ``grade`` reads it to work out each learner's
variants again (see ``engine.variants``).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from ..engine.spec import SpecError

SECRET_FILE = ".exam-secret"


class SecretError(SpecError):
    """The exam's secret cannot be read; the message says why."""


def read_secret(path: str | Path, create: bool = False) -> bytes:
    """The exam's secret in ``path``; with ``create``, a new random one is written first when there is none."""
    path = Path(path)
    if create and not path.exists():
        path.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
        path.chmod(0o600)
    try:
        secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except OSError as error:
        raise SecretError(f"no exam secret at {path} ({error.strerror or error}): the exam copies were built with "
                          "it; give its path with --exam-secret") from None
    except (ValueError, UnicodeDecodeError):
        raise SecretError(f"{path} is not an exam secret (64 hex digits)") from None
    if len(secret) < 16:
        raise SecretError(f"{path}: the exam secret is too short ({len(secret)} bytes; 32 expected)")
    return secret
