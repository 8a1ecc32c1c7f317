"""A large, realistic data set for benchmarks: ``flask seed-scale --trainees N``.

On top of the demo data (agencies GABP and IAM, provinces, duty stations, the demo master trainer) it adds 20
more border posts and then N trainees in a training cascade: master ToT cohorts led by the master trainer,
second-generation ToT cohorts led by their graduates, and many course cohorts of 20-40 officers over the last
24 months, each led by a trainer qualified before it started. Everything the platform itself records is
written as the platform would write it: enrolments, attendance, lessons read, quiz attempts with their drawn
questions (``attempts.draw``) and graded answers, scenario runs walked through the real scenario graphs and
graded by the engine, module completions, cohort completions (by the rules of ``services.completion``),
certificates signed like ``services.certificates.issue`` signs them, and the report totals, fed through the
same ``rollups.Totals`` accumulator that ``rollups.rebuild`` uses, so they equal a rebuild.

The answers have structure for the analytics to find: a per-person skill, a per-question difficulty and
discrimination (a few questions discriminate badly or negatively), a handful of questions that are hard in one
language only (a translation problem), and border posts that are weak at recognising documents held by someone
else. Only a share of each course cohort works online (``online_share``; the others attend in person only),
which keeps about ten quiz responses per trainee: 100,000 trainees give about a million responses.

Speed: rows are built as plain dicts with ids assigned here and written with Core ``executemany`` inserts in
chunks; no ORM object per row. One transaction per phase. Deterministic for a given seed and day, except
certificate serials and session tokens, which are random as in production.
"""
from __future__ import annotations

import json
import math
import random
import secrets
import time as clock
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import Table, Text, bindparam, cast, func, insert, select, text, update
from sqlalchemy.orm import Session

from trainer.certificates import serial as serials
from trainer.content import questions as question_types
from trainer.content import scenarios as engine
from trainer.content.loader import ContentSet
from trainer.content.schema import Quiz
from trainer.errors import N_, InvalidInput
from trainer.models import (
    Agency,
    Assignment,
    AttemptStatus,
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateKind,
    CertificateMode,
    Cohort,
    CohortKind,
    CohortStatus,
    CohortTrainer,
    DutyStation,
    Enrolment,
    EnrolmentSource,
    LessonProgress,
    ModuleCompletion,
    Province,
    QuestionResponse,
    QuizAttempt,
    Role,
    RunStatus,
    ScenarioRun,
    ScenarioStep,
    StationKind,
    TrainerQualification,
    TrainingSession,
    User,
    UserRole,
)
from trainer.services import enrolment_totals, rollups
from trainer.services.activation import NO_PASSWORD
from trainer.services.certificates import Issuer, build_data
from trainer.services.tx import transaction

CHUNK = 5000
ONLINE_SHARE = 0.15  # of course-cohort trainees who work online; tuned for ~10 responses per trainee
LANGUAGES = (("mn", 70), ("ru", 15), ("en", 10), (None, 5))
# The indicators of documents held by someone else: the weak posts miss these, in quizzes and scenarios.
DOCUMENT_HOLDING = frozenset({"documents-held-by-other", "companion-holds-documents", "retention-of-documents"})
WEAK_STATIONS = {"Bichigt crossing": 0.35, "Sümber crossing": 0.15, "Zamiin-Uud railway crossing": 0.12}

PROVINCES = [
    ("Bayan-Ölgii", {"mn": "Баян-Өлгий", "ru": "Баян-Улгий"}),
    ("Khovd", {"mn": "Ховд", "ru": "Ховд"}),
    ("Uvs", {"mn": "Увс", "ru": "Убсунур"}),
    ("Zavkhan", {"mn": "Завхан", "ru": "Завхан"}),
    ("Khövsgöl", {"mn": "Хөвсгөл", "ru": "Хубсугул"}),
    ("Dornod", {"mn": "Дорнод", "ru": "Восточный"}),
    ("Sükhbaatar", {"mn": "Сүхбаатар", "ru": "Сухэ-Батор"}),
    ("Ömnögovi", {"mn": "Өмнөговь", "ru": "Южно-Гобийский"}),
    ("Govi-Altai", {"mn": "Говь-Алтай", "ru": "Гоби-Алтай"}),
]
LAND = StationKind.LAND_CROSSING
# name, kind, province, local names, weight among GABP officers, weight among IAM officers
POSTS = [
    ("Tsagaannuur crossing", LAND, "Bayan-Ölgii", "Цагааннуур боомт", "Пункт пропуска Цаганнур", 3, 1),
    ("Dayan crossing", LAND, "Bayan-Ölgii", "Даян боомт", "Пункт пропуска Даян", 1, 0),
    ("Yarant crossing", LAND, "Khovd", "Ярант боомт", "Пункт пропуска Ярант", 2, 0.5),
    ("Bulgan crossing", LAND, "Khovd", "Булган боомт", "Пункт пропуска Булган", 2, 0.5),
    ("Baitag crossing", LAND, "Khovd", "Байтаг боомт", "Пункт пропуска Байтаг", 1, 0),
    ("Khovd airport", StationKind.AIRPORT, "Khovd", "Ховд нисэх буудал", "Аэропорт Ховд", 0.5, 1),
    ("Borshoo crossing", LAND, "Uvs", "Боршоо боомт", "Пункт пропуска Боршоо", 2, 0.5),
    ("Arts Suuri crossing", LAND, "Zavkhan", "Арцсуурь боомт", "Пункт пропуска Арцсуури", 1, 0),
    ("Khankh crossing", LAND, "Khövsgöl", "Ханх боомт", "Пункт пропуска Ханх", 1.5, 0.3),
    ("Zeltura crossing", LAND, "Selenge", "Зэлтэр боомт", "Пункт пропуска Желтура", 1, 0),
    ("Ereentsav crossing", StationKind.RAIL, "Dornod", "Эрээнцав боомт", "Пункт пропуска Эрээнцав", 2, 0.5),
    ("Sümber crossing", LAND, "Dornod", "Сүмбэр боомт", "Пункт пропуска Сумбэр", 2, 0.5),
    ("Bayankhoshuu crossing", LAND, "Dornod", "Баянхошуу боомт", "Пункт пропуска Баянхошуу", 1, 0),
    ("Ulikhan crossing", LAND, "Dornod", "Улихан боомт", "Пункт пропуска Улихан", 1, 0),
    ("Bichigt crossing", LAND, "Sükhbaatar", "Бичигт боомт", "Пункт пропуска Бичигт", 2, 0.5),
    ("Khavirga crossing", LAND, "Sükhbaatar", "Хавирга боомт", "Пункт пропуска Хавирга", 1, 0),
    ("Gashuunsukhait crossing", LAND, "Ömnögovi", "Гашуунсухайт боомт", "Пункт пропуска Гашуунсухайт", 4, 1),
    ("Shiveekhüren crossing", LAND, "Ömnögovi", "Шивээхүрэн боомт", "Пункт пропуска Шивээхурэн", 3, 1),
    ("Khangi crossing", LAND, "Dornogovi", "Ханги боомт", "Пункт пропуска Ханги", 1.5, 0.3),
    ("Burgastai crossing", LAND, "Govi-Altai", "Бургастай боомт", "Пункт пропуска Бургастай", 1, 0),
]
DEMO_WEIGHTS = {  # the demo's six stations: (GABP, IAM)
    "Zamiin-Uud road crossing": (8, 4), "Zamiin-Uud railway crossing": (6, 3), "Altanbulag crossing": (5, 2),
    "Sükhbaatar railway crossing": (5, 2), "Chinggis Khaan International Airport": (2, 8),
    "Headquarters, Ulaanbaatar": (3, 4),
}
GIVEN = ["Batbold", "Saraa", "Dulamsuren", "Ganzorig", "Tsetseg", "Naranbaatar", "Oyuntsetseg", "Temuulen",
         "Bolormaa", "Erdenebat", "Khulan", "Munkhbat", "Nomin", "Sukhbat", "Uranchimeg", "Zolzaya", "Altangerel",
         "Enkhbayar", "Gerelmaa", "Purevdorj", "Anu", "Bat-Ochir", "Davaasuren", "Enkhtuya", "Ganbaatar",
         "Khongorzul", "Lkhagvasuren", "Mönkh-Erdene", "Narantsetseg", "Odgerel", "Sarangerel", "Tögsbayar",
         "Tsogtbaatar", "Unurmaa", "Yesüi", "Zorigt", "Ariunaa", "Baasanjav", "Chuluun", "Delgermaa"]
FAMILY = ["Dorj", "Bat", "Gantulga", "Tseren", "Damdin", "Ochir", "Luvsan", "Sodnom", "Jargal", "Bayar",
          "Tsogt", "Purev", "Sükh", "Baatar", "Naran", "Davaa", "Ganbold", "Enkh", "Khurel", "Amar"]
CHOICE_TYPES = ("single_choice", "multiple_response", "true_false")


# --- plan objects -------------------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Person:
    id: int
    name: str
    agency: int
    station: int
    language: str | None
    skill: float
    online: bool = False
    cohort: _Cohort | None = None
    enrolment: int = 0
    attendance: str = ""  # one letter per session held: P(resent), A(bsent), E(xcused)
    completed_at: datetime | None = None
    qualified: _Cohort | None = None  # the ToT cohort this person graduated from and was promoted by
    promoted_at: datetime | None = None


@dataclass(slots=True, eq=False)
class _Cohort:
    id: int
    kind: CohortKind
    name: str
    agency: int
    station: int
    start: date
    end: date
    status: CohortStatus
    min_attendance: int
    mode: CertificateMode
    validity: int | None
    parent: int | None
    lead_id: int
    lead_name: str
    modules: list[str]
    due: list[date]
    sessions: list[tuple[int, date]] = field(default_factory=list)
    members: list[_Person] = field(default_factory=list)
    online_share: float = 1.0


@dataclass
class _Question:
    id: str
    type: str
    points: float
    indicators: list[str]
    item: dict  # {"pool", "question"}: as attempts.draw builds it
    indicators_json: str
    correct: tuple[dict | None, float, str]  # answer, grade, answer as JSON
    wrong: list[tuple[dict | None, float, str]]
    weights: list[float]
    difficulty: float
    discrimination: float
    language_penalty: dict[str, float]
    document_holding: bool


class _Row:
    """Attribute access over a row dict, for the rollups accumulator (which reads ORM-like objects)."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict) -> None:
        self.__dict__ = values


class _Response:
    """A response as the rollups accumulator reads it."""

    __slots__ = ("question_id", "score", "points", "answer", "indicators")

    def __init__(self, question_id: str, score: float, points: float, answer: dict | None, indicators: list) -> None:
        self.question_id, self.score, self.points, self.answer, self.indicators = \
            question_id, score, points, answer, indicators


# JSON columns that rows hand over already encoded (as ``j_<column>``): the same text SQLAlchemy's JSON type would
# write (json.dumps), but encoded once per distinct value instead of once per row.
ENCODED = {"quiz_attempt": ("questions", "settings"), "question_response": ("answer", "indicators"),
           "scenario_run": ("state",), "scenario_step": ("indicators_present", "indicators_recognised")}


def _statement(table: Table, postgresql: bool):
    columns = ENCODED.get(table.name)
    if not columns:
        return insert(table)
    values = {}
    for name in columns:
        param = bindparam(f"j_{name}", type_=Text)
        values[name] = cast(param, table.c[name].type) if postgresql else param
    return insert(table).values(values)


# --- writing ------------------------------------------------------------------------------------------------------


class _Writer:
    """Row buffers per table, written with executemany in chunks, parents before children."""

    def __init__(self, session: Session, tables: list[Table], counts: Counter, chunk: int) -> None:
        self.session, self.tables, self.counts, self.chunk = session, tables, counts, chunk
        self.buffers: dict[str, list[dict]] = {t.name: [] for t in tables}
        postgresql = session.get_bind().dialect.name == "postgresql"
        self.statements = {t.name: _statement(t, postgresql) for t in tables}

    def add(self, table: Table, row: dict) -> None:
        buffer = self.buffers[table.name]
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        for table in self.tables:
            rows = self.buffers[table.name]
            if rows:
                self.session.execute(self.statements[table.name], rows)
                self.counts[table.name] += len(rows)
                rows.clear()


def _t(model) -> Table:
    return model.__table__


ID_TABLES = [_t(m) for m in (User, Cohort, Assignment, TrainingSession, Enrolment, QuizAttempt, QuestionResponse,
                             ModuleCompletion, ScenarioRun, ScenarioStep, Certificate)]


class _Ids:
    def __init__(self, session: Session) -> None:
        self.next = {t.name: (session.scalar(select(func.max(t.c.id))) or 0) + 1 for t in ID_TABLES}

    def take(self, table: Table) -> int:
        value = self.next[table.name]
        self.next[table.name] = value + 1
        return value


def _fix_sequences(session: Session, tables: Iterable[Table]) -> None:
    """PostgreSQL: ids were assigned here, so move the id sequences past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.c:
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"))


def _moment(day: date, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(9), tzinfo=timezone.utc) + timedelta(minutes=minutes)


def _pick(rng: random.Random, weighted: list[tuple[object, float]]):
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


# --- the questions: answers, grades, difficulty -------------------------------------------------------------------


def _templates(question) -> tuple[dict, list[dict]]:
    """The right answer and some wrong ones, in the shapes the answer parsers produce."""
    kind = question.type
    if kind == "single_choice":
        right = next(o.id for o in question.options if o.correct)
        return {"choice": right}, [{"choice": o.id} for o in question.options if not o.correct]
    if kind == "multiple_response":
        right = sorted(o.id for o in question.options if o.correct)
        wrong = sorted(o.id for o in question.options if not o.correct)
        variants = [{"choices": sorted(set(right) - {r})} for r in right if len(right) > 1]
        variants += [{"choices": sorted([*right, w])} for w in wrong]
        variants += [{"choices": [w]} for w in wrong[:2]]
        return {"choices": right}, variants
    if kind == "true_false":
        return {"value": question.correct}, [{"value": not question.correct}]
    if kind == "numeric":
        off = max(1.0, 2 * question.tolerance + 1)
        return {"value": question.answer}, [{"value": question.answer + off}, {"value": question.answer - 2 * off}]
    if kind == "short_text":
        return {"text": question.accepted[0]}, [{"text": "unsure"}, {"text": question.accepted[0] + " x"}]
    if kind == "matching":
        pairs = {p.id: p.match for p in question.prompts}
        ids = list(pairs)
        variants = []
        for a, b in zip(ids, ids[1:], strict=False):
            if pairs[a] != pairs[b]:
                variants.append({"pairs": {**pairs, a: pairs[b], b: pairs[a]}})
        rotated = [pairs[i] for i in ids[1:] + ids[:1]]
        variants.append({"pairs": dict(zip(ids, rotated, strict=True))})
        return {"pairs": pairs}, variants[:3]
    if kind == "ordering":
        order = [i.id for i in question.items]
        swaps = [order[:i] + [order[i + 1], order[i]] + order[i + 2:] for i in range(min(2, len(order) - 1))]
        return {"order": order}, [{"order": s} for s in swaps] + [{"order": order[::-1]}]
    if kind == "document_inspection":
        offered, key = question.offered(), set(question.key())
        wrong = [o for o in offered if o not in key]
        variants = [{"choices": [wrong[-1]]}] if wrong else []
        if len(key) > 1:
            variants.append({"choices": [o for o in offered if o in key][:1]})
        elif wrong:
            variants.append({"choices": [o for o in offered if o in key or o == wrong[0]]})
        return {"choices": [o for o in offered if o in key]}, variants
    return None, []


class _Bank:
    """Per quiz: the drawable items (as ``attempts.draw`` makes them, but dumped once) and per question the
    answer templates with their grades (from the real grader), difficulty and language penalties."""

    def __init__(self, content: ContentSet, rng: random.Random) -> None:
        self.quizzes: dict[str, Quiz] = content.quizzes
        self.pools: dict[str, list[tuple[int, list[str]]]] = {}
        self.questions: dict[tuple[str, str], _Question] = {}
        self.settings = {q.id: json.dumps(q.model_dump(mode="json", exclude={"pools"}))
                         for q in content.quizzes.values()}
        self.item_json: dict[int, str] = {}
        self.pool_items: dict[str, list[list[dict]]] = {}
        choice_questions = []
        for quiz in content.quizzes.values():
            self.pool_items[quiz.id] = []
            for pool in quiz.pools:
                items = []
                for question in pool.questions:
                    item = {"pool": pool.id, "question": question.model_dump(mode="json")}
                    items.append(item)
                    self.item_json[id(item)] = json.dumps(item)
                    qtype = question_types.get(question.type)
                    right, variants = _templates(question)
                    correct = (right, qtype.grade(question, right).score, json.dumps(right))
                    wrong = [(v, qtype.grade(question, v).score, json.dumps(v)) for v in variants]
                    wrong = [w for w in wrong if w[1] < 1.0] or [(None, 0.0, "null")]
                    weights = [rng.random() ** 2 + 0.05 for _ in wrong]
                    weights[rng.randrange(len(weights))] += 1.0  # one attractive distractor
                    entry = _Question(
                        id=question.id, type=question.type, points=question.points,
                        indicators=list(question.indicators), item=item,
                        indicators_json=json.dumps(list(question.indicators)), correct=correct, wrong=wrong,
                        weights=weights, difficulty=rng.uniform(0.2, 0.8), discrimination=rng.uniform(4, 9),
                        language_penalty={},
                        document_holding=bool(DOCUMENT_HOLDING.intersection(question.indicators)))
                    self.questions[(quiz.id, question.id)] = entry
                    if question.type in CHOICE_TYPES and correct[1] == 1.0:
                        choice_questions.append(entry)
                self.pool_items[quiz.id].append(items)
        everything = list(self.questions.values())
        for entry in rng.sample(everything, min(3, len(everything))):  # poor discriminators
            entry.discrimination = rng.choice([-3.0, -1.5, 0.3])
            entry.difficulty = rng.uniform(0.4, 0.7)
        for entry, language in zip(rng.sample(choice_questions, min(4, len(choice_questions))),
                                   ("ru", "ru", "en", "mn"), strict=False):
            entry.language_penalty[language] = rng.uniform(0.3, 0.45)  # hard only in this language

    def draw(self, quiz_id: str, seed: int) -> list[dict]:
        """Exactly ``attempts.draw(quiz, seed)``, without dumping the questions again."""
        rng = random.Random(seed)
        drawn = []
        for pool, items in zip(self.quizzes[quiz_id].pools, self.pool_items[quiz_id], strict=True):
            drawn.extend(rng.sample(items, pool.draw))
        return drawn

    def encoded(self, drawn: list[dict]) -> str:
        """``json.dumps(drawn)``, from the items encoded once."""
        return "[" + ", ".join(self.item_json[id(item)] for item in drawn) + "]"

    def chance(self, entry: _Question, skill: float, language: str, weakness: float) -> float:
        p = 1 / (1 + math.exp(-entry.discrimination * (skill - entry.difficulty)))
        p -= entry.language_penalty.get(language, 0.0)
        if entry.document_holding:
            p -= weakness
        return min(0.99, max(0.02, p))


# --- scenarios ----------------------------------------------------------------------------------------------------


class _Walker:
    """Walks a scenario's graph for a person; states and results come from the engine, cached by path (the engine
    replays the whole path and recomputes score bounds on each call, and the paths repeat a lot)."""

    def __init__(self, scenario: engine.Scenario) -> None:
        self.scenario = scenario
        self.nodes = {node.id: node for node in scenario.nodes}
        self.states: dict[tuple[str, ...], dict] = {(): dict(engine.start_run(scenario))}
        self.results: dict[tuple[str, ...], engine.Result] = {}
        self.encoded: dict[tuple[str, ...], str] = {}
        self.indicators = {(node.id, choice.id): (json.dumps(list(node.indicators_present)),
                                                  json.dumps(list(choice.indicators)))
                           for node in scenario.nodes for choice in node.choices}

    def state(self, path: tuple[str, ...]) -> dict:
        state = self.states.get(path)
        if state is None:
            state = self.states[path] = dict(engine.choose(self.scenario, self.state(path[:-1]), path[-1]))
        return state

    def state_json(self, path: tuple[str, ...]) -> str:
        encoded = self.encoded.get(path)
        if encoded is None:
            encoded = self.encoded[path] = json.dumps(self.state(path))
        return encoded

    def result(self, path: tuple[str, ...]) -> engine.Result:
        outcome = self.results.get(path)
        if outcome is None:
            outcome = self.results[path] = engine.result(self.scenario, self.state(path))
        return outcome

    def choose(self, rng: random.Random, node: engine.Node, skill: float, weakness: float) -> engine.Choice:
        beta = 0.1 + 0.45 * skill
        weighted = []
        for choice in node.choices:
            weight = math.exp(beta * sum(choice.scores.values()))
            if choice.critical:
                weight *= 1.0 - 0.7 * skill
            if weakness and DOCUMENT_HOLDING.intersection(node.indicators_present) and \
                    DOCUMENT_HOLDING.intersection(choice.indicators):
                weight *= max(0.15, 1.0 - 2 * weakness)
            weighted.append((choice, weight))
        return _pick(rng, weighted)


# --- the seeder ---------------------------------------------------------------------------------------------------


def seed_scale(session: Session, content: ContentSet, issuer: Issuer, trainees: int, seed: int = 2026,
               today: date | None = None, online_share: float = ONLINE_SHARE, chunk: int = CHUNK,
               echo: Callable[[str], object] = print) -> dict[str, dict[str, int]]:
    """Add ``trainees`` officers and everything they did; returns rows written per phase and table."""
    if trainees < 1:
        raise InvalidInput(N_("Give a number of trainees of at least 1."))
    return _Seeder(session, content, issuer, trainees, seed, today, online_share, chunk, echo).run()


class _Seeder:
    def __init__(self, session: Session, content: ContentSet, issuer: Issuer, trainees: int, seed: int,
                 today: date | None, online_share: float, chunk: int, echo: Callable[[str], object]) -> None:
        self.session, self.content, self.issuer = session, content, issuer
        self.trainees, self.seed, self.online_share, self.chunk, self.echo = trainees, seed, online_share, chunk, echo
        self.today = today or datetime.now(timezone.utc).date()
        self.now = datetime.combine(self.today, time(), tzinfo=timezone.utc)  # everything happens before today
        self.rng = random.Random(seed)
        self.report: dict[str, dict[str, int]] = {}
        self.modules = [m.id for m in content.ordered_modules()]
        self.bank = _Bank(content, random.Random(f"{seed}/questions"))
        self.walkers = {s.id: _Walker(s) for s in content.scenarios.values()}
        self.totals = rollups.Totals()

    # phases -----------------------------------------------------------------------------------------------------

    def run(self) -> dict[str, dict[str, int]]:
        started = clock.perf_counter()
        self._phase("reference data", self._reference)
        self._plan()
        self._phase("people", self._people)
        self._phase("cohorts", self._cohorts)
        self._phase("enrolments and attendance", self._enrolments)
        self._phase("learning, scenarios and report totals", self._learning)
        self._phase("certificates", self._certificates)
        self._phase("enrolment totals", lambda writer: enrolment_totals.rebuild(self.session))
        self.echo(f"seed-scale: done in {clock.perf_counter() - started:.1f} s")
        return self.report

    def _phase(self, name: str, work: Callable[[_Writer], None]) -> None:
        started = clock.perf_counter()
        counts: Counter = Counter()
        self.echo(f"{name}...")
        with transaction(self.session):
            writer = _Writer(self.session, self._tables, counts, self.chunk)
            work(writer)
            writer.flush()
            _fix_sequences(self.session, [t for t in ID_TABLES if counts[t.name]])
        self.report[name] = dict(counts)
        rows = ", ".join(f"{table} {n:,}" for table, n in counts.items() if n) or "nothing new"
        self.echo(f"  {name}: {rows} ({clock.perf_counter() - started:.1f} s)")

    _tables = [_t(m) for m in (Province, DutyStation, User, UserRole, Cohort, CohortTrainer, TrainerQualification,
                               Assignment, TrainingSession, Enrolment, Attendance, LessonProgress, QuizAttempt,
                               QuestionResponse, ScenarioRun, ScenarioStep, ModuleCompletion, Certificate)]

    def _reference(self, writer: _Writer) -> None:
        agencies = {code: (agency_id, name, local) for agency_id, code, name, local in self.session.execute(
            select(Agency.id, Agency.code, Agency.name, Agency.local_names))}
        if not {"GABP", "IAM"} <= set(agencies):
            raise InvalidInput(N_("Load the demo data first (flask seed-demo): the agencies are missing."))
        self.agencies = agencies
        provinces = {name: pid for name, pid in self.session.execute(select(Province.name, Province.id))}
        for name, local in PROVINCES:
            if name not in provinces:
                self.session.add(Province(name=name, local_names=local))
                writer.counts["province"] += 1
        self.session.flush()
        provinces = {name: pid for name, pid in self.session.execute(select(Province.name, Province.id))}
        names = set(self.session.scalars(select(DutyStation.name)))
        for name, kind, province, mn, ru, _g, _i in POSTS:
            if name not in names and province in provinces:
                self.session.add(DutyStation(name=name, kind=kind, province_id=provinces[province],
                                             local_names={"mn": mn, "ru": ru}))
                writer.counts["duty_station"] += 1
        self.session.flush()
        master = self.session.execute(
            select(User.id, User.full_name).join(UserRole).where(UserRole.role == Role.TRAINER)
            .order_by((User.username != "trainer"), User.id).limit(1)).first()
        if master is None:
            raise InvalidInput(N_("Load the demo data first (flask seed-demo): there is no master trainer."))
        self.master = master
        self.stations = {name: (sid, kind) for sid, name, kind in self.session.execute(
            select(DutyStation.id, DutyStation.name, DutyStation.kind))}

    # the plan: who is where, which cohorts, who trains whom ------------------------------------------------------

    def _plan(self) -> None:
        started = clock.perf_counter()
        rng, n = self.rng, self.trainees
        self.ids = _Ids(self.session)
        self.session.commit()  # end the read transaction (SQLite)
        gabp, iam = self.agencies["GABP"][0], self.agencies["IAM"][0]
        weights = {gabp: [], iam: []}
        extra = {name: (g, i) for name, _k, _p, _m, _r, g, i in POSTS}
        for name, (station_id, kind) in self.stations.items():
            g, i = DEMO_WEIGHTS.get(name) or extra.get(name) or (1, 0.2 if kind != LAND else 0)
            weights[gabp].append((station_id, g))
            weights[iam].append((station_id, i))
        by_name = {sid: name for name, (sid, _k) in self.stations.items()}
        self.weakness = {sid: WEAK_STATIONS.get(name, rng.uniform(0.0, 0.05)) for sid, name in by_name.items()}
        self.hq = self.stations.get("Headquarters, Ulaanbaatar", next(iter(self.stations.values())))[0]
        station_skill = {sid: rng.gauss(0, 0.04) for sid in by_name}
        people = []
        for _ in range(n):
            agency = gabp if rng.random() < 0.75 else iam
            station = _pick(rng, weights[agency])
            uid = self.ids.take(_t(User))
            skill = min(0.97, max(0.2, rng.gauss(0.72, 0.11) + station_skill[station]))
            people.append(_Person(uid, f"{rng.choice(FAMILY)}yn {rng.choice(GIVEN)}", agency, station,
                                  _pick(rng, list(LANGUAGES)), skill))
        self.people = people
        self.cohorts: list[_Cohort] = []
        pool = people[:]
        rng.shuffle(pool)
        course_modules = [m for m in self.modules if m != "training-of-trainers"] or self.modules
        # master ToT cohorts, led by the master trainer
        masters = 2 if n >= 2000 else 1
        size = max(2, min(18, n // 20))
        tier1: list[_Person] = []
        for k in range(masters):
            members, pool = pool[:size], pool[size:]
            start = self.today - timedelta(days=790 - 20 * k)
            cohort = self._cohort(CohortKind.TOT, f"National ToT, wave {k + 1}: master trainers (scale)", gabp if
                                  k % 2 == 0 else iam, self.hq, start, 60, self.modules, None, members,
                                  mode=CertificateMode.APPROVAL, validity=36)
            tier1 += self._graduate(cohort)
        # second-generation ToT cohorts, led by graduates of the master ToT
        tier2: list[_Person] = []
        for k in range(max(1, n // 8000)):
            members, pool = pool[:size + 4], pool[size + 4:]
            if not members:
                break
            start = self.today - timedelta(days=rng.randint(540, 700))
            lead = self._lead(tier1, start, members[0].agency, members[0].station)
            station = rng.choice([m.station for m in members])
            cohort = self._cohort(CohortKind.TOT, f"{by_name[station]}: ToT second generation {k + 1} (scale)",
                                  members[0].agency, station, start, 60, self.modules, lead, members,
                                  mode=CertificateMode.APPROVAL, validity=36)
            tier2 += self._graduate(cohort)
        trainers = tier1 + tier2
        # course cohorts: officers of one post and agency, 20-40 at a time
        groups: dict[tuple[int, int], list[_Person]] = defaultdict(list)
        for person in pool:
            groups[(person.agency, person.station)].append(person)
        seasons = ["winter", "spring", "summer", "autumn"]
        for (agency, station), members in sorted(groups.items()):
            cuts = []
            while members:
                take = rng.randint(20, 40)
                if len(members) - take < 20 and len(members) <= 45:
                    take = len(members)
                cuts.append(members[:take])
                members = members[take:]
            for number, group in enumerate(cuts, start=1):
                start = self.today - timedelta(days=rng.randint(-30, 720))
                lead = self._lead(trainers, start, agency, station)
                count = rng.randint(min(3, len(course_modules)), min(7, len(course_modules)))
                modules = sorted(rng.sample(course_modules, count), key=course_modules.index)
                modules = self._with_prerequisites(modules)
                name = (f"{by_name[station]}: course {number}, {seasons[start.month % 12 // 3]} {start.year} "
                        f"({'GABP' if agency == gabp else 'IAM'})")
                cohort = self._cohort(CohortKind.COURSE, name, agency, station, start, rng.randint(42, 90), modules,
                                      lead, group, mode=CertificateMode.AUTOMATIC if rng.random() < 0.85
                                      else CertificateMode.APPROVAL, validity=rng.choice([None, 24, 36]),
                                      online_share=min(1.0, rng.betavariate(1.3, 6) * online_ratio(self.online_share)))
        self.echo(f"plan: {len(people):,} trainees in {len(self.cohorts):,} cohorts, {len(trainers)} trainers "
                  f"qualified ({clock.perf_counter() - started:.1f} s)")

    def _with_prerequisites(self, modules: list[str]) -> list[str]:
        wanted = set(modules)
        changed = True
        while changed:
            changed = False
            for module_id in list(wanted):
                for prerequisite in self.content.modules[module_id].prerequisites:
                    if prerequisite in self.content.modules and prerequisite not in wanted:
                        wanted.add(prerequisite)
                        changed = True
        return [m for m in self.modules if m in wanted]

    def _lead(self, trainers: list[_Person], start: date, agency: int, station: int) -> _Person | None:
        ready = [t for t in trainers if t.promoted_at is not None and t.promoted_at.date() < start]
        for fits in (lambda t: t.station == station, lambda t: t.agency == agency, lambda t: True):
            candidates = [t for t in ready if fits(t)]
            if candidates:
                return self.rng.choice(candidates)
        return None  # the master trainer leads it

    def _cohort(self, kind: CohortKind, name: str, agency: int, station: int, start: date, days: int,
                modules: list[str], lead: _Person | None, members: list[_Person], mode: CertificateMode,
                validity: int | None, online_share: float = 1.0) -> _Cohort:
        rng = self.rng
        end = start + timedelta(days=days)
        status = (CohortStatus.PLANNED if start > self.today else CohortStatus.ACTIVE if end >= self.today
                  else CohortStatus.CLOSED)
        step = days / max(1, len(modules))
        due = [start + timedelta(days=round(step * (i + 1))) for i in range(len(modules))]
        cohort = _Cohort(
            id=self.ids.take(_t(Cohort)), kind=kind, name=name, agency=agency, station=station, start=start, end=end,
            status=status, min_attendance=75 if kind == CohortKind.TOT else rng.choice([0, 0, 50, 60, 75]),
            mode=mode, validity=validity, parent=lead.qualified.id if lead and lead.qualified else None,
            lead_id=lead.id if lead else self.master[0], lead_name=lead.name if lead else self.master[1],
            modules=modules, due=due, members=members, online_share=online_share)
        sessions = rng.randint(3, 5)
        for i in range(sessions):
            held = start + timedelta(days=round((days - 1) * (i + 0.5) / sessions))
            cohort.sessions.append((self.ids.take(_t(TrainingSession)), held))
        for person in members:
            person.cohort = cohort
            person.enrolment = self.ids.take(_t(Enrolment))
            person.online = kind == CohortKind.TOT or rng.random() < online_share
            if kind == CohortKind.TOT:
                person.skill = min(0.97, person.skill + 0.12)
            prng = random.Random(f"{self.seed}/attendance/{person.id}")
            present = 0.92 if person.online else 0.75
            person.attendance = "".join(
                "P" if prng.random() < present else ("A" if prng.random() < 0.65 else "E")
                for _, held in cohort.sessions if held < self.today)
        self.cohorts.append(cohort)
        return cohort

    def _graduate(self, cohort: _Cohort) -> list[_Person]:
        """Simulate a ToT cohort now (without writing) to know its graduates, who are promoted to trainers."""
        graduates = []
        for person in cohort.members:
            completed = self._learn(person, None)
            if completed is not None and completed + timedelta(days=14) < self.now:
                person.qualified, person.promoted_at = cohort, completed + timedelta(days=7)
                graduates.append(person)
        return graduates

    # writing the plan ---------------------------------------------------------------------------------------------

    def _people(self, writer: _Writer) -> None:
        users, roles = _t(User), _t(UserRole)
        for person in self.people:
            cohort = person.cohort
            created = _moment(cohort.start - timedelta(days=14))
            writer.add(users, {
                "id": person.id, "username": f"scale-{person.id:07d}", "email": None, "full_name": person.name,
                "password_hash": NO_PASSWORD, "must_change_password": False,
                "preferred_language": person.language, "active": True, "session_token": secrets.token_urlsafe(24),
                "last_login_at": _moment(min(self.today - timedelta(days=1), cohort.end)) if person.online else None,
                "agency_id": person.agency, "duty_station_id": person.station, "created_at": created,
                "updated_at": created})
            writer.add(roles, {"user_id": person.id, "role": Role.TRAINEE})
            if person.qualified is not None:
                writer.add(roles, {"user_id": person.id, "role": Role.TRAINER})

    def _cohorts(self, writer: _Writer) -> None:
        cohorts, links, quals = _t(Cohort), _t(CohortTrainer), _t(TrainerQualification)
        assignments, sessions = _t(Assignment), _t(TrainingSession)
        for cohort in self.cohorts:
            created = _moment(cohort.start - timedelta(days=21))
            writer.add(cohorts, {
                "id": cohort.id, "kind": cohort.kind, "name": cohort.name, "agency_id": cohort.agency,
                "duty_station_id": cohort.station, "start_on": cohort.start, "end_on": cohort.end,
                "status": cohort.status, "min_attendance": cohort.min_attendance, "certificate_mode": cohort.mode,
                "validity_months": cohort.validity, "parent_id": cohort.parent, "join_code": None,
                "join_enabled": False, "created_by_id": cohort.lead_id, "created_at": created,
                "updated_at": created})
            writer.add(links, {"cohort_id": cohort.id, "user_id": cohort.lead_id, "position": 0})
            for position, (module_id, due) in enumerate(zip(cohort.modules, cohort.due, strict=True)):
                writer.add(assignments, {"id": self.ids.take(assignments), "cohort_id": cohort.id,
                                         "module_id": module_id, "due_on": due, "position": position})
            for number, (session_id, held) in enumerate(cohort.sessions, start=1):
                writer.add(sessions, {"id": session_id, "cohort_id": cohort.id, "held_on": held,
                                      "topic": f"In-person session {number}", "place": cohort.name.split(":")[0]})
        for person in self.people:
            if person.qualified is not None:
                writer.add(quals, {"user_id": person.id, "cohort_id": person.qualified.id, "promoted_by_id": None,
                                   "promoted_at": person.promoted_at})

    def _enrolments(self, writer: _Writer) -> None:
        enrolments, attendance = _t(Enrolment), _t(Attendance)
        codes = {"P": AttendanceStatus.PRESENT, "A": AttendanceStatus.ABSENT, "E": AttendanceStatus.EXCUSED}
        for person in self.people:
            cohort = person.cohort
            roll = self.rng.random()
            source = (EnrolmentSource.ROSTER if roll < 0.8 else EnrolmentSource.JOIN_CODE if roll < 0.95
                      else EnrolmentSource.MANUAL)
            writer.add(enrolments, {
                "id": person.enrolment, "cohort_id": cohort.id, "user_id": person.id, "source": source,
                "enrolled_at": _moment(cohort.start - timedelta(days=7)), "completed_at": None, "approved_at": None,
                "approved_by_id": None, "agency_id": person.agency, "duty_station_id": person.station})
            for (session_id, held), code in zip(cohort.sessions, person.attendance, strict=False):
                writer.add(attendance, {"session_id": session_id, "user_id": person.id, "status": codes[code],
                                        "recorded_at": _moment(held, 480)})

    def _learning(self, writer: _Writer) -> None:
        table = _t(Enrolment)
        done: list[dict] = []
        started, total = clock.perf_counter(), len(self.people)
        for number, person in enumerate(self.people, start=1):
            person.completed_at = self._learn(person, writer)
            if person.completed_at is not None:
                row = {"b_id": person.enrolment, "b_completed": person.completed_at, "b_approved": None,
                       "b_by": None}
                if person.cohort.mode == CertificateMode.APPROVAL:
                    row["b_approved"], row["b_by"] = self._approved(person), person.cohort.lead_id
                done.append(row)
            if number % 10000 == 0 or number == total:
                rows = sum(writer.counts.values()) + sum(len(b) for b in writer.buffers.values())
                self.echo(f"  {number:,}/{total:,} trainees, {rows:,} rows ({clock.perf_counter() - started:.0f} s)")
        writer.flush()
        statement = (update(table).where(table.c.id == bindparam("b_id"))
                     .values(completed_at=bindparam("b_completed", type_=table.c.completed_at.type),
                             approved_at=bindparam("b_approved", type_=table.c.approved_at.type),
                             approved_by_id=bindparam("b_by", type_=table.c.approved_by_id.type)))
        for start in range(0, len(done), self.chunk):
            self.session.connection().execute(statement, done[start:start + self.chunk])
        writer.counts["enrolment (completed)"] += len(done)
        writer.counts["report totals"] += self.totals.write(self.session, self.chunk)

    def _certificates(self, writer: _Writer) -> None:
        keyring = self.issuer.keyring()
        table = _t(Certificate)
        taken = set(self.session.scalars(select(Certificate.serial)))
        agencies = {aid: SimpleNamespace(name=name, local_names=local) for aid, name, local in self.agencies.values()}
        shapes: dict[int, SimpleNamespace] = {}
        for person in self.people:
            cohort = person.cohort
            if person.completed_at is None:
                continue
            shape = shapes.get(cohort.id)
            if shape is None:
                shape = shapes[cohort.id] = SimpleNamespace(
                    kind=cohort.kind, name=cohort.name, validity_months=cohort.validity, agency=agencies[cohort.agency],
                    assignments=[SimpleNamespace(module_id=m) for m in cohort.modules],
                    trainer_links=[SimpleNamespace(user=SimpleNamespace(full_name=cohort.lead_name))])
            completed_on = person.completed_at.date()
            issued_on = self._approved(person).date() if cohort.mode == CertificateMode.APPROVAL else completed_on
            serial = serials.new_serial()
            while serial in taken:  # pragma: no cover - 2^-50 per pair
                serial = serials.new_serial()
            taken.add(serial)
            user = SimpleNamespace(full_name=person.name, preferred_language=person.language)
            data = build_data(shape, user, completed_on, issued_on, serial, self.issuer)
            payload = data.payload()
            kid, signature = keyring.sign(payload)
            writer.add(table, {
                "id": self.ids.take(table), "serial": serial, "kind": CertificateKind(data.kind),
                "enrolment_id": person.enrolment, "user_id": person.id, "cohort_id": cohort.id,
                "recipient_name": person.name, "language": data.language, "completed_on": completed_on,
                "issued_on": issued_on, "expires_on": data.expires_on, "payload": payload, "kid": kid,
                "signature": signature, "created_at": _moment(issued_on, 60), "revoked_at": None,
                "revoked_reason": None, "revoked_by_id": None})

    def _approved(self, person: _Person) -> datetime:
        """When the lead trainer approved a completion (cohorts that ask for approval): two days later."""
        return max(person.completed_at, min(person.completed_at + timedelta(days=2), self.now - timedelta(hours=1)))

    # one person's learning ---------------------------------------------------------------------------------------

    def _learn(self, person: _Person, writer: _Writer | None) -> datetime | None:
        """Simulate (and with a writer, write) a person's work on the cohort's modules; returns when the person
        completed the cohort by the rules of services.completion, or None. Deterministic per person."""
        cohort = person.cohort
        if not person.online or cohort.status == CohortStatus.PLANNED:
            return None
        rng = random.Random(f"{self.seed}/learning/{person.id}")
        weakness = self.weakness.get(person.station, 0.0)
        language = person.language or "mn"
        skill = person.skill
        completed: dict[str, datetime] = {}
        keen = 1.0 if cohort.kind == CohortKind.TOT else rng.uniform(0.88, 1.0)  # chance to go on to the next module
        pace = rng.uniform(0.45, 1.1)  # share of the time to each due date that the person takes
        for index, module_id in enumerate(cohort.modules):
            module = self.content.modules[module_id]
            if any(p not in completed for p in module.prerequisites if p in self.content.modules):
                continue
            if index and rng.random() > keen:
                break
            moment = _moment(cohort.start + (cohort.due[index] - cohort.start) * pace, rng.randint(0, 600))
            if moment >= self.now:
                break
            finished = self._module(person, module, moment, skill, language, weakness, rng, writer)
            if finished is not None:
                completed[module_id] = finished
                if writer is not None:
                    writer.add(_t(ModuleCompletion), {
                        "id": self.ids.take(_t(ModuleCompletion)), "user_id": person.id, "module_id": module_id,
                        "module_version": module.version, "completed_at": finished})
            skill = min(0.98, skill + 0.01)
        if len(completed) < len(cohort.modules) or not cohort.modules:
            return None
        present = person.attendance.count("P")
        counted = present + person.attendance.count("A")
        minimum = cohort.min_attendance
        if minimum > 0 and not (counted > 0 and 100 * present >= minimum * counted):
            return None
        moments = list(completed.values())
        if minimum > 0:
            held = [day for (_, day), code in zip(cohort.sessions, person.attendance, strict=False) if code == "P"]
            if held:
                moments.append(datetime.combine(max(held), time(), tzinfo=timezone.utc))
        return max(moments)

    def _module(self, person: _Person, module, moment: datetime, skill: float, language: str, weakness: float,
                rng: random.Random, writer: _Writer | None) -> datetime | None:
        """Lessons, quiz attempts and scenario runs of one module; when the completion rule came to hold."""
        lessons = list(module.lessons)
        read_all = rng.random() < 0.97
        if not read_all:
            lessons = lessons[:rng.randint(1, len(lessons))]
        if writer is not None:
            table = _t(LessonProgress)
            for offset, lesson in enumerate(lessons):
                writer.add(table, {"user_id": person.id, "module_id": module.id, "lesson_id": lesson.id,
                                   "module_version": module.version,
                                   "read_at": moment + timedelta(minutes=12 * offset)})
        at = moment + timedelta(minutes=12 * len(lessons) + 5)
        passed_all = True
        for quiz_id in module.assessments:
            passed, at = self._quiz(person, module, quiz_id, at, skill, language, weakness, rng, writer)
            passed_all = passed_all and passed
            if not passed:
                break
        if passed_all:
            for scenario_id in module.scenarios:
                if scenario_id not in self.walkers:
                    continue
                passed, at = self._scenario(person, module, scenario_id, at, skill, language, weakness, rng, writer)
                if not passed:
                    passed_all = False
                    break
        rule = module.completion
        if (rule.lessons == "all" and not read_all) or not passed_all:
            return None
        return at

    def _quiz(self, person: _Person, module, quiz_id: str, at: datetime, skill: float, language: str,
              weakness: float, rng: random.Random, writer: _Writer | None) -> tuple[bool, datetime]:
        quiz = self.bank.quizzes[quiz_id]
        allowed = quiz.attempts_allowed or 3
        for number in range(1, min(3, allowed) + 1):
            seed = rng.randrange(2**31)
            questions = self.bank.draw(quiz_id, seed)
            lang = language if rng.random() < 0.9 else rng.choice(["mn", "ru", "en"])
            limit = quiz.time_limit_minutes or 40
            submitted = at + timedelta(minutes=rng.randint(min(8, limit), limit))
            responses, total, maximum = [], 0.0, 0.0
            for item in questions:
                entry = self.bank.questions[(quiz_id, item["question"]["id"])]
                maximum += entry.points
                if rng.random() < 0.015:
                    answer, score, encoded = None, 0.0, "null"
                elif rng.random() < self.bank.chance(entry, skill, lang, weakness):
                    answer, score, encoded = entry.correct
                else:
                    answer, score, encoded = _pick(rng, list(zip(entry.wrong, entry.weights, strict=True)))
                points = round(score * entry.points, 4)
                total += points
                responses.append((entry, answer, score, encoded, points))
            percent = round(100 * total / maximum, 2) if maximum else 0.0
            passed = percent >= quiz.pass_mark
            if writer is not None:
                attempt_id = self.ids.take(_t(QuizAttempt))
                attempt = {
                    "id": attempt_id, "user_id": person.id, "module_id": module.id,
                    "module_version": module.version, "quiz_id": quiz_id, "quiz_version": quiz.version,
                    "number": number, "seed": seed, "language": lang, "j_settings": self.bank.settings[quiz_id],
                    "j_questions": self.bank.encoded(questions), "status": AttemptStatus.SUBMITTED, "started_at": at,
                    "deadline_at": at + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes
                    else None, "submitted_at": submitted, "expired": False, "score": round(total, 4),
                    "max_score": maximum, "percent": percent, "passed": passed}
                writer.add(_t(QuizAttempt), attempt)
                table = _t(QuestionResponse)
                for position, (entry, _answer, score, encoded, points) in enumerate(responses, start=1):
                    writer.add(table, {
                        "id": self.ids.take(table), "attempt_id": attempt_id, "question_id": entry.id,
                        "position": position, "j_answer": encoded, "score": score, "points": points,
                        "saved_at": submitted - timedelta(minutes=len(questions) - position),
                        "j_indicators": entry.indicators_json})
                attempt["questions"] = questions
                self.totals.attempt(_Row(attempt), [_Response(e.id, s, p, a, e.indicators)
                                                    for e, a, s, _j, p in responses],
                                    person.agency, person.station, [person.cohort.id])
            at = submitted + timedelta(days=rng.randint(0, 3), minutes=rng.randint(5, 300))
            if passed:
                return True, submitted
            if at >= self.now or rng.random() < 0.1:  # out of time, or gives up
                return False, at
            skill = min(0.98, skill + 0.08)
        return False, at

    def _scenario(self, person: _Person, module, scenario_id: str, at: datetime, skill: float, language: str,
                  weakness: float, rng: random.Random, writer: _Writer | None) -> tuple[bool, datetime]:
        walker = self.walkers[scenario_id]
        scenario = walker.scenario
        for _ in range(3):
            path: tuple[str, ...] = ()
            steps = []
            node = walker.nodes[scenario.start]
            abandon = rng.randint(1, 6) if rng.random() < 0.05 else None
            moment = at
            while not node.is_end and len(path) < 60:
                if abandon is not None and len(path) == abandon:
                    break
                choice = walker.choose(rng, node, skill, weakness)
                moment += timedelta(minutes=rng.randint(1, 4))
                steps.append({"node_id": node.id, "choice_id": choice.id, "critical": choice.critical,
                              "undone": False, "indicators_present": list(node.indicators_present),
                              "indicators_recognised": list(choice.indicators), "created_at": moment})
                path += (choice.id,)
                node = walker.nodes[choice.next]
            finished = node.is_end
            outcome = walker.result(path) if finished else None
            if writer is not None:
                run_id = self.ids.take(_t(ScenarioRun))
                run = {"id": run_id, "user_id": person.id, "module_id": module.id,
                       "module_version": module.version, "scenario_id": scenario_id,
                       "scenario_version": scenario.version, "language": language, "j_state": walker.state_json(path),
                       "status": RunStatus.FINISHED if finished else RunStatus.IN_PROGRESS, "started_at": at,
                       "finished_at": moment if finished else None, "outcome": None, "passed": None, "scores": None,
                       "critical_errors": 0, "missed_indicators": None, "version": len(steps) + 1}
                if outcome is not None:
                    run.update(outcome=outcome.outcome, passed=outcome.passed, critical_errors=len(outcome.criticals),
                               missed_indicators=list(outcome.indicators_missed),
                               scores={c.competency.value: {"score": c.score, "best": c.best, "percent": c.percent}
                                       for c in outcome.competencies})
                writer.add(_t(ScenarioRun), run)
                table = _t(ScenarioStep)
                for position, step in enumerate(steps, start=1):
                    self.totals.step(scenario_id, _Row(step), person.agency, person.station, [person.cohort.id])
                    present, recognised = walker.indicators[(step["node_id"], step["choice_id"])]
                    del step["indicators_present"], step["indicators_recognised"]
                    step.update(id=self.ids.take(table), run_id=run_id, position=position, j_indicators_present=present,
                                j_indicators_recognised=recognised)
                    writer.add(table, step)
                if outcome is not None:
                    self.totals.finished(_Row(run), person.agency, person.station)
            if not finished:
                return False, moment  # left unfinished; the person stops here
            at = moment + timedelta(minutes=rng.randint(10, 600))
            if outcome.passed:
                return True, moment
            if at >= self.now:
                return False, at
            skill = min(0.98, skill + 0.1)
        return False, at


def online_ratio(share: float) -> float:
    """Scale of the per-cohort online share so that its mean (Beta(1.3, 6) has mean 0.178) is ``share``."""
    return share / (1.3 / 7.3)
