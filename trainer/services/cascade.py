"""The trainer-of-trainers cascade: who became a trainer through which ToT cohort, and how far training reached.

Cohorts form a tree through ``Cohort.parent_id`` (the ToT cohort that trained the lead trainer). Figures come
from the enrolments' completion dates that ``completion`` keeps, so the cascade agrees with every cohort page.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.errors import N_, Conflict, InvalidInput, PermissionDenied
from trainer.models import (
    Cohort,
    CohortKind,
    CohortTrainer,
    Enrolment,
    Role,
    TrainerQualification,
    User,
    UserRole,
)
from trainer.services import audit
from trainer.services.cohorts import sees_all, set_parent
from trainer.services.tx import transaction


@dataclass
class Node:
    cohort: Cohort
    generation: int  # 1 = the master trainers' cohorts
    enrolled: int
    completed: int
    children: list["Node"] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return 100 * self.completed / self.enrolled if self.enrolled else None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Generation:
    number: int
    cohorts: int
    trainers: int
    enrolled: int
    completed: int

    @property
    def rate(self) -> float | None:
        return 100 * self.completed / self.enrolled if self.enrolled else None


@dataclass(frozen=True)
class Reach:
    trainer: User
    trained_directly: int  # completed the master trainer's own cohorts
    trainers_produced: int  # promoted from those cohorts
    downstream: int  # distinct officers who completed a cohort further down


@dataclass(frozen=True)
class Cascade:
    roots: list[Node]
    generations: list[Generation]
    reach: list[Reach]

    @property
    def cohort_count(self) -> int:
        return sum(1 for root in self.roots for _ in root.walk())


def build(session: Session, viewer: User) -> Cascade:
    """The whole tree for coordinators; for a trainer, the subtrees of the cohorts they train."""
    cohorts = {c.id: c for c in session.scalars(select(Cohort).order_by(Cohort.start_on, Cohort.id))}
    counts = {cid: (enrolled, completed) for cid, enrolled, completed in session.execute(
        select(Enrolment.cohort_id, func.count(), func.count(Enrolment.completed_at)).group_by(Enrolment.cohort_id))}
    completers: dict[int, set[int]] = defaultdict(set)
    for cohort_id, user_id in session.execute(select(Enrolment.cohort_id, Enrolment.user_id)
                                              .where(Enrolment.completed_at.is_not(None))):
        completers[cohort_id].add(user_id)
    nodes = {cid: Node(c, 0, *counts.get(cid, (0, 0))) for cid, c in cohorts.items()}
    roots = []
    for cid, node in nodes.items():
        parent = node.cohort.parent_id
        if parent in nodes and parent != cid:
            nodes[parent].children.append(node)
        else:
            roots.append(node)
    for root in roots:
        _number(root, 1)
    if not sees_all(viewer):
        mine = set(session.scalars(select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == viewer.id)))
        roots = _top_most([nodes[cid] for cid in mine if cid in nodes])
    return Cascade(roots, _generations(roots), _reach(session, roots, completers))


def _number(node: Node, generation: int) -> None:
    node.generation = generation
    for child in node.children:
        _number(child, generation + 1)


def _top_most(selected: list[Node]) -> list[Node]:
    """The selected nodes that are not inside another selected node's subtree."""
    inside = {id(n) for node in selected for n in node.walk() if n is not node}
    return sorted((n for n in selected if id(n) not in inside), key=lambda n: n.cohort.id)


def _generations(roots: list[Node]) -> list[Generation]:
    by_generation: dict[int, list[Node]] = defaultdict(list)
    for root in roots:
        for node in root.walk():
            by_generation[node.generation].append(node)
    result = []
    for number in sorted(by_generation):
        group = by_generation[number]
        trainers = {link.user_id for node in group for link in node.cohort.trainer_links}
        result.append(Generation(number, len(group), len(trainers), sum(n.enrolled for n in group),
                                 sum(n.completed for n in group)))
    return result


def _reach(session: Session, roots: list[Node], completers: dict[int, set[int]]) -> list[Reach]:
    """For each lead trainer of a top cohort: officers trained directly and reached further down."""
    promoted: dict[int, int] = dict(session.execute(
        select(TrainerQualification.cohort_id, func.count()).group_by(TrainerQualification.cohort_id)).all())
    result = []
    for root in roots:
        links = root.cohort.trainer_links
        if not links:
            continue
        downstream = set().union(*(completers[n.cohort.id] for child in root.children for n in child.walk()))
        result.append(Reach(links[0].user, len(completers[root.cohort.id]), promoted.get(root.cohort.id, 0),
                            len(downstream)))
    return result


# --- eligibility and promotion -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graduate:
    user: User
    cohort: Cohort
    completed_at: object
    promoted: bool


def graduates(session: Session) -> list[Graduate]:
    """Everyone who completed a ToT cohort, with whether a coordinator has promoted them yet."""
    qualified = set(session.scalars(select(TrainerQualification.user_id)))
    rows = session.execute(select(User, Cohort, Enrolment.completed_at)
                           .join(Enrolment, Enrolment.user_id == User.id)
                           .join(Cohort, Cohort.id == Enrolment.cohort_id)
                           .where(Cohort.kind == CohortKind.TOT, Enrolment.completed_at.is_not(None))
                           .order_by(Enrolment.completed_at.desc(), User.full_name))
    seen, result = set(), []
    for user, cohort, completed_at in rows:
        if user.id not in seen:
            seen.add(user.id)
            result.append(Graduate(user, cohort, completed_at, user.id in qualified))
    return result


def promote(session: Session, coordinator: User, user_id: int, cohort_id: int) -> TrainerQualification:
    """Make a ToT graduate a trainer, linked to the ToT cohort they completed (audited)."""
    if not sees_all(coordinator):
        raise PermissionDenied(N_("Only coordinators can promote trainers."))
    enrolment = session.scalar(select(Enrolment).join(Cohort).where(
        Enrolment.user_id == user_id, Enrolment.cohort_id == cohort_id, Cohort.kind == CohortKind.TOT))
    if enrolment is None or enrolment.completed_at is None:
        raise InvalidInput(N_("Only someone who completed this trainer-of-trainers cohort can be promoted."))
    if session.get(TrainerQualification, user_id) is not None:
        raise Conflict(N_("This person has already been promoted."))
    if session.scalar(select(CohortTrainer.user_id).where(CohortTrainer.cohort_id == cohort_id,
                                                          CohortTrainer.user_id == user_id)) is not None:
        raise Conflict(N_("A trainer cannot qualify from a cohort they train."))
    user = session.get(User, user_id)
    with transaction(session):
        qualification = TrainerQualification(user_id=user_id, cohort_id=cohort_id, promoted_by_id=coordinator.id)
        session.add(qualification)
        if not user.has_role(Role.TRAINER):
            user.role_links.append(UserRole(role=Role.TRAINER))
        _adopt_existing(session, user, cohort_id)
        audit.record(session, coordinator.id, "trainer.promote", "user", user_id, {"cohort": cohort_id})
    return qualification


def _adopt_existing(session: Session, user: User, parent_id: int) -> None:
    """Cohorts the person already leads without a place in the cascade now hang below their ToT cohort."""
    for cohort in session.scalars(select(Cohort).join(CohortTrainer).where(
            CohortTrainer.user_id == user.id, CohortTrainer.position == 0, Cohort.parent_id.is_(None))):
        set_parent(session, cohort, parent_id)
