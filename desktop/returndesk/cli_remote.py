"""Administration through the ReturnDesk server: ``returndesk --server URL [--user NAME] COMMAND``.

The command signs in at the server as NAME (the password is asked, never taken from the command
line), runs the command through the typed API over HTTPS acting as that user — the server checks
the user's role on every call and records the user in the audit trail — and signs out again. It is
how an administrator works from any computer; ``--url`` (straight to the database, no sign-in)
stays for the machine administrator on the database host.

The server is trusted by the system's certificate authorities, by ``--ca-file`` (the server's own
``server.crt`` or the shop's CA), or by ``--fingerprint``: the SHA-256 fingerprint that
``returndesk server init`` printed, compared before anything is sent.
"""

from __future__ import annotations

import argparse
import getpass
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from returndesk.api.remote import ServerConnection, ServerTrust, fingerprint_of, remote_api
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.messages import msg

if TYPE_CHECKING:
    from returndesk.api.protocol import ReturnDeskApi

def normal_fingerprint(text: str) -> str:
    """``AB:CD:…`` in upper case from any spelling (colons, spaces or none; any case)."""
    digits = "".join(ch for ch in text if ch not in ": \t").upper()
    if len(digits) != 64 or any(ch not in "0123456789ABCDEF" for ch in digits):
        raise ValidationFailed(
            msg(
                "'{text}' is not a SHA-256 fingerprint: give the 64 hexadecimal digits that 'returndesk server init' "
                "printed (with or without colons).",
                text=text[:100]))
    return ":".join(digits[i:i + 2] for i in range(0, 64, 2))


def pinned_trust(base_url: str, fingerprint: str) -> ServerTrust:
    """Fetch the server's certificate and trust it only if its fingerprint is ``fingerprint``."""
    expected = normal_fingerprint(fingerprint)
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationFailed(msg("--fingerprint needs the server's https:// address."))
    try:
        pem = ssl.get_server_certificate((parts.hostname, parts.port or 443), timeout=15)
    except OSError as exc:
        raise ValidationFailed(
            msg("The server at {base_url} cannot be reached: {exc}.", base_url=base_url, exc=exc)) from None
    seen = fingerprint_of(pem)
    if seen != expected:
        raise ValidationFailed(
            msg(
                "The server at {base_url} shows a certificate with the fingerprint {seen}, not the one given "
                "({expected}). Nothing was sent. Check the fingerprint with the server's administrator: someone may "
                "be in between.",
                base_url=base_url, seen=seen, expected=expected))
    return ServerTrust(certificate_pem=pem)


def trust_from(args: argparse.Namespace) -> ServerTrust:
    if args.fingerprint and args.ca_file:
        raise ValidationFailed(msg("Give either --ca-file or --fingerprint, not both."))
    if args.fingerprint:
        return pinned_trust(args.server, args.fingerprint)
    return ServerTrust(ca_file=args.ca_file)


def check_address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationFailed(msg(
            "'{url}' is not a server address; write it like https://returns.example.lan:8443",
            url=url[:100]))
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValidationFailed(msg("Plain http:// is only for a server on this computer; use https://."))
    return url.rstrip("/")


@contextmanager
def signed_in(args: argparse.Namespace, *, ask: Callable[[str], str] | None = None) -> Iterator[ReturnDeskApi]:
    """The typed API at ``args.server``, signed in as ``args.user`` (password asked); signs out after."""
    if args.url:
        raise ValidationFailed(msg(
            "Give either --server (through the ReturnDesk server) or --url (the database itself, on the database "
            "host), not both."))
    base = check_address(args.server)
    username = (args.user or getpass.getuser()).strip()
    trust = trust_from(args)
    # A cash shift belongs to the counter station the user signs in at; other commands sign in as
    # the command line.
    station = args.station if getattr(args, "signs_in_at_station", False) and args.station else "command-line"
    connection = ServerConnection(base, trust, station=station)
    try:
        password = (ask or getpass.getpass)(f"Password of {username} at {base}: ")
        user = connection.sign_in(username, password)
        try:
            yield remote_api(connection, user)
        finally:
            connection.sign_out()
    finally:
        connection.close()
