"""Shared pytest configuration and fixtures."""

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab or Notebook 7 in headless Chromium (slow)")


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for one test module: skipped where it is missing, a failure in CI."""
    from browser_support import IN_CI, chromium, require_browser

    require_browser(IN_CI)
    with chromium() as launched:
        yield launched


@pytest.fixture
def key(tmp_path):
    """A key folder with the demo workbook's solution (modules that need another key define their own)."""
    from innovation_course.grading import synthetic

    return synthetic.write_key(tmp_path / "key")
