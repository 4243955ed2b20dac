"""`returndesk screenshots` renders the dialogs and every registered screen with demo data."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from returndesk.ui import navigation


@pytest.mark.slow
def test_screenshots_command_renders_every_registered_screen(tmp_path):
    out = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "returndesk.cli", "screenshots", "--out", str(out), "--lang", "en"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]

    expected = {"first_start.png", "first_start_server.png", "server_certificate.png", "sign_in.png",
                "sign_in_wrong_password.png", "help.png"}
    expected |= {f"screen_{entry.key}.png" for entry in navigation.registered()}
    # The return detail page (timeline, documents) and the returns search with filters.
    expected |= {"return_detail.png", "return_detail_documents.png", "return_detail_exchange.png",
                 "screen_returns_search.png"}
    expected |= {f"screen_admin_{tab}.png" for tab in ("policy", "stations", "reasons", "log")}
    # The counter's exchange (chosen, done), no-receipt return and sign-off; the unmatched parcels.
    expected |= {"dialog_exchange.png", "dialog_exchange_done.png", "dialog_blind_return.png",
                 "dialog_sign_off.png", "dialog_parcels.png"}
    expected |= {f"screen_analytics_{tab}.png" for tab in (1, 2, 3, 4)}  # the dashboard's further tabs
    # The master-data screen with a record in its form, and each step of the import wizard.
    expected |= {"screen_master_data_product.png", "screen_master_data_supplier.png", "import_wizard_file.png",
                 "import_wizard_mapping.png", "import_wizard_refused.png", "import_wizard_check.png",
                 "import_wizard_done.png"}
    expected |= {"screen_integrations_keys.png", "screen_finance_journal.png"}  # the finance desk's journal tab
    assert {p.name for p in out.iterdir()} == expected
    listed = {os.path.basename(line) for line in done.stdout.split()}
    assert listed == expected
    for name in expected:
        image = QImage(str(out / name))
        assert not image.isNull(), name
        assert image.width() >= 400 and image.height() >= 200, name
        # Not a blank grab: a real picture has many colours.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20, name
    main = QImage(str(out / "screen_returns.png"))
    assert (main.width(), main.height()) == (1280, 800)
