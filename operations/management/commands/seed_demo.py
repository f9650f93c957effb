import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.models import Point
from clinic.models import Client, Clinic, Practitioner
from operations.demo.diary import give_diary
from operations.demo.history import give_history
from operations.demo.people import CLINICS


class Command(BaseCommand):
    help = (
        "Create the demo clinics, practitioners and clients, each client with a history of "
        "signed sessions and an issued home-care sheet, a diary (types, rooms, working hours, "
        "today's appointments, a treatment plan), and an admin user. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo login (default: generated)")

    @transaction.atomic
    def handle(self, *args, password=None, **options):
        password = password or secrets.token_urlsafe(9)
        User = get_user_model()
        # The history needs the catalogue's points (make run loads it first).
        with_history = Point.objects.exists()
        given = booked = 0
        for clinic_name, spec in CLINICS.items():
            clinic, _ = Clinic.objects.update_or_create(
                name=clinic_name,
                defaults={k: spec[k] for k in ("address", "phone", "email")},
            )
            practitioners = []
            for position, (username, display_name, qualification, registration) in enumerate(
                spec["practitioners"]
            ):
                user, _ = User.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@example.com"}
                )
                user.set_password(password)
                user.save()
                practitioner, _ = Practitioner.objects.update_or_create(
                    user=user,
                    defaults={
                        "clinic": clinic,
                        "display_name": display_name,
                        "qualification": qualification,
                        "registration_number": registration,
                        "is_active": True,
                        "role": Practitioner.Role.MANAGER
                        if position == 0
                        else Practitioner.Role.PRACTITIONER,
                    },
                )
                practitioners.append(practitioner)
            clients = []
            for index, person in enumerate(spec["clients"]):
                first, last, preferred, born, flags, history, conditions = person
                slug = f"{first}.{last}".lower()
                client, _ = Client.objects.get_or_create(
                    clinic=clinic,
                    first_name=first,
                    last_name=last,
                    defaults={
                        "preferred_name": preferred,
                        "date_of_birth": date.fromisoformat(born),
                        "phone": f"07700 900{index:03d}",
                        "email": f"{slug}@example.com",
                        **flags_and_sites(flags),
                        "health_history": history,
                        "primary_practitioner": practitioners[index % len(practitioners)],
                    },
                )
                clients.append(client)
                if with_history:
                    given += give_history(client, conditions=conditions)
            booked += give_diary(clinic, practitioners, clients)
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.com"}
        )
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if not with_history:
            self.stdout.write(
                "No sessions made: load the catalogue first (manage.py load_catalogue)."
            )
        elif given:
            self.stdout.write(f"{given} clients given a history of sessions and a home-care sheet.")
        if booked:
            self.stdout.write(f"{booked} appointments booked: today's, and a treatment plan's.")
        self.stdout.write(f"Demo logins (password for all: {password})")
        self.stdout.write("  ana       Riverside Acupressure's clinic manager (the Team page)")
        self.stdout.write("  ben       Riverside Acupressure practitioner")
        self.stdout.write("  chen      Hilltop Wellness's clinic manager")
        self.stdout.write("  admin     superuser, /admin/")


def flags_and_sites(flags: list[str]) -> dict:
    """'recent_surgery@knee:right' is the flag with its site and side."""
    codes, sites = [], {}
    for flag in flags:
        code, _, where = flag.partition("@")
        codes.append(code)
        if where:
            region, _, side = where.partition(":")
            sites.setdefault(code, []).append({"region": region, "side": side or "both"})
    return {"health_flags": sorted(codes), "flag_sites": sites}
