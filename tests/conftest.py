"""Shared pytest configuration and fixtures."""

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab or Notebook 7 in headless Chromium (slow)")


@pytest.fixture(autouse=True)
def _charts_drawn(monkeypatch):
    """Charts are drawn, never shown from the environment's chart cache (``make chart-cache`` fills it): a test
    sees the code it tests. tests/test_chartcache.py points the cache at a folder of its own."""
    monkeypatch.setenv("INNOVATION_COURSE_CHART_CACHE", "off")


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for one test module: skipped where it is missing, a failure in CI."""
    from browser_support import IN_CI, chromium, require_browser

    require_browser(IN_CI)
    with chromium() as launched:
        yield launched
