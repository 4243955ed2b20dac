"""Sign-ins when a whole shift arrives at once: the server checks a few passwords at a time off its
event loop and answers the rest "busy" (503, Retry-After); the station tries again by itself."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from argon2 import PasswordHasher
from returndesk.api.remote import ServerConnection
from returndesk.domain.errors import ServerBusy
from returndesk.server.app import SignInGate, sign_in_slots
from returndesk.services.usecases import auth


def test_password_hashes_carry_their_parameters_and_old_ones_still_verify():
    hasher = PasswordHasher(time_cost=auth.PASSWORD_TIME_COST, memory_cost=auth.PASSWORD_MEMORY_KIB,
                            parallelism=auth.PASSWORD_PARALLELISM)
    stored = hasher.hash("correct horse")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    older = PasswordHasher().hash("correct horse")  # argon2-cffi's default profile (64 MiB)
    assert hasher.verify(older, "correct horse")
    assert hasher.check_needs_rehash(older)  # rehashed at today's cost on the next sign-in
    assert not hasher.check_needs_rehash(stored)


def test_the_gate_runs_a_few_sign_ins_at_once_and_answers_the_rest_busy():
    started, release = threading.Event(), threading.Event()
    threads: list[str] = []

    def slow_check(name: str) -> str:
        threads.append(threading.current_thread().name)
        started.set()
        release.wait()
        return name

    async def shift() -> tuple[str, BaseException | None, str]:
        gate = SignInGate(1, wait_seconds=0.05)
        first = asyncio.ensure_future(gate.run(slow_check, "first"))
        await asyncio.get_running_loop().run_in_executor(None, started.wait)
        refused: BaseException | None = None
        try:
            await gate.run(slow_check, "second")
        except ServerBusy as exc:
            refused = exc
        release.set()
        done = await first
        again = await gate.run(slow_check, "third")  # the slot is free again
        return done, refused, again

    done, refused, again = asyncio.run(shift())
    assert (done, again) == ("first", "third")
    assert isinstance(refused, ServerBusy) and "busy" in refused.message
    assert threading.main_thread().name not in threads  # never on the event loop's thread


def test_sign_in_slots_follow_the_setting(monkeypatch):
    monkeypatch.setenv("RETURNDESK_SIGN_IN_SLOTS", "3")
    assert sign_in_slots() == 3
    monkeypatch.setenv("RETURNDESK_SIGN_IN_SLOTS", "zero")
    assert sign_in_slots() >= 1


def test_the_station_tries_again_while_the_server_is_busy_and_says_so():
    answers = iter([
        httpx.Response(503, headers={"Retry-After": "0.01"},
                       json={"error": "ServerBusy", "message": "The server is busy signing other people in."}),
        httpx.Response(503, headers={"Retry-After": "0.01"},
                       json={"error": "ServerBusy", "message": "The server is busy signing other people in."}),
        httpx.Response(200, json={"token": "t0k", "expires_at": "2026-01-01T00:00:00+00:00",
                                  "user": {"id": 7, "username": "amy", "display_name": "Amy", "role": "clerk",
                                           "approval_limit_minor": 0, "station": "S1"}}),
    ])
    connection = ServerConnection("http://127.0.0.1:1", station="S1")
    connection._client = httpx.Client(base_url="http://127.0.0.1:1",
                                      transport=httpx.MockTransport(lambda _request: next(answers)))
    told: list[int] = []
    actor = connection.sign_in("amy", "secret password", on_busy=told.append)
    assert actor.username == "amy" and connection.token == "t0k"
    assert told == [1, 2]


def test_a_station_gives_up_with_the_sentence_when_the_server_stays_busy(monkeypatch):
    import returndesk.api.remote as remote

    monkeypatch.setattr(remote, "SIGN_IN_PATIENCE_SECONDS", 0.0)
    connection = ServerConnection("http://127.0.0.1:1", station="S1")
    connection._client = httpx.Client(base_url="http://127.0.0.1:1", transport=httpx.MockTransport(
        lambda _request: httpx.Response(503, headers={"Retry-After": "1"},
                                        json={"error": "ServerBusy", "message": "The server is busy."})))
    with pytest.raises(ServerBusy, match="busy"):
        connection.sign_in("amy", "secret password")
