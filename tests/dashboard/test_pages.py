"""The dashboard pages: who may see them, and every figure's link opens a list of exactly that many tasks."""
from __future__ import annotations

import html
import re

import pytest

from tests.dashboard.conftest import PAST, listed_ids

FIGURE_LINK = re.compile(r'<a\b[^>]*\bhref="(/tasks\?[^"]*)"[^>]*>(.*?)</a>', re.S)
TAG = re.compile(r"<[^>]+>")
NUMBER = re.compile(r"\d+")


def figure_links(page: str) -> dict[str, int]:
    """Every link to the task list whose text shows a number: {url: number}."""
    found: dict[str, int] = {}
    for href, inner in FIGURE_LINK.findall(page):
        text = html.unescape(TAG.sub(" ", inner))
        match = NUMBER.search(text)
        if match is None:
            continue  # a unit name linking to its list, a "see all" without a count...
        url = html.unescape(href)
        number = int(match.group())
        assert found.get(url, number) == number, f"{url} shown as {found[url]} and {number}"
        found[url] = number
    return found


_checked: dict[tuple[str, str], int] = {}  # (user, list url) -> tasks listed: the world is read-only


def check_links(client, page_url: str, minimum: int, user: str) -> dict[str, int]:
    """Open the page, then every task list its figures link to: each lists exactly the figure's number of tasks."""
    response = client.get(page_url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    links = figure_links(response.get_data(as_text=True))
    assert len(links) >= minimum, sorted(links)
    for url, number in links.items():
        if (user, url) not in _checked:
            _checked[user, url] = len(listed_ids(client, url))
        assert _checked[user, url] == number, (page_url, url)
    return links


def test_every_figure_links_to_a_list_of_that_many_tasks_today(client_for, world):
    nga = client_for("nga.tt")
    links = check_links(nga, "/dashboard", 60, "nga.tt")
    assert 12 in links.values() and links[next(u for u in links if "status=" not in u and "lead_unit_only" not in u
                                              and "directive=" not in u and "done_from" not in u)] == 12


def test_every_figure_links_to_a_list_of_that_many_tasks_in_the_past(client_for, world):
    nga = client_for("nga.tt")
    check_links(nga, f"/dashboard?as_of={PAST.isoformat()}", 50, "nga.tt")
    check_links(nga, f"/dashboard?as_of={PAST.isoformat()}&period=quarter&year=2024&quarter=1", 20, "nga.tt")
    check_links(nga, "/dashboard?period=custom&start=2024-06-01&end=2024-06-30&tag=chuyen+doi+so", 20, "nga.tt")


def test_filtered_dashboards_link_to_their_lists(client_for, world):
    nga = client_for("nga.tt")
    u = world.units
    check_links(nga, f"/dashboard?issuing_unit={u['STTTT'].id}", 5, "nga.tt")
    check_links(nga, f"/dashboard?lead_unit={u['STTTT'].id}&period=year&year=2024", 20, "nga.tt")
    check_links(nga, f"/dashboard?directive={world.directives['D1'].id}&as_of=2024-02-29", 20, "nga.tt")
    check_links(nga, f"/dashboard/print?as_of={PAST.isoformat()}", 10, "nga.tt")


def test_unit_dashboard_links(client_for, world):
    check_links(client_for("hai.nv"), "/dashboard/unit", 20, "hai.nv")
    check_links(client_for("binh.lv"), f"/dashboard/unit?as_of={PAST.isoformat()}", 10, "binh.lv")
    lan = client_for("lan.nt")
    links = check_links(lan, "/", 10, "lan.nt")  # staff land on their unit dashboard, "my tasks" first
    page = lan.get("/").get_data(as_text=True)
    assert page.index('id="mine-h"') < page.index('id="lead-h"')
    assert world.tasks["T8"].title in html.unescape(page)
    assert any("view=mine" in url for url in links)


def test_totals_shown_match_the_hand_count(client_for, world):
    page = client_for("nga.tt").get("/dashboard").get_data(as_text=True)
    cards = dict((label.strip(), int(n)) for n, label in re.findall(
        r'<span class="n">(\d+)</span><span class="l">([^<]+)</span>', page))
    assert list(cards.values()) == [12, 2, 2, 5, 2, 1, 2]
    past = client_for("nga.tt").get(f"/dashboard?as_of={PAST.isoformat()}").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'<span class="n">(\d+)</span>', past)] == [11, 1, 0, 7, 3, 0, 1]


def test_department_leader_sees_only_their_department(client_for, world):
    binh = client_for("binh.lv")
    page = html.unescape(binh.get("/dashboard").get_data(as_text=True))
    assert [int(n) for n in re.findall(r'<span class="n">(\d+)</span>', page)][:1] == [2]
    for other in ("T1", "T3", "T8", "T10", "T13"):
        assert world.tasks[other].title not in page
    assert "Sở Nội vụ" in page
    links = check_links(binh, "/dashboard", 10, "binh.lv")
    seen = set().union(*(listed_ids(binh, url) for url in links))
    assert seen <= world.ids("T4", "T5")
    assert binh.get(f"/dashboard?lead_unit={world.units['STTTT'].id}").status_code == 403
    assert binh.get(f"/dashboard/unit?unit={world.units['STTTT'].id}").status_code == 403


@pytest.mark.parametrize("url", ["/dashboard", "/dashboard/print", "/dashboard/export.xlsx", "/dashboard/export.csv",
                                 "/dashboard/export.csv?table=units", "/dashboard/report.docx"])
def test_staff_get_403_on_the_leader_dashboard_and_its_exports(client_for, world, url):
    assert client_for("lan.nt").get(url).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(app, world):
    response = app.test_client().get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["nga.tt", "thu.lt", "admin"])
def test_leaders_secretaries_and_admins_land_on_the_dashboard(client_for, world, username):
    c = client_for(username)
    page = c.get("/").get_data(as_text=True)
    assert 'id="totals-h"' in page and 'id="trend-h"' in page
    assert 'href="/dashboard"' in page  # the menu entry


def test_staff_menu_has_no_dashboard_entry(client_for, world):
    page = client_for("lan.nt").get("/").get_data(as_text=True)
    menu = page[page.index('<nav class="menu"'):page.index("</nav>", page.index('<nav class="menu"'))]
    assert "/dashboard" not in menu


def test_charts_are_inline_svg_with_text_alternatives_and_no_inline_style(client_for, world):
    response = client_for("nga.tt").get("/dashboard")
    page = response.get_data(as_text=True)
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    charts = [s for s in svgs if 'class="chart' in s]
    assert len(charts) >= 5
    for svg in charts:
        assert re.search(r'role="group" aria-labelledby="([\w-]+)-t \1-d"', svg)  # group: its bars are links
        assert "<title" in svg and "<desc" in svg
    assert " style=" not in page and "<style" not in page
    # Nothing is loaded from elsewhere (the CSRF token is random text: look at the addresses only).
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert "<script>" not in page and not [a for a in addresses if "cdn" in a.lower() or a.startswith(("http:", "https:", "//"))]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    # colours are the shared status classes
    assert 'class="st-overdue"' in page and 'class="st-done_on_time"' in page
    # the figures' tables sit beside the charts
    assert 'class="trend-table"' in page and "figures-table" in page


def test_invalid_filters_are_ignored_with_a_message(client_for, world):
    c = client_for("nga.tt")
    assert c.get("/dashboard?as_of=not-a-date&period=custom&start=2024-05-01&end=2024-04-01").status_code == 200
    assert c.get("/dashboard?as_of=2999-01-01&period=month&year=1&month=13").status_code == 200
    assert c.get("/dashboard?dpage=999").status_code == 200


def test_print_page_lists_overdue_tasks_with_their_reasons(client_for, world):
    page = html.unescape(client_for("nga.tt").get("/dashboard/print").get_data(as_text=True))
    assert "-Thiếu biên chế để triển khai." in page  # T5's latest reported difficulty
    assert world.tasks["T10"].title in page
    assert page.index(world.tasks["T10"].title) < page.index(world.tasks["T5"].title)  # most overdue first



def unit_table(page: str) -> dict[str, str]:
    """The "status by lead unit" table: {unit cell text: total}."""
    from lxml import html as lxml_html
    tree = lxml_html.fromstring(page)
    rows = tree.xpath("//section[@aria-labelledby='units-h']//table//tbody/tr")
    return {" ".join(r.xpath("./td[1]")[0].text_content().split()): r.xpath("./td[2]")[0].text_content().strip()
            for r in rows}


def test_units_directly_under_the_viewer_each_counting_its_subtree(client_for, world):
    from sqlalchemy import select

    from tracker.database import db
    from tracker.models import Unit

    u = world.units
    nga = client_for("nga.tt")
    page = nga.get("/dashboard").get_data(as_text=True)
    table = unit_table(page)
    from tests.pages import t
    below = t("units under it") + " ›"
    # The province's departments, districts...: each of its own, never a division beside them.
    children = db.session.scalars(select(Unit).where(Unit.parent_id == u["UBND"].id, Unit.active.is_(True))).all()
    names = {" ".join(name.replace(below, "").split()) for name in table}
    assert names == {c.display_name for c in children}
    assert u["STTTT-CNTT"].display_name not in names
    sttt = next(name for name in table if name.startswith(u["STTTT"].display_name))
    assert table[sttt] == "7" and below in sttt  # T12, led by its IT division, counted under it
    assert sum(int(n) for n in table.values()) == 12
    # Units with no task appear with zeros, and out of the ranking.
    idle = [c for c in children if not any(t.lead_unit.path.startswith(c.path) for t in world.tasks.values()
                                           if t.directive.published)]
    assert idle
    for c in idle:
        assert next(n for name, n in table.items() if name.startswith(c.display_name)) == "0"
    from lxml import html as lxml_html
    ranking = " ".join(lxml_html.fromstring(page).xpath("//section[@aria-labelledby='ranking-h']")[0]
                       .text_content().split())
    assert not any(c.display_name in ranking for c in idle)
    # The level below, on demand: the department's own tasks, then its divisions.
    deeper = nga.get(f"/dashboard?lead_unit={u['STTTT'].id}").get_data(as_text=True)
    table = unit_table(deeper)
    first = next(iter(table))
    assert first == f"{u['STTTT'].display_name} ({t('led by the unit itself')})" and table[first] == "6"
    cntt = next(name for name in table if name.startswith(u["STTTT-CNTT"].display_name))
    assert table[cntt] == "1"
    assert sum(int(n) for n in table.values()) == 7
