"""thematic: Braun & Clarke's thematic analysis as plain, re-runnable files."""

__version__ = "0.1.0"
