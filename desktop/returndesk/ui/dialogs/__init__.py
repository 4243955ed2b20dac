"""Dialogs of the frame: first start, server password, first administrator, sign-in."""
