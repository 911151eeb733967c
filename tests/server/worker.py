"""A workstation in its own process: logs in to the station server as one account and appends
its tokens to a record's summary, each a read-modify-write that retries when someone else saved
first (the version counter). Prints how many saves and how many retries it made.

    python -m tests.server.worker URL PREFIX USER PASSWORD RECORD_ID COUNT
"""
from __future__ import annotations

import sys

from app.errors import StaleRecord
from app.server.setup import ServerAddress, login_to_server
from app.services.records import get_record
from app.services.workstation import update_record


def main(argv: list[str]) -> int:
    url, prefix, user, password, record_id, count = argv
    logged = login_to_server(ServerAddress(url, prefix), user, password)
    saves = retries = 0
    try:
        for i in range(int(count)):
            while True:
                rec = get_record(logged.db, "case", int(record_id))
                summary = rec.fields["summary"] + f"[{user}:{i}]"
                try:
                    update_record(logged.db, logged.actor, "case", int(record_id), {"summary": summary},
                                  expected_version=rec.version)
                    saves += 1
                    break
                except StaleRecord:
                    retries += 1
    finally:
        logged.db.close()
    print(saves, retries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
