"""One writer process of the SQLite multi-writer test (reliability.md row 44).

    python -m tests.security.sqlite_writer DATABASE_URL WORKER COUNT

Runs COUNT write transactions through an engine set up by the app's own
`tracker.database.configure_engine` (WAL, busy timeout, BEGIN IMMEDIATE),
each reading then writing as a request does, and prints one JSON line: how
many committed and every OperationalError seen. The table is reflected
rather than imported with the models, so the processes start quickly.
"""
import json
import sys
from datetime import datetime, timezone

from sqlalchemy import MetaData, Table, create_engine, func, insert, select
from sqlalchemy.exc import OperationalError

from tracker.database import configure_engine


def main(url: str, worker: int, count: int) -> None:
    engine = create_engine(url)
    configure_engine(engine)
    attempts = Table("login_attempt", MetaData(), autoload_with=engine)
    committed, errors = 0, []
    for i in range(count):
        try:
            with engine.begin() as conn:
                # A read first: a deferred transaction would fail here when upgrading to a write.
                conn.execute(select(func.count()).select_from(attempts))
                conn.execute(insert(attempts).values(username=f"writer-{worker}-{i}", ip=f"10.0.0.{worker}",
                                                     success=False,
                                                     at=datetime.now(timezone.utc).replace(tzinfo=None)))
            committed += 1
        except OperationalError as error:
            errors.append(str(error.orig))
    engine.dispose()
    print(json.dumps({"worker": worker, "committed": committed, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
