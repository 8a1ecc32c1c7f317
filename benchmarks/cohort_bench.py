"""Cohort benchmark: the progress matrix of a 200-trainee cohort against 7 modules, its CSV export, and a ZIP of
200 certificates, in process through the Flask test client.

Run from the repository root:

    .venv/bin/python benchmarks/cohort_bench.py [--trainees 200] [--repeat 5] [--database URL]

It builds a throw-away SQLite database (or uses the empty database at --database, e.g. a PostgreSQL one made for
the run), seeds the demo accounts, one cohort with --trainees trainees and every module assigned, mixed progress
(lessons, quiz attempts with answers, completions, attendance) and completes enough of them to issue certificates.
It prints, per measurement: median wall time, SQL statements per request, and a baseline in the same run
(the /healthz page and a 1-trainee cohort page), so the ratios hold across machines.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlcount import Counter  # noqa: E402

from trainer import MIGRATIONS, create_app  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.models import (  # noqa: E402
    Assignment,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortKind,
    CohortTrainer,
    Enrolment,
    EnrolmentSource,
    Role,
    TrainingSession,
    User,
    UserRole,
)
from trainer.models.base import utcnow  # noqa: E402
from trainer.services import completion, demo  # noqa: E402
from trainer.services.activation import NO_PASSWORD  # noqa: E402
from trainer.services.demo_cascade import _Seeder  # noqa: E402


def build(app, trainees: int) -> tuple[int, int, int]:
    """A big cohort with mixed progress, a one-trainee cohort (the baseline), and a cohort where everyone has
    finished (for the certificates ZIP); return their ids."""
    import random

    with app.app_context(), app.test_request_context():
        demo.seed_demo(db.session)
        content = app.extensions["content"].get()
        modules = [m.id for m in content.ordered_modules()]
        trainer = db.session.scalar(select(User).where(User.username == "trainer"))
        seeder = _Seeder(db.session, content, random.Random(7), utcnow().date())
        ids = []
        for size, everyone in ((trainees, False), (1, False), (trainees, True)):
            cohort = Cohort(kind=CohortKind.COURSE, name=f"Bench {size}{' done' if everyone else ''}",
                            agency_id=trainer.agency_id,
                            min_attendance=50)
            cohort.trainer_links = [CohortTrainer(user_id=trainer.id, position=0)]
            cohort.assignments = [Assignment(module_id=m, position=i) for i, m in enumerate(modules)]
            db.session.add(cohort)
            db.session.flush()
            sessions = [TrainingSession(cohort_id=cohort.id, held_on=utcnow().date(), topic=f"S{i}", place="")
                        for i in range(3)]
            db.session.add_all(sessions)
            for index in range(size):
                person = User(username=f"b{len(ids)}-{index:04d}", full_name=f"Trainee {index:04d}",
                              password_hash=NO_PASSWORD, agency_id=trainer.agency_id)
                person.role_links = [UserRole(role=Role.TRAINEE)]
                db.session.add(person)
                db.session.flush()
                db.session.add(Enrolment(cohort_id=cohort.id, user_id=person.id, source=EnrolmentSource.ROSTER))
                finisher = everyone or index % 3 == 0
                seeder.learning(person, tuple(modules), utcnow().date(), finisher)
                for held in sessions:
                    db.session.add(Attendance(session=held, user_id=person.id, status=AttendanceStatus.PRESENT
                                              if finisher or index % 2 else AttendanceStatus.ABSENT))
            db.session.flush()
            completion.refresh(db.session, cohort, utcnow().date())  # issues the finishers' certificates
            ids.append(cohort.id)
        db.session.commit()
        return ids[0], ids[1], ids[2]



def measure(client, counter: Counter, path: str, repeat: int) -> tuple[float, int, int]:
    times, statements, size = [], 0, 0
    for _ in range(repeat):
        counter.count = 0
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
        statements, size = counter.count, len(response.get_data())
    return statistics.median(times), statements, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cohort-bench-")
    url = args.database or f"sqlite:///{folder}/bench.sqlite"
    os.environ.setdefault("TRAINER_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "CONTENT_AUTO_RELOAD": False,
                      "CERTIFICATE_KEY_FOLDER": f"{folder}/keys", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
    started = time.perf_counter()
    big, small, done = build(app, args.trainees)
    print(f"database: {url.split('://')[0]}; seeded {args.trainees} trainees x 7 modules in "
          f"{time.perf_counter() - started:.1f} s")
    with app.app_context():
        counter = Counter(db.engine)
        trainer_token = db.session.scalar(select(User.session_token).where(User.username == "trainer"))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = trainer_token, True
    rows = [("healthz (baseline)", "/healthz"), ("cohort page, 1 trainee (baseline)", f"/cohorts/{small}"),
            (f"cohort page, {args.trainees} trainees x 7 modules", f"/cohorts/{big}"),
            (f"progress CSV, {args.trainees} trainees", f"/cohorts/{big}/progress.csv"),
            ("cascade page", "/cohorts/cascade")]
    client.get("/healthz")
    results = {}
    print(f"{'measurement':<44} {'median ms':>10} {'SQL':>5} {'KB':>7}")
    for label, path in rows:
        seconds, statements, size = measure(client, counter, path, args.repeat)
        results[label] = seconds
        print(f"{label:<44} {seconds * 1000:>10.1f} {statements:>5} {size / 1024:>7.1f}")
    base = results["cohort page, 1 trainee (baseline)"]
    print(f"ratio: {args.trainees}-trainee page / 1-trainee page = "
          f"{results[f'cohort page, {args.trainees} trainees x 7 modules'] / base:.1f}x")
    start = time.perf_counter()
    response = client.get(f"/certificates/cohort/{done}.zip")
    elapsed = time.perf_counter() - start
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        count = len(archive.namelist())
    print(f"certificates ZIP: {count} certificates, {len(response.get_data()) / 1024 / 1024:.1f} MB in "
          f"{elapsed:.1f} s = {count / elapsed:.1f} certificates/s")


if __name__ == "__main__":
    main()
