"""Small things an office notices (issue 17): the header says who the person is, a favicon, the admin's
home page and a menu that fits."""
from __future__ import annotations

from tests.pages import doc, t


def test_the_header_shows_the_users_title(login_as):
    page = login_as("nga.tt").get("/tasks")
    assert " ".join(doc(page).xpath("//span[@class='who-meta']")[0].text_content().split()).startswith(
        "Phó Chủ tịch UBND tỉnh ·")


def test_a_favicon_everywhere_even_signed_out(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert doc(client.get("/login")).xpath("//link[@rel='icon']/@href") == ["/static/favicon.svg"]


def test_the_admin_has_a_home_page_and_one_menu_entry(login_as):
    admin = login_as("admin")
    page = admin.get("/admin/")
    assert page.status_code == 200
    assert admin.get("/admin").status_code in (200, 308)
    links = doc(page).xpath("//main//h2/a/@href")
    assert links == ["/admin/units", "/admin/users", "/admin/calendar", "/admin/audit"]
    menu = doc(page).xpath("//nav[contains(@class, 'menu')]//a")
    assert [a.text_content().strip() for a in menu][-1] == t("Administration")
    assert menu[-1].get("aria-current") == "page"
    assert len(menu) == 5  # home, dashboard, tasks, directives, administration
    assert login_as("nga.tt").get("/admin/").status_code == 403
