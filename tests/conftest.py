"""Shared pytest configuration and fixtures."""

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab or Notebook 7 in headless Chromium (slow)")


@pytest.fixture(autouse=True)
def _journals_in_a_test_folder(monkeypatch, tmp_path_factory):
    """Answer journals written by a test go to a folder of its own, never to the user's Jupyter data folder."""
    monkeypatch.setenv("INNOVATION_COURSE_JOURNALS", str(tmp_path_factory.mktemp("journals")))


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


#: The addresses the test website is built with (as a teacher would pass them to innovation-course site).
SITE_URL = "https://github.com/my-uni/course-learners"
SITE_HUB = "hub.example.edu"


@pytest.fixture(scope="session")
def course_site(tmp_path_factory):
    """The course website, built once per test session from this checkout, with its run links."""
    from innovation_course.classroom.publish.site import build_site
    from innovation_course.classroom.publish.sitelessons import SiteLinks

    return build_site(tmp_path_factory.mktemp("site") / "web", links=SiteLinks(SITE_URL, "main", SITE_HUB))


@pytest.fixture
def key(tmp_path):
    """A key folder with the demo workbook's solution (modules that need another key define their own)."""
    from innovation_course.classroom.grading import synthetic

    return synthetic.write_key(tmp_path / "key")
