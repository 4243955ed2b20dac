"""A station's HTTP client keeps no cookies: the server sets none (a session is a bearer token in
a header), and a cookie an answer would bring is neither kept nor sent back."""

from __future__ import annotations

import httpx
import pytest

from returndesk.api.remote import ServerConnection, _station_client_class


def test_a_cookie_in_an_answer_is_neither_kept_nor_sent_back():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True}, headers={"Set-Cookie": "tracker=1; Path=/"})

    with _station_client_class()(base_url="http://127.0.0.1:8443", transport=httpx.MockTransport(answer)) as client:
        for _ in range(2):
            assert client.get("/api/v1/health").json() == {"ok": True}
        assert len(client.cookies) == 0
        with pytest.raises(TypeError, match="keeps no cookies"):
            client.cookies = {"a": "b"}
    # (A plain httpx.Client sends "tracker=1" with the second request.)
    assert [request.headers.get("cookie") for request in seen] == [None, None]


def test_the_station_connection_uses_that_client():
    connection = ServerConnection("http://127.0.0.1:8443")
    try:
        assert isinstance(connection._client, _station_client_class())
        assert len(connection._client.cookies) == 0
    finally:
        connection.close()
