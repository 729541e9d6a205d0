"""Importing the Office's spreadsheet in a real browser: from the Directives page to the preview and back.

The secretary finds the import on the Directives page, uploads the file, reads the problems on the
preview (labelled controls, no serious axe-core violation), leaves the rows with problems out and
imports the others; the new document is then in the list.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.directives.test_import import BAD, GOOD, xlsx
from tests.e2e.helpers import flash
from tests.e2e.test_accessibility import AXE, BLOCKING, UNLABELLED_JS, axe_violations

pytestmark = pytest.mark.browser


def test_import_from_the_directives_page(as_user, tmp_path):
    sheet = tmp_path / "nhiem-vu.xlsx"
    sheet.write_bytes(xlsx(GOOD + BAD))
    page = as_user("thu.lt", bypass_csp=True)
    page.goto("/directives")
    page.get_by_role("link", name="Nhập từ bảng tính").click()
    expect(page).to_have_url(re.compile(r"/directives/import$"))
    axe = AXE.read_text(encoding="utf-8")
    assert page.evaluate(UNLABELLED_JS) == []
    assert not [v for v in axe_violations(page, axe) if v["impact"] in BLOCKING]
    page.get_by_label("Bảng tính (.xlsx hoặc .csv, tối đa 10 MB)").set_input_files(str(sheet))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="Kiểm tra trước khi nhập")).to_be_visible()
    problems = page.locator("table.import-problems tbody tr")
    expect(problems).to_have_count(4)
    expect(problems.first).to_contain_text("Gần nhất: Sở Tài chính")
    assert page.evaluate(UNLABELLED_JS) == []
    blocking = [v for v in axe_violations(page, axe) if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_label("Nhập các dòng còn lại, bỏ qua các dòng có lỗi").check()
    page.get_by_role("button", name="Nhập", exact=True).click()
    expect(flash(page)).to_contain_text("Đã nhập 4 nhiệm vụ trong 2 văn bản mới")
    expect(page.get_by_role("link", name="15/TB-UBND")).to_be_visible()
