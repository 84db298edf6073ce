"""Shared pytest configuration and fixtures."""

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab or Notebook 7 in headless Chromium (slow)")


@pytest.fixture(autouse=True)
def _journals_in_a_test_folder(monkeypatch, tmp_path_factory):
    """Answer journals written by a test go to a folder of its own, never to the user's Jupyter data folder."""
    monkeypatch.setenv("INNOVATION_COURSE_JOURNALS", str(tmp_path_factory.mktemp("journals")))


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for one test module: skipped where it is missing, a failure in CI."""
    from browser_support import IN_CI, chromium, require_browser

    require_browser(IN_CI)
    with chromium() as launched:
        yield launched
