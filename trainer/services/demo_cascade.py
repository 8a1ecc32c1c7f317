"""Demo cohorts: a realistic cascade from the master trainer's ToT down to front-line courses, with mixed progress,
so every cohort, cascade and progress page has something to show. Deterministic (fixed random seed) and
idempotent (does nothing when the master ToT cohort exists).

Progress is written as the rows the platform itself keeps (lessons read, quiz attempts with their drawn questions
and scored answers, module completions, attendance); completions of cohorts then come from the completion
service, like everywhere else.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.content.loader import ContentSet
from trainer.models import (
    Agency,
    Assignment,
    AttemptStatus,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortKind,
    CohortStatus,
    CohortTrainer,
    DutyStation,
    Enrolment,
    EnrolmentSource,
    LessonProgress,
    ModuleCompletion,
    QuestionResponse,
    QuizAttempt,
    Role,
    TrainerQualification,
    TrainingSession,
    User,
    UserRole,
)
from trainer.services import completion, rollups
from trainer.services.activation import NO_PASSWORD
from trainer.services.attempts import draw
from trainer.services.tx import transaction

MASTER_TOT = "National ToT 2026: master trainers"
GIVEN = ["Batbold", "Saraa", "Dulamsuren", "Ganzorig", "Tsetseg", "Naranbaatar", "Oyuntsetseg", "Temuulen",
         "Bolormaa", "Erdenebat", "Khulan", "Munkhbat", "Nomin", "Sukhbat", "Uranchimeg", "Zolzaya", "Altangerel",
         "Enkhbayar", "Gerelmaa", "Purevdorj"]
FAMILY = ["Dorj", "Bat", "Gantulga", "Tseren", "Damdin", "Ochir", "Luvsan", "Sodnom", "Jargal", "Bayar"]


@dataclass(frozen=True)
class Plan:
    name: str
    kind: CohortKind
    station: str
    agency: str
    size: int
    modules: tuple[str, ...]
    started_days_ago: int
    min_attendance: int
    progress: float  # share of trainees who finish everything


def seed_demo_cascade(session: Session, content: ContentSet, today: date | None = None) -> int:
    """Create the demo cascade; returns the number of cohorts created (0 if it is there already)."""
    if session.scalar(select(Cohort.id).where(Cohort.name == MASTER_TOT)) is not None:
        return 0
    today = today or datetime.now(timezone.utc).date()
    master = session.scalar(select(User).where(User.username == "trainer"))
    trainee = session.scalar(select(User).where(User.username == "trainee"))
    if master is None or trainee is None:
        return 0
    rng = random.Random(2026)
    modules = [m.id for m in content.ordered_modules()]
    core = tuple(m for m in modules if m != "training-of-trainers")
    with transaction(session):
        seeder = _Seeder(session, content, rng, today)
        tot = seeder.cohort(Plan(MASTER_TOT, CohortKind.TOT, "Headquarters, Ulaanbaatar", "IAM", 8, tuple(modules),
                                 120, 75, 0.75), master, None)
        graduates = [e.user for e in tot.enrolments if e.completed_at is not None][:3]
        for graduate in graduates:
            seeder.promote(graduate, tot)
        zamiin = seeder.cohort(Plan("Zamiin-Uud road crossing: course, spring 2026", CohortKind.COURSE,
                                    "Zamiin-Uud road crossing", "GABP", 14, core[:4], 60, 60, 0.45),
                               graduates[0], tot, extra=[trainee])
        seeder.cohort(Plan("Altanbulag crossing: course, summer 2026", CohortKind.COURSE, "Altanbulag crossing",
                           "GABP", 10, core[:3], 45, 50, 0.6), graduates[1], tot)
        second_tot = seeder.cohort(Plan("Selenge ToT: second generation", CohortKind.TOT,
                                        "Sükhbaatar railway crossing", "GABP", 5, tuple(modules), 90, 75, 0.6),
                                   graduates[2], tot)
        third = [e.user for e in second_tot.enrolments if e.completed_at is not None][:1]
        for graduate in third:
            seeder.promote(graduate, second_tot)
            seeder.cohort(Plan("Sükhbaatar railway crossing: course, autumn 2026", CohortKind.COURSE,
                               "Sükhbaatar railway crossing", "GABP", 9, core[:3], 20, 50, 0.3), graduate, second_tot)
        seeder.cohort(Plan("Airport immigration desk: course, autumn 2026", CohortKind.COURSE,
                           "Chinggis Khaan International Airport", "IAM", 8, core[1:4], 10, 0, 0.1), master, None)
        zamiin.join_code, zamiin.join_enabled = "ZAMIIN26", True
        session.flush()
        rollups.rebuild(session)  # the rows above were written directly: bring the report totals in step
    return seeder.created


class _Seeder:
    def __init__(self, session: Session, content: ContentSet, rng: random.Random, today: date) -> None:
        self.session, self.content, self.rng, self.today = session, content, rng, today
        self.agencies = {a.code: a for a in session.scalars(select(Agency))}
        self.stations = {s.name: s for s in session.scalars(select(DutyStation))}
        self.count = 0
        self.created = 0

    def person(self, plan: Plan) -> User:
        self.count += 1
        given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
        user = User(username=f"officer{self.count:03d}", full_name=f"{family}yn {given}", password_hash=NO_PASSWORD,
                    agency_id=self.agencies[plan.agency].id, duty_station_id=self.stations[plan.station].id,
                    preferred_language=self.rng.choice(["mn", "mn", "mn", "ru", "en"]))
        user.role_links = [UserRole(role=Role.TRAINEE)]
        self.session.add(user)
        return user

    def cohort(self, plan: Plan, lead: User, parent: Cohort | None, extra: list[User] = ()) -> Cohort:
        start = self.today - timedelta(days=plan.started_days_ago)
        cohort = Cohort(kind=plan.kind, name=plan.name, agency_id=self.agencies[plan.agency].id,
                        duty_station_id=self.stations[plan.station].id, start_on=start, end_on=start + timedelta(90),
                        status=CohortStatus.ACTIVE, min_attendance=plan.min_attendance, parent_id=parent.id if parent
                        else None, created_by_id=lead.id)
        cohort.trainer_links = [CohortTrainer(user_id=lead.id, position=0)]
        cohort.assignments = [Assignment(module_id=m, position=i, due_on=start + timedelta(days=14 * (i + 1)))
                              for i, m in enumerate(plan.modules)]
        self.session.add(cohort)
        people = [self.person(plan) for _ in range(plan.size)] + list(extra)
        self.session.flush()
        sessions = [TrainingSession(cohort_id=cohort.id, held_on=start + timedelta(days=7 * (i + 1)),
                                    topic=f"In-person session {i + 1}", place=plan.station) for i in range(3)]
        self.session.add_all(sessions)
        for person in people:
            self.session.add(Enrolment(cohort_id=cohort.id, user_id=person.id, source=EnrolmentSource.ROSTER,
                                       enrolled_at=_moment(start)))
            finisher = self.rng.random() < plan.progress and person.username != "trainee"
            self.learning(person, plan.modules, start, finisher)
            for held in sessions:
                if held.held_on <= self.today:
                    present = finisher or self.rng.random() < 0.6
                    self.session.add(Attendance(session=held, user_id=person.id, status=AttendanceStatus.PRESENT
                                                if present else self.rng.choice([AttendanceStatus.ABSENT,
                                                                                 AttendanceStatus.EXCUSED])))
        self.session.flush()
        self.session.expire(cohort)
        completion.refresh(self.session, cohort, self.today)
        self.created += 1
        return cohort

    def learning(self, person: User, modules: tuple[str, ...], start: date, finisher: bool) -> None:
        done = len(modules) if finisher else self.rng.randint(0, max(0, len(modules) - 1))
        for index, module_id in enumerate(modules):
            module = self.content.modules[module_id]
            if index > done or (index == done and self.rng.random() < 0.4):
                break
            moment = _moment(start + timedelta(days=3 + 9 * index))
            lessons = module.lessons if index < done else module.lessons[:self.rng.randint(1, len(module.lessons))]
            for lesson in lessons:
                self.session.add(LessonProgress(user_id=person.id, module_id=module_id, lesson_id=lesson.id,
                                                module_version=module.version, read_at=moment))
            for quiz_id in module.assessments:
                self.attempt(person, module_id, quiz_id, moment, passed=index < done)
            if index < done:
                self.session.add(ModuleCompletion(user_id=person.id, module_id=module_id,
                                                  module_version=module.version, completed_at=moment))

    def attempt(self, person: User, module_id: str, quiz_id: str, moment: datetime, passed: bool) -> None:
        quiz = self.content.quizzes[quiz_id]
        seed = self.rng.randrange(2**31)
        questions = draw(quiz, seed)
        by_id = {q.id: q for pool in quiz.pools for q in pool.questions}
        skill = self.rng.uniform(0.7, 0.98) if passed else self.rng.uniform(0.3, 0.65)
        attempt = QuizAttempt(user_id=person.id, module_id=module_id, module_version=self.content.modules[
            module_id].version, quiz_id=quiz_id, quiz_version=quiz.version, number=1, seed=seed, language="mn",
            settings=quiz.model_dump(mode="json", exclude={"pools"}), questions=questions,
            status=AttemptStatus.SUBMITTED, started_at=moment, submitted_at=moment + timedelta(minutes=18),
            max_score=0.0)
        earned = total = 0.0
        for position, entry in enumerate(questions, start=1):
            question = by_id[entry["question"]["id"]]
            # Harder for everyone: the document-holding indicator, so the weak-topic lists show a pattern.
            chance = skill - (0.25 if "documents-held-by-other" in question.indicators else 0)
            score = 1.0 if self.rng.random() < chance else 0.0
            earned += score * question.points
            total += question.points
            attempt.responses.append(QuestionResponse(question_id=question.id, position=position, answer=None,
                                                      saved_at=moment, score=score, points=score * question.points,
                                                      indicators=list(question.indicators)))
        attempt.max_score, attempt.score = total, earned
        attempt.percent = round(100 * earned / total, 1) if total else 0.0
        attempt.passed = passed and attempt.percent >= quiz.pass_mark
        if passed and not attempt.passed:
            attempt.score, attempt.percent, attempt.passed = total * quiz.pass_mark / 100, float(quiz.pass_mark), True
        self.session.add(attempt)

    def promote(self, graduate: User, tot: Cohort) -> None:
        self.session.add(TrainerQualification(user_id=graduate.id, cohort_id=tot.id, promoted_by_id=None))
        if not graduate.has_role(Role.TRAINER):
            graduate.role_links.append(UserRole(role=Role.TRAINER))
        self.session.flush()


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=timezone.utc)
