"""Service Atlas desktop app: the only package that imports PySide6."""

__all__: list[str] = []
