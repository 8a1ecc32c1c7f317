"""Sample certificates and labels shared by the certificate tests."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from trainer.certificates.data import CertificateData
from trainer.certificates.serial import check_symbol

SERIAL = "K7QM4X2P9D" + check_symbol("K7QM4X2P9D")
RECIPIENT = "Батбаярын Энхтуяа"
TITLE_MN = "Хуурамч аяллын баримт бичгийг илрүүлэх"
TITLE_EN = "Detecting fraudulent travel documents"

BASE = CertificateData(
    serial=SERIAL,
    kind="course",
    recipient_name=RECIPIENT,
    course_title={"en": TITLE_EN, "mn": TITLE_MN, "ru": "Выявление поддельных проездных документов"},
    cohort_name="Замын-Үүд 2025-1",
    modules=(("security-features", 2, "Security features"), ("impostors", 1, "Impostors and look-alikes")),
    minutes=750,
    completed_on=date(2025, 5, 1),
    issued_on=date(2025, 5, 2),
    expires_on=date(2028, 5, 2),
    trainer_name="Дорж Болд",
    agency_name={"en": "General Authority for Border Protection", "mn": "Хил хамгаалах ерөнхий газар"},
    language="mn",
    issuer_name="Trainer: border and immigration training",
    issuer_url="https://trainer.example.mn",
)

LABELS_EN = {
    "title": "Certificate of completion",
    "awarded_to": "This certificate is awarded to",
    "for_completing": "for completing the course",
    "hours": "Hours of study",
    "completed_on": "Completed on",
    "issued_on": "Issued on",
    "valid_until": "Valid until",
    "cohort": "Cohort",
    "trainer": "Trainer",
    "serial": "Serial number",
    "verify_at": "Verify this certificate at",
}
LABELS_MN = {
    "title": "Гэрчилгээ",
    "awarded_to": "Энэхүү гэрчилгээг олгов",
    "for_completing": "сургалтыг амжилттай дүүргэсэн тул",
    "hours": "Сургалтын цаг",
    "completed_on": "Дүүргэсэн огноо",
    "issued_on": "Олгосон огноо",
    "valid_until": "Хүчинтэй хугацаа",
    "cohort": "Бүлэг",
    "trainer": "Сургагч",
    "serial": "Серийн дугаар",
    "verify_at": "Гэрчилгээг шалгах",
}


def make_data(**changes) -> CertificateData:
    return replace(BASE, **changes)


def verify_url(serial: str) -> str:
    return f"https://trainer.example.mn/verify/{serial}"
