"""What the client's page says in our own words (grade 7 or below: tests/letters/
test_wording.py scores each line with textstat). The warning signs themselves are printed
in the catalogue's client wording."""

from catalogue.caution_rules import Urgency

TITLE = "Please see your doctor"
FOUND = "At your acupressure visit today, you told us about:"
HOW_SOON = {
    Urgency.EMERGENCY: "Call an emergency number now. Do not wait.",
    Urgency.SAME_DAY: "See a doctor today.",
    Urgency.SOON: "See your doctor soon, in the next few days.",
}
NOT_A_DOCTOR = (
    "Acupressure does not take the place of a doctor. It cannot tell what is causing this. "
    "A doctor can check you and help."
)
TAKE_THE_SUMMARY = (
    "Take the next page to your doctor. It tells them what we found and what we did today."
)
IF_WORSE = "If you feel much worse before you see a doctor, call an emergency number."
