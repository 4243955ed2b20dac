"""The addresses a station's connection sends its requests to, parsed once per path."""

from __future__ import annotations

import pytest

from returndesk.api.remote import ServerConnection


@pytest.mark.parametrize("base", ["http://127.0.0.1:8443", "https://returns.example:8443/",
                                  "https://example.org/returndesk", "https://example.org/returndesk/"])
@pytest.mark.parametrize("path", ["/api/v1/session", "/api/v1/rpc/inspection/record_unit",
                                  "/api/v1/station?name=Counter%201", "/api/v1/shop/returns/R0000012340"])
def test_each_path_goes_where_httpx_would_send_it_and_is_parsed_once(base, path):
    connection = ServerConnection(base)
    url = connection._url(path)
    # What httpx makes of the same path against the client's base address.
    assert url == connection._client.build_request("GET", path).url
    assert connection._url(path) is url
