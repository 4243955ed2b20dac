"""FeedbackBar colours, texts and sounds; the bundled WAV files."""

from __future__ import annotations

import io
import itertools
import struct
import wave

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from returndesk.ui import feedback
from returndesk.ui.feedback import (
    COLOURS,
    BeepSoundPlayer,
    FeedbackBar,
    FeedbackKind,
    Sound,
    default_sound_player,
    sound_file,
    synthesize,
)


class RecordingPlayer:
    def __init__(self) -> None:
        self.played: list[Sound] = []

    def play(self, sound: Sound) -> None:
        self.played.append(sound)


@pytest.fixture
def player() -> RecordingPlayer:
    return RecordingPlayer()


@pytest.fixture
def bar(qtbot, player) -> FeedbackBar:
    widget = FeedbackBar(sound_player=player)
    qtbot.addWidget(widget)
    widget.resize(600, widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def background_at_right_edge(bar: FeedbackBar) -> QColor:
    image = bar.grab().toImage()
    return image.pixelColor(image.width() - 8, image.height() // 2)


@pytest.mark.parametrize(
    ("show", "kind", "sound"),
    [
        ("show_ok", FeedbackKind.OK, Sound.OK),
        ("show_warning", FeedbackKind.WARNING, Sound.WARNING),
        ("show_error", FeedbackKind.ERROR, Sound.ERROR),
    ],
)
def test_each_state_has_its_colour_message_and_sound(qtbot, bar, player, show, kind, sound):
    message = "4006381333931 is not on return R0000012340"
    with qtbot.waitSignal(bar.feedback_shown) as blocker:
        getattr(bar, show)(message)

    assert blocker.args == [kind.value, message]
    assert bar.kind() is kind
    assert bar.displayed_text() == message
    assert player.played == [sound]
    assert background_at_right_edge(bar) == QColor(COLOURS[kind][0])


def test_idle_is_neutral_and_silent(bar, player):
    bar.show_error("Wrong item")
    bar.show_idle("Scan the RMA label")
    assert bar.kind() is FeedbackKind.IDLE
    assert bar.displayed_text() == "Scan the RMA label"
    assert player.played == [Sound.ERROR]
    assert background_at_right_edge(bar) == QColor(COLOURS[FeedbackKind.IDLE][0])
    bar.show_idle()
    assert bar.displayed_text() == "Ready"


def test_a_repeated_message_is_counted_and_sounds_again(bar, player):
    bar.show_error("Wrong item")
    bar.show_error("Wrong item")
    bar.show_error("Wrong item")
    assert bar.repeat_count() == 3
    assert bar.displayed_text() == "Wrong item (×3)"
    assert bar.message() == "Wrong item"
    assert player.played == [Sound.ERROR] * 3

    bar.show_ok("Counted")
    assert bar.repeat_count() == 1
    assert bar.displayed_text() == "Counted"


def test_the_sound_player_can_be_swapped_and_sound_suppressed(bar, player):
    other = RecordingPlayer()
    bar.sound_player = other
    bar.show_warning("Already counted")
    bar.show_feedback(FeedbackKind.ERROR, "quiet", sound=False)
    assert player.played == []
    assert other.played == [Sound.WARNING]


def test_beep_player_beeps_for_warnings_and_errors_only(monkeypatch):
    beeps: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(True)))
    beeper = BeepSoundPlayer()
    beeper.play(Sound.OK)
    assert beeps == []
    beeper.play(Sound.WARNING)
    beeper.play(Sound.ERROR)
    assert beeps == [True, True]


def test_default_player_falls_back_to_the_beep_without_qtmultimedia(qapp, monkeypatch):
    monkeypatch.setattr(feedback, "multimedia_available", lambda: False)
    default_sound_player.cache_clear()
    try:
        assert isinstance(default_sound_player(), BeepSoundPlayer)
    finally:
        default_sound_player.cache_clear()


def _samples(data: bytes) -> tuple[tuple[int, int, int], list[int]]:
    with wave.open(io.BytesIO(data)) as wav:
        params = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
        frames = wav.readframes(wav.getnframes())
    return params, list(struct.unpack(f"<{len(frames) // 2}h", frames))


@pytest.mark.parametrize("sound", list(Sound))
def test_bundled_sound_files_are_what_the_generator_makes(sound):
    path = sound_file(sound)
    assert path.is_file(), f"{path} is missing; run python -m returndesk.ui.feedback"
    params, bundled = _samples(path.read_bytes())
    _, generated = _samples(synthesize(sound))

    assert params == (1, 2, feedback.SAMPLE_RATE)
    assert 0.08 <= len(bundled) / feedback.SAMPLE_RATE <= 0.5  # short enough not to slow scanning
    assert len(bundled) == len(generated)
    # Within one step: another platform's libm may round a sample differently.
    assert max(abs(a - b) for a, b in zip(bundled, generated, strict=True)) <= 1
    assert abs(bundled[0]) < 200 and abs(bundled[-1]) < 200  # soft edges, no click
    assert 8_000 < max(abs(s) for s in bundled) < 32_767  # audible, not clipped


def test_error_sounds_lower_and_longer_than_ok():
    _, ok = _samples(synthesize(Sound.OK))
    _, error = _samples(synthesize(Sound.ERROR))

    def zero_crossings_per_second(samples: list[int]) -> float:
        crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
        return crossings / (len(samples) / feedback.SAMPLE_RATE)

    assert len(error) > 3 * len(ok)
    assert zero_crossings_per_second(error) < zero_crossings_per_second(ok) / 2
