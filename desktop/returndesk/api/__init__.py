"""The typed API between the desktop client and the services.

* :mod:`.protocol` — what a screen may ask, as typed interfaces grouped by workflow
  (``ReturnDeskApi`` after sign-in, ``SessionApi`` around it);
* :mod:`.types` — the frozen dataclasses and enums that go in and out, and the few pure rules
  the screens share with the services (re-exported from where they are defined);
* :mod:`.connection` — choosing and checking a database (first start, the server password);
* :mod:`.local` — the in-process implementation over a local database.

The user interface imports this package and never ``returndesk.services`` (an import-linter
contract says so). Imports stay in the submodules so that importing the package costs nothing.
"""
