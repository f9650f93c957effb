import pytest

from catalogue.models import Point
from catalogue.readability import grade_level
from homecare.models import STANDARD_ADVICE
from homecare.pdf import STANDING_NOTE


def test_the_grade_level_tells_plain_from_dense_text():
    assert grade_level("Press here. Breathe out slowly.") < 4
    dense = (
        "Acupressure stimulation of contralateral musculotendinous structures "
        "potentiates parasympathetic modulation, notwithstanding idiosyncratic variability."
    )
    assert grade_level(dense) > 14


def test_every_self_care_text_reads_at_grade_eight_or_below(catalogue):
    texts = Point.objects.exclude(self_care_instructions="").values_list(
        "code", "self_care_instructions"
    )
    assert len(texts) >= 65
    too_hard = [
        (code, round(grade_level(text), 1)) for code, text in texts if grade_level(text) > 8
    ]
    assert too_hard == []


@pytest.mark.parametrize("text", [STANDING_NOTE, STANDARD_ADVICE])
def test_the_sheets_standing_texts_are_plain(text):
    assert grade_level(text) <= 8
