"""Scale benchmark: the coordinators' pages and an export against a large data set (issue 8: 100,000 trainees,
about 1,000,000 responses), on SQLite or PostgreSQL.

Run from the repository root, either on a fresh database that it seeds with ``flask seed-scale``:

    .venv/bin/python benchmarks/scale_bench.py --trainees 100000 [--database URL]

or on a database already seeded (``--no-seed``). For each page it prints the median wall time of --repeat
requests (in process, through the Flask test client, signed in as the demo coordinator), the number of SQL
statements one request sends, the response size and the peak Python memory allocated during the request
(tracemalloc, in one more untimed request), next to /healthz measured the same way as the baseline.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlcount import Counter  # noqa: E402

from trainer import MIGRATIONS, create_app  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.models import QuestionResponse, User  # noqa: E402
from trainer.services import demo  # noqa: E402

PAGES = [
    ("healthz (baseline)", "/healthz"),
    ("dashboard, by province", "/coordinate/?by=province"),
    ("dashboard, by station, one agency, this year", "/coordinate/?by=station&agency=1&from={year}-01-01"),
    ("dashboard, by module", "/coordinate/?by=module"),
    ("dashboard, by month", "/coordinate/?by=month"),
    ("completion chart (SVG)", "/coordinate/charts/completion.svg?by=province"),
    ("item analysis, border indicators quiz", "/coordinate/items?quiz=border-indicators-quiz"),
    ("scenario analytics, airport escort", "/coordinate/scenarios?scenario=airport-escort"),
    ("indicator mastery, document holding by station",
     "/coordinate/indicators?by=station&indicator=documents-held-by-other"),
    ("indicator mastery, all by cohort", "/coordinate/indicators?by=cohort"),
    ("audit log, first page", "/coordinate/audit"),
    ("export: completion by cohort (CSV)", "/coordinate/export/completion.csv?by=cohort"),
    ("export: completion by cohort (XLSX)", "/coordinate/export/completion.xlsx?by=cohort"),
]



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--database", default=None, help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--no-seed", action="store_true", help="the database is seeded already")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="scale-bench-")
    url = args.database or f"sqlite:///{folder}/scale.sqlite"
    os.environ.setdefault("TRAINER_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "CONTENT_AUTO_RELOAD": False,
                      "CERTIFICATE_KEY_FOLDER": f"{folder}/keys"})
    if not args.no_seed:
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            demo.seed_demo(db.session)
            db.session.commit()
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["seed-scale", "--trainees", str(args.trainees)])
        if result.exit_code:
            raise SystemExit(result.output + str(result.exception or ""))
        print(result.output.rstrip())
        print(f"seed-scale: {time.perf_counter() - started:.0f} s")
    with app.app_context():
        counter = Counter(db.engine)
        people = db.session.scalar(select(func.count()).select_from(User))
        responses = db.session.scalar(select(func.count()).select_from(QuestionResponse))
        token = db.session.scalar(select(User.session_token).where(User.username == "coordinator"))
        db.session.remove()
    print(f"database: {url.split('://')[0]}; {people:,} accounts, {responses:,} question responses")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True
    year = time.gmtime().tm_year
    print(f"{'page':<50} {'median ms':>10} {'SQL':>5} {'KB':>8} {'peak MB':>8}")
    for label, path in PAGES:
        path = path.format(year=year)
        client.get(path)  # warm: content cache, query plans
        times, statements, size = [], 0, 0
        for _ in range(args.repeat):
            counter.count = 0
            start = time.perf_counter()
            response = client.get(path)
            body = response.get_data()
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
            statements, size = counter.count, len(body)
        gc.collect()
        tracemalloc.start()  # a separate run: tracing slows Python down, so it is not timed
        client.get(path).get_data()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{label:<50} {statistics.median(times) * 1000:>10.1f} {statements:>5} {size / 1024:>8.1f} "
              f"{peak / 1024 / 1024:>8.1f}")


if __name__ == "__main__":
    main()
