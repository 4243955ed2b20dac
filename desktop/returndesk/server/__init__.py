"""The ReturnDesk server: the only holder of the database login in shared mode.

Stations sign in here and receive a session; other systems (web shop, ERP, suppliers) call the
same use cases with API keys. See :mod:`returndesk.server.app`.
"""
