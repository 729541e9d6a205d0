"""The WSGI app the concurrency tests serve with gunicorn: the testing config over a given database.

    TRACKER_TEST_DATABASE=sqlite:////tmp/x.db gunicorn -w 3 tests.security.server_app:app

CSRF is off (the testing config), as the tests drive the forms with a plain HTTP client.
"""
import os

from tracker import create_app

app = create_app(
    "testing",
    SQLALCHEMY_DATABASE_URI=os.environ["TRACKER_TEST_DATABASE"],
    UPLOAD_FOLDER=os.environ.get("TRACKER_TEST_UPLOADS", "/tmp/tracker-test-uploads"),
    OUTBOX_FOLDER=os.environ.get("TRACKER_TEST_OUTBOX", "/tmp/tracker-test-outbox"),
    PROPAGATE_TEST_ERRORS=False,  # answer 500 like production instead of raising into gunicorn
)
