"""The healthlint version (read by the build backend, the CLI, SARIF output and cache fingerprints)."""

__version__ = "0.1.0"
