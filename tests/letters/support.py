"""A session whose check-in found warning signs, recorded through the session service
with the shipped catalogue, and the PDF text reader."""

import io
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfReader

from catalogue.models import Condition, Point, PressureTool
from sessions import services as sessions
from sessions.rows import PointRow

EMERGENCY_SIGN = "low-back-bladder-bowel"
SAME_DAY_SIGN = "low-back-fever"


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def one_line(text: str) -> str:
    return " ".join(text.split())


def session_with(client, practitioner, *, found=(), pain_after=2):
    tools = {tool.slug: tool for tool in PressureTool.objects.all()}
    return sessions.record_session(
        client=client,
        practitioner=practitioner,
        started_at=timezone.now() - timedelta(hours=2),
        pain_before=7,
        pain_after=pain_after,
        conditions=[Condition.objects.get(slug="low-back-pain")],
        points=[
            PointRow(
                point=Point.objects.get(code="BL23"),
                side="both",
                tool=tools["thumb"],
                duration_seconds=90,
                pressure="moderate",
            ),
            PointRow(
                point=Point.objects.get(code="BL40"),
                side="left",
                tool=tools["fingertip"],
                duration_seconds=45,
                pressure="light",
            ),
        ],
        check_in_found=[f"sign:{key}" for key in found],
        check_in_acknowledged=bool(found),
    )
