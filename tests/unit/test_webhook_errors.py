"""Why a webhook delivery failed, in words: each kind of failure of the HTTP client or the system
gets its own sentence (what went wrong, what to do), kept as a message with the client's own text
as the technical detail."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from returndesk.domain.messages import dump_text, load_text
from returndesk.services.usecases.webhooks import ERROR_LENGTH, delivery_error

URL = "https://erp.example.com/hooks/returndesk"


@pytest.mark.parametrize(("error", "sentence"), [
    (httpx.ConnectError("[Errno 111] Connection refused"),
     "The receiver at erp.example.com refused the connection or cannot be reached."),
    (ConnectionRefusedError(111, "Connection refused"),
     "The receiver at erp.example.com refused the connection or cannot be reached."),
    (httpx.ReadTimeout("timed out"), "The receiver at erp.example.com did not answer in time."),
    (httpx.ConnectTimeout("timed out"), "The receiver at erp.example.com did not answer in time."),
    (TimeoutError("timed out"), "The receiver at erp.example.com did not answer in time."),
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"),
     "The certificate of the receiver at erp.example.com was not accepted."),
    (ssl.SSLCertVerificationError(1, "certificate verify failed"),
     "The certificate of the receiver at erp.example.com was not accepted."),
    (httpx.ConnectError("[Errno -2] Name or service not known"), "No computer named erp.example.com was found."),
    (socket.gaierror(-3, "Temporary failure in name resolution"), "No computer named erp.example.com was found."),
    (httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'."),
     "The address https://erp.example.com/hooks/returndesk cannot be posted to."),
    (RuntimeError("something else"), "Posting to the receiver at erp.example.com failed."),
])
def test_each_kind_of_failure_is_said_in_words_with_the_clients_text_as_detail(error, sentence):
    said = delivery_error(error, URL)
    first, detail = str(said).split("\n")
    assert first.startswith(sentence)
    assert detail == f"Technical detail: {type(error).__name__}: {error}"
    stored = dump_text(said, ERROR_LENGTH)
    assert len(stored) <= ERROR_LENGTH
    assert load_text(stored) == said and load_text(stored).template == said.template  # read back as a message


def test_a_long_detail_is_cut_so_the_message_still_fits_its_column():
    said = delivery_error(httpx.ConnectError("x" * 5000), "https://" + "h" * 250 + ".example.com/hooks")
    stored = dump_text(said, ERROR_LENGTH)
    assert stored.startswith('{"$message"') and load_text(stored) == said
    assert "Technical detail: ConnectError: xxx" in said
