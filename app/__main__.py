"""``python -m app`` runs the same command line as ``service-atlas``."""

from app.cli import main

raise SystemExit(main())
