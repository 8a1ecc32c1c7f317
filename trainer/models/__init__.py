"""Typed SQLAlchemy 2.0 models, one module per domain."""
from trainer.models.audit import AuditEntry
from trainer.models.base import Base
from trainer.models.certificates import Certificate, CertificateKind
from trainer.models.cohorts import (
    Assignment,
    Attendance,
    AttendanceStatus,
    CertificateMode,
    Cohort,
    CohortKind,
    CohortStatus,
    CohortTrainer,
    Enrolment,
    EnrolmentSource,
    PendingActivation,
    TrainerQualification,
    TrainingSession,
)
from trainer.models.learning import (
    AttemptStatus,
    LessonProgress,
    ModuleCompletion,
    QuestionResponse,
    QuizAttempt,
    RunStatus,
    ScenarioRun,
    ScenarioStep,
)
from trainer.models.org import Agency, DutyStation, Province, StationKind
from trainer.models.stats import (
    AttemptStat,
    ChoiceStat,
    CompetencyStat,
    EnrolmentStat,
    IndicatorCohortStat,
    IndicatorStat,
    ItemStat,
    ModuleStat,
    OptionStat,
)
from trainer.models.users import Role, User, UserRole

__all__ = [
    "AttemptStat", "ChoiceStat", "CompetencyStat", "EnrolmentStat", "ModuleStat", "IndicatorCohortStat",
    "IndicatorStat", "ItemStat", "OptionStat",
    "Certificate", "CertificateKind",
    "Assignment", "Attendance", "AttendanceStatus", "CertificateMode", "Cohort", "CohortKind", "CohortStatus",
    "CohortTrainer", "Enrolment", "EnrolmentSource", "PendingActivation", "TrainerQualification", "TrainingSession",
    "AttemptStatus", "AuditEntry", "Agency", "Base", "DutyStation", "LessonProgress", "ModuleCompletion", "Province",
    "QuestionResponse", "QuizAttempt", "Role", "RunStatus", "ScenarioRun", "ScenarioStep", "StationKind", "User",
    "UserRole",
]
