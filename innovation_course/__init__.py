"""China's innovation-driven development: the course package.

Data flows one way: ``data/`` → :mod:`innovation_course.data` → charts and questions → notebooks;
a saved notebook → answer records → scoring → gradebook.
"""

__version__ = "0.1.0"
