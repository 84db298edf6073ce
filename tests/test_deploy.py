"""docs/deploy.md and docs/z2jh/config.yaml: the Kubernetes values parse, name the learner image and carry the
per-learner limits the load benchmark supports; the docs send learners to the release, never to the
teacher's repository."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "docs" / "z2jh" / "config.yaml"
DEPLOY = ROOT / "docs" / "deploy.md"
UNITS = {"K": 2**10, "M": 2**20, "G": 2**30, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def size(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]i?)", str(text)).groups()
    return int(float(number) * UNITS[unit])


def measured_learner_mb() -> float:
    """The per-learner memory (server + kernels) that docs/deploy.md records from benchmarks/hub_load.py."""
    found = re.findall(r"per learner \(server \+ kernels\): (\d+) MB mean, (\d+) MB max", DEPLOY.read_text())
    assert found, "docs/deploy.md has no recorded hub_load.py output"
    return max(float(peak) for _, peak in found)


def test_config_parses_and_names_the_learner_edition_image():
    values = yaml.safe_load(CONFIG.read_text())
    image = values["singleuser"]["image"]
    assert image["name"].endswith("/learners") and image["tag"]
    assert "solutions" not in CONFIG.read_text().split("#")[0]
    assert values["singleuser"]["defaultUrl"] == "/lab"
    assert "repo2docker" in DEPLOY.read_text() and image["name"] in DEPLOY.read_text()


def test_limits_cover_the_measured_learner():
    values = yaml.safe_load(CONFIG.read_text())
    memory, cpu = values["singleuser"]["memory"], values["singleuser"]["cpu"]
    peak = measured_learner_mb() * 2**20
    assert size(memory["guarantee"]) >= peak, "the guarantee is below what one learner was measured to hold"
    assert size(memory["limit"]) >= 1.5 * peak and size(memory["limit"]) >= size(memory["guarantee"])
    assert 0 < float(cpu["guarantee"]) <= float(cpu["limit"])


def test_docs_send_learners_to_the_release():
    for path in (ROOT / "docs" / "launch.md", ROOT / "README.md"):
        text = path.read_text()
        assert "innovation-course release" in text, f"{path.name} does not tell how to make the learner edition"
        assert "<OWNER>/<REPO>" not in text, f"{path.name} still has the Binder placeholder"
