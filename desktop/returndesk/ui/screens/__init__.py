"""The screens of the main window; each is registered in :mod:`returndesk.ui.navigation`.

A screen is a ``QWidget`` built as ``Screen(services, tasks, actor)``: the services facade, the
task runner and the signed-in user are all it gets (no global main window).
"""
