"""The exercise engine: questions, keys, scoring, answer records, the workbook API and its widgets, the answer
journal and the JupyterLab glue. It knows nothing of China and imports nothing from the course's content or the
classroom tools (an import-linter contract in ``pyproject.toml`` checks it); see docs/architecture.md."""
