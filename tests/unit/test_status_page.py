"""The customer's status page gives times in the zone of the site that made the sale, not in UTC."""

from datetime import UTC, date, datetime

from returndesk.server.pages import status_page
from returndesk.services.usecases.integration import CustomerReturnStatus


def _status(zone_name: str) -> CustomerReturnStatus:
    changed = datetime(2026, 12, 2, 20, 30, tzinfo=UTC)  # 04:30 next day in Shanghai
    return CustomerReturnStatus("R-000001", "authorized", "SO-1", changed, changed, date(2026, 12, 16),
                                None, None, None, "CNY", zone_name)


def test_the_time_since_the_last_change_is_the_sites_wall_clock():
    page = status_page("zh", status=_status("Asia/Shanghai"))
    assert "2026-12-03 04:30" in page and "UTC" not in page


def test_another_sites_zone_gives_its_own_wall_clock():
    page = status_page("en", status=_status("Europe/Berlin"))
    assert "2026-12-02 21:30" in page
