"""Entry script of the frozen command line ``returndesk`` (see installer/returndesk.spec)."""

import multiprocessing
import sys

from returndesk.cli import main

if __name__ == "__main__":
    # 'returndesk loadtest' starts its stations as spawned processes: in a frozen program those
    # re-run this executable, and freeze_support() turns such a start into the worker.
    multiprocessing.freeze_support()
    sys.exit(main())
