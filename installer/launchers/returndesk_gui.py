"""Entry script of the frozen desktop client ``returndesk-gui`` (see installer/returndesk.spec)."""

import sys

from returndesk.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
