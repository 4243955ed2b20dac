"""The customer's pages in a real browser: headless Chromium (Debian's package) at a phone's width
renders the policy and the status page in Chinese and English, and the picture is kept for a look."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image


pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server and a browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=390,1100"]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: scripts/ensure-services.sh installs Debian's chromium package.")
    return path


def _browse(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url],
                          capture_output=True, text=True, timeout=180, cwd=tmp_path)


@pytest.mark.parametrize("lang,expected", [("zh", "天内可申请退货"), ("en", "days of delivery")])
def test_the_policy_page_renders_on_a_phone(world_server, tmp_path, lang, expected):
    _world, base = world_server
    dom = _browse(f"{base}/policy?lang={lang}", tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert expected in dom.stdout
    shot = tmp_path / f"policy-{lang}.png"
    done = _browse(f"{base}/policy?lang={lang}", tmp_path, f"--screenshot={shot}")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    picture = Image.open(shot).convert("L")
    assert picture.size[0] == 390
    # Text was drawn: the page is not blank (dark pixels of the text on the white page).
    dark = sum(picture.histogram()[:100])
    assert dark > 2000
    out = Path("build/screenshots/server")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, out / f"policy-{lang}.png")


def test_the_status_page_offers_its_form_in_both_languages(world_server, tmp_path):
    _world, base = world_server
    zh = _browse(f"{base}/status?lang=zh", tmp_path, "--dump-dom")
    assert "退货单号" in zh.stdout and 'name="contact"' in zh.stdout
    en = _browse(f"{base}/status?lang=en", tmp_path, "--dump-dom")
    assert "RMA number" in en.stdout and "Look up" in en.stdout
    shot = tmp_path / "status-zh.png"
    assert _browse(f"{base}/status?lang=zh", tmp_path, f"--screenshot={shot}").returncode == 0
    out = Path("build/screenshots/server")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, out / "status-zh.png")
