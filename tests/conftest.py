"""Shared pytest configuration."""


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab or Notebook 7 in headless Chromium (slow)")
