"""Read the OECD STI Scoreboard SDMX-ML exports (`<CODE>_V8.txt`) of STIScoreboard/STI.Scoreboard.

Each file is an unmodified OECD Data Explorer export (structure-specific SDMX-ML 3.0):
`<ns1:Series LOCATION=".." VAR="..">` holding `<ns1:Obs TIME_PERIOD=".." OBS_VALUE=".."
[OBS_STATUS=".."] [OBS_STATUS_2=".."] [AUX_OBS_STATUS=".."] />`.  A series can be split over
several <Series> elements; TIME_PERIOD="2999" is OECD's "latest year" duplicate and is
dropped (as in the course's data/SOURCES.md, section 2).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from common import read_blob

REPO = "STIScoreboard/STI.Scoreboard"


def read_sti(code: str) -> tuple[list[dict], str, str]:
    """Observations of `<code>_V8.txt`, the SDMX `Prepared` timestamp and the structure id."""
    path = f"{code}_V8.txt"
    text = read_blob(REPO, path).decode("utf-8")
    root = ET.fromstring(text)
    prepared = root.find(".//{*}Header/{*}Prepared").text
    structure = re.search(r"DataStructure=([^\"]+):compact", text).group(1)
    obs = []
    for series in root.iter():
        if not series.tag.endswith("}Series"):
            continue
        area = series.get("LOCATION")
        var = series.get("VAR")
        for o in series:
            year = o.get("TIME_PERIOD")
            if year == "2999":
                continue
            flags = [o.get(k) for k in ("OBS_STATUS", "OBS_STATUS_2") if o.get(k)]
            obs.append({
                "area": area, "var": var, "year": int(year), "value": o.get("OBS_VALUE"),
                "obs_status": "+".join(flags), "aux_obs_status": o.get("AUX_OBS_STATUS") or "",
            })
    return obs, prepared, structure
