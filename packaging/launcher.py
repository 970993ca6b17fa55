"""PyInstaller entry script: the same ``main`` as the ``service-atlas`` console script."""

import multiprocessing

from app.cli import main

if __name__ == "__main__":
    # Whoosh indexes big folders with worker processes; a frozen app must route them here.
    multiprocessing.freeze_support()
    raise SystemExit(main())
