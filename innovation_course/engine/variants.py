"""Which variant of a template question a learner gets: chosen from who the learner is, never at random.

A learner's variant of a question is a function of (learner, workbook id, question id, draw), keyed with
HMAC-SHA256: with the course's public key in learners' workbooks (so their kernel and the grader both work it
out), with the teacher's secret for an exam (so only the teacher can). ``draw`` 0 is the learner's own variant;
"Try another" in practice takes draws 1, 2, ...

Among a template's parameter sets, the one with the highest score wins (rendezvous hashing): each parameter set's
canonical JSON is hashed once (BLAKE2b, 64 bits), and its score for a learner is that hash mixed with the first 64
bits of the learner's seed (the SplitMix64 finaliser, a bijection with full avalanche), all parameter sets at once
in numpy. A variant depends only on its own parameters, not on where they sit in the list, so when the data gain a
year, a learner keeps their variant unless the new parameters happen to win (one learner in the size of the
space).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

#: the key of learners' variants in workbooks (public: the learner's kernel must compute them)
PUBLIC_KEY = b"innovation-course/variants/v1"
SEPARATOR = "\x1f"


def learner_key(identity: str | None) -> str:
    """A learner's identity as variants use it: width, case and spaces folded ('  Li  Hua ' → 'li hua')."""
    text = unicodedata.normalize("NFKC", str(identity or ""))
    return " ".join(text.casefold().split())


def canonical(params: dict[str, Any]) -> bytes:
    """The one byte string of a parameter set (sorted keys, no spaces), as hashed and compared."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seed(identity: str | None, workbook: str, question: str, secret: bytes = b"", draw: int = 0) -> bytes:
    """The 32-byte seed of one learner's draw of one question: HMAC-SHA256 with ``secret`` (an exam's) or the
    public key."""
    message = SEPARATOR.join((learner_key(identity), workbook, question, str(int(draw)))).encode()
    return hmac.digest(secret or PUBLIC_KEY, message, "sha256")


def hashes(encoded: Sequence[bytes]) -> np.ndarray:
    """Each parameter set's 64-bit hash (computed once per template)."""
    import numpy as np  # here, not at the top: the server extension imports this module through the journal

    return np.array([int.from_bytes(hashlib.blake2b(item, digest_size=8).digest(), "big") for item in encoded],
                    dtype=np.uint64)


def pick(hashed: np.ndarray, seeded: bytes) -> int:
    """The index of the parameter set (its :func:`hashes`) with the highest score under ``seeded``."""
    import numpy as np

    if not len(hashed):
        raise ValueError("no parameter sets to choose from")
    z = hashed ^ np.uint64(int.from_bytes(seeded[:8], "big"))
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return int(np.argmax(z ^ (z >> np.uint64(31))))
