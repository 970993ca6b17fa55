"""Service Atlas core: read AWS study notes and turn them into a knowledge graph (no Qt here)."""

__version__ = "0.1.0"
