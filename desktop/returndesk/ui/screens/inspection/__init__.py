"""The inspection station's screen: ``screen`` (the Screen class), ``models`` (its table models) and the
helpers beside them."""
