"""The return detail page (see :mod:`.screen`)."""
