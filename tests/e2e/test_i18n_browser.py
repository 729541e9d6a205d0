"""Vietnamese first, English second: each person picks a language on the profile (or in the footer)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import flash, sign_in

pytestmark = pytest.mark.browser


def test_switch_to_english_on_the_profile_and_back(as_user, new_context):
    page = as_user("lan.nt")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name="Nguyễn Thị Lan").click()
    expect(page.get_by_role("heading", name="Thông tin cá nhân", level=1)).to_be_visible()
    page.get_by_label("Ngôn ngữ").select_option(label="English")
    page.get_by_role("button", name="Lưu").click()

    expect(flash(page)).to_have_text("Your profile has been saved.")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Profile", level=1)).to_be_visible()
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Home")).to_be_visible()
    expect(menu.get_by_role("link", name="Directives")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    menu.get_by_role("link", name="Tasks", exact=True).click()
    expect(page.get_by_role("heading", name="Tasks", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="My tasks")).to_have_attribute("aria-current", "page")
    row = page.locator("table.table tbody tr").filter(has_text="IPv6")
    expect(row.locator(".badge.in_progress")).to_have_text("In progress")
    expect(page.get_by_role("columnheader", name="Deadline")).to_be_visible()

    # The choice belongs to the person: another browser signing in as her sees English too.
    other = new_context().new_page()
    sign_in(other, "lan.nt")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    other_menu = other.get_by_role("navigation", name="Main menu")
    expect(other_menu.get_by_role("link", name="Tasks", exact=True)).to_be_visible()

    # Back to Vietnamese.
    page.goto("/profile")
    page.get_by_label("Language").select_option(label="Tiếng Việt")
    page.get_by_role("button", name="Save").click()
    expect(flash(page)).to_have_text("Đã lưu thông tin cá nhân.")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    menu = page.get_by_role("navigation", name="Menu chính")
    expect(menu.get_by_role("link", name="Nhiệm vụ", exact=True)).to_be_visible()


def test_footer_switch_before_and_after_signing_in(new_context):
    page = new_context().new_page()
    page.goto("/login")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()

    sign_in(page, "hai.nv")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Bảng điều hành", level=1)).to_be_visible()
