def test_smoke(login_as, client):
    c = login_as("admin")
    r = c.get("/admin/units")
    assert r.status_code == 200, r.data[:500]
    assert "Sở Thông tin và Truyền thông" in r.get_data(as_text=True)
    for url in ["/", "/admin/users", "/admin/audit", "/profile", "/password", "/admin/units/new", "/admin/users/new", "/admin/units/2/edit", "/admin/users/2/edit"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.data[:2000])
    r = c.get("/admin/users?q=truyen+thong")
    assert "Nguyễn Văn Hải" in r.get_data(as_text=True)
    staff = login_as("lan.nt")
    assert staff.get("/admin/units").status_code == 403
    assert client.get("/").status_code == 302
    assert client.get("/healthz").status_code == 200
