"""The screens of the main window; each is registered in :mod:`returndesk.ui.navigation`.

A screen is a ``QWidget`` built as ``Screen(api, tasks, actor)``: the typed API acting as the
signed-in user (:class:`returndesk.api.protocol.ReturnDeskApi`), the task runner and that user are
all it gets (no global main window, never the services' context).
"""
