"""The client's page is in plain words: grade 7 or below (textstat's Flesch-Kincaid)."""

import pytest
import textstat

from letters import services, wording

from .support import pdf_pages

LINES = [
    wording.TITLE,
    wording.FOUND,
    *wording.HOW_SOON.values(),
    wording.NOT_A_DOCTOR,
    wording.TAKE_THE_SUMMARY,
    wording.IF_WORSE,
]


@pytest.mark.parametrize("line", LINES)
def test_each_line_is_at_grade_7_or_below(line):
    assert textstat.flesch_kincaid_grade(line) <= 7, line


def test_the_whole_client_page_is_at_grade_7_or_below(flagged_session, practitioner):
    letter, _ = services.letter_from_session(session=flagged_session, practitioner=practitioner)
    letter = services.issue_letter(letter=letter, practitioner=practitioner)
    header, *text = pdf_pages(bytes(letter.pdf))[0].splitlines()  # the clinic's address first
    assert practitioner.clinic.name in header
    assert textstat.flesch_kincaid_grade("\n".join(text)) <= 7
