from datetime import UTC

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from clinic.models import Client, Clinic, Practitioner


class ClinicFactory(DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    phone = factory.Faker("phone_number")
    email = factory.Faker("email")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Faker("email")
    # Made with the password, not given one afterwards: a later set_password() and save()
    # is a password change, which revokes API tokens and is written to the access log.
    password = factory.LazyFunction(lambda: make_password("correct-horse-battery"))


class PractitionerFactory(DjangoModelFactory):
    class Meta:
        model = Practitioner

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    display_name = factory.Faker("name")
    qualification = "Diploma in Acupressure"
    registration_number = factory.Sequence(lambda n: f"AP-{n:04d}")


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    clinic = factory.SubFactory(ClinicFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    # Adults below the older-adult age (80), so no test meets the age rules by chance.
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=75)
    phone = factory.Faker("numerify", text="07700 9#####")
    email = factory.Faker("email")
    health_history = factory.Faker("sentence")


class MeridianFactory(DjangoModelFactory):
    class Meta:
        model = "catalogue.Meridian"
        django_get_or_create = ["code"]

    code = "LI"
    name = "Large Intestine"
    position = 1


class PressureToolFactory(DjangoModelFactory):
    class Meta:
        model = "catalogue.PressureTool"
        django_get_or_create = ["slug"]

    slug = "thumb"
    name = factory.LazyAttribute(lambda tool: tool.slug.replace("-", " ").capitalize())
    self_applicable = True


class ConditionFactory(DjangoModelFactory):
    class Meta:
        model = "catalogue.Condition"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-").replace("/", ""))


class PointFactory(DjangoModelFactory):
    class Meta:
        model = "catalogue.Point"
        django_get_or_create = ["code"]

    meridian = factory.SubFactory(MeridianFactory)
    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda p: f"{p.meridian.code}{p.number}")
    pinyin = factory.Sequence(lambda n: f"Pinyin{n}")
    hanzi = "穴"
    english_name = factory.Sequence(lambda n: f"Point {n}")
    region = "hand"
    location = "Where a practitioner finds it."
    self_care_instructions = "Press here gently with your thumb."
    self_care = True
    default_tool = factory.SubFactory(PressureToolFactory)
    figure = "hand_back"
    self_care_with = factory.LazyAttribute(lambda p: "alone" if p.self_care else "")
    figure_x = 20
    figure_y = 30


class IndicationFactory(DjangoModelFactory):
    class Meta:
        model = "catalogue.Indication"

    point = factory.SubFactory(PointFactory)
    condition = factory.SubFactory(ConditionFactory)
    source_count = 2


class CautionFactory(DjangoModelFactory):
    """A point caution rule; `flag` may be given as a code (the vocabulary is seeded by the
    catalogue's migrations)."""

    class Meta:
        model = "catalogue.CautionRule"

    key = factory.Sequence(lambda n: f"test-rule-{n}")
    scope = "point"
    point = factory.SubFactory(PointFactory)
    flag = "pregnancy"
    action = "caution_note"
    practitioner_note = "Traditionally cautioned: use practitioner judgement."
    client_note = "Ask your practitioner before you press this point."
    strength = "traditional only"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        from catalogue.models import HealthFlag

        if isinstance(kwargs.get("flag"), str):
            kwargs["flag"] = HealthFlag.objects.get(code=kwargs["flag"])
        return kwargs


class WarningSignFactory(DjangoModelFactory):
    class Meta:
        model = "catalogue.WarningSign"

    key = factory.Sequence(lambda n: f"test-sign-{n}")
    sign = "New weakness in both legs"
    client_wording = "Both legs feel weak in a new way."
    urgency = "emergency"
    any_condition = True


class TreatmentSessionFactory(DjangoModelFactory):
    class Meta:
        model = "treatment_sessions.TreatmentSession"

    client = factory.SubFactory(ClientFactory)
    practitioner = factory.SubFactory(
        PractitionerFactory, clinic=factory.SelfAttribute("..client.clinic")
    )
    started_at = factory.Faker("past_datetime", start_date="-300d", tzinfo=UTC)
    complaint = "Stiff neck"
    pain_before = 6
    pain_after = 3
    outcome = "improved"


class TreatedPointFactory(DjangoModelFactory):
    class Meta:
        model = "treatment_sessions.TreatedPoint"

    session = factory.SubFactory(TreatmentSessionFactory)
    point = factory.SubFactory(PointFactory)
    side = "both"
    tool = factory.SubFactory(PressureToolFactory)
    duration_seconds = 180
    pressure = "moderate"
    response = "relief"
