"""What the course knows of each data source, one module per source; :data:`META` has every resource's
title, description, provenance, licence, gaps and caveats."""

from __future__ import annotations

from .facts import META as _facts
from .gii import META as _gii
from .iea import META as _iea
from .maddison import META as _maddison
from .nbs import META as _nbs
from .nbs import provenance as _nbs_provenance
from .ncses import META as _ncses
from .oecd import META as _oecd
from .oecd import provenance as _oecd_provenance
from .owid import META as _owid
from .press import META as _press
from .press import provenance as _press_provenance
from .pwt import META as _pwt
from .wdi import META as _wdi
from .wdi import provenance as _wdi_provenance

META: dict[str, dict] = {**_wdi, **_oecd, **_ncses, **_nbs, **_maddison, **_gii, **_press, **_facts, **_pwt, **_iea,
                         **_owid}

#: family → the function that computes a resource's sources, licences and citation from its rows
PROVENANCE = {"wdi": _wdi_provenance, "oecd": _oecd_provenance, "techme": _nbs_provenance, "press": _press_provenance}
