"""Key findings computed from ``data/``: the numbers the lessons' prose, the claim checks, the answer
keys and the tests all share, so no number is typed by hand. One module per lesson theme, and the question
templates (``templates_rd``, ``templates_world``: a variant per learner, see ``engine.templates``)."""

from .challenges import *  # noqa: F403
from .frontier import *  # noqa: F403
from .funds_talent import *  # noqa: F403
from .growth import *  # noqa: F403
from .newthree import *  # noqa: F403
from .plans import *  # noqa: F403
from .policy import *  # noqa: F403
from .productivity import *  # noqa: F403
from .quality import *  # noqa: F403
from .rd import *  # noqa: F403
from .rd_exchange import *  # noqa: F403
from .rd_researchers import *  # noqa: F403
from .rd_sectors import *  # noqa: F403
from .regions import *  # noqa: F403
from .reported import *  # noqa: F403
from .targets import *  # noqa: F403
from .technology import *  # noqa: F403
from .templates_rd import *  # noqa: F403
from .templates_world import *  # noqa: F403
from .trade import *  # noqa: F403
