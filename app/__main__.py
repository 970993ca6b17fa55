"""``python -m app`` runs the same command line as ``service-atlas``."""

from app.cli import main

__all__: list[str] = []

raise SystemExit(main())
