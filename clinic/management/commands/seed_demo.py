import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.models import Client, Clinic, Practitioner

CLINICS = {
    "Riverside Acupressure": {
        "address": "12 River Walk\nMillbrook MB1 2RA",
        "phone": "01632 960 101",
        "email": "hello@riverside.example",
        # The first practitioner of each clinic is its clinic manager.
        "practitioners": [
            ("ana", "Ana Duarte", "Diploma in Acupressure (2 years)", "AP-1043"),
            ("ben", "Ben Okafor", "Certificate in Shiatsu and Acupressure", "AP-2210"),
        ],
        "clients": [
            (
                "Margaret",
                "Hale",
                "Maggie",
                "1958-03-14",
                ["anticoagulant"],
                "Lower back pain since a fall in the garden.",
            ),
            (
                "Tom",
                "Fletcher",
                "",
                "1984-07-02",
                [],
                "Desk worker; tension headaches most afternoons.",
            ),
            (
                "Priya",
                "Shah",
                "",
                "1991-11-23",
                ["pregnancy"],
                "24 weeks pregnant; neck and shoulder ache.",
            ),
            (
                "Owen",
                "Price",
                "",
                "1975-01-30",
                [],
                "Sciatica down the left leg, better when walking.",
            ),
            (
                "Grace",
                "Mensah",
                "",
                "1966-09-09",
                ["recent_surgery@knee:right", "implanted_device@knee:right"],
                "Knee replacement (right) eight weeks ago.",
            ),
            ("Luca", "Romano", "", "2001-05-17", [], "Exam stress, poor sleep."),
            (
                "Helen",
                "Baxter",
                "Nell",
                "1949-12-05",
                ["varicose_veins"],
                "Varicose veins on both calves.",
            ),
            ("Samir", "Haddad", "", "1988-02-28", [], "Stiff neck after long drives."),
            ("Ruth", "Conway", "", "1972-06-11", [], "Migraine history; anxiety."),
            (
                "Daniel",
                "Kerr",
                "Dan",
                "1995-10-01",
                [],
                "Rugby player; recurring hamstring tightness.",
            ),
            (
                "Fiona",
                "Lindqvist",
                "",
                "1980-04-19",
                ["anticoagulant"],
                "On warfarin after a DVT.",
            ),
            ("Joseph", "Nwosu", "Joe", "1963-08-27", [], "Chronic low back pain, manual job."),
        ],
    },
    "Hilltop Wellness": {
        "address": "3 Summit Road\nHighcross HC4 9HT",
        "phone": "01632 960 202",
        "email": "care@hilltop.example",
        "practitioners": [("chen", "Chen Wei", "BSc Traditional Chinese Medicine", "TCM-5521")],
        "clients": [
            ("Amira", "Said", "", "1979-02-12", [], "Tension in shoulders and upper back."),
            (
                "Peter",
                "Walsh",
                "",
                "1955-10-30",
                ["anticoagulant"],
                "Atrial fibrillation, on apixaban.",
            ),
            (
                "Sofia",
                "Marin",
                "",
                "1993-06-06",
                ["pregnancy"],
                "First pregnancy, 30 weeks; low back ache.",
            ),
            ("George", "Turner", "", "1970-12-24", [], "Headaches behind the eyes."),
            ("Isla", "Campbell", "", "1999-03-03", [], "Anxiety before presentations."),
            (
                "Marcus",
                "Bell",
                "",
                "1968-07-15",
                ["recent_fracture@forearm:left"],
                "Wrist fracture (left) healed, still stiff.",
            ),
            ("Hannah", "Fischer", "", "1986-09-21", [], "Neck pain from screen work."),
            ("Kwame", "Asante", "", "1977-11-11", [], "Sciatica, right side."),
            ("Lily", "Evans", "", "2003-01-25", [], "Period pain and lower back ache."),
            ("Noah", "Green", "", "1960-05-08", ["skin_broken@forearm:both"], "Eczema, forearms."),
            ("Zara", "Qureshi", "", "1982-08-18", [], "Stress, jaw clenching."),
            ("Victor", "Ivanov", "", "1952-04-04", [], "Arthritic knees, leg cramps at night."),
        ],
    },
}


class Command(BaseCommand):
    help = "Create the demo clinics, practitioners, clients and an admin user. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo login (default: generated)")

    @transaction.atomic
    def handle(self, *args, password=None, **options):
        password = password or secrets.token_urlsafe(9)
        User = get_user_model()
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
            for index, (first, last, preferred, born, flags, history) in enumerate(spec["clients"]):
                slug = f"{first}.{last}".lower()
                Client.objects.get_or_create(
                    clinic=clinic,
                    first_name=first,
                    last_name=last,
                    defaults={
                        "preferred_name": preferred,
                        "date_of_birth": born,
                        "phone": f"07700 900{index:03d}",
                        "email": f"{slug}@example.com",
                        **flags_and_sites(flags),
                        "health_history": history,
                        "primary_practitioner": practitioners[index % len(practitioners)],
                    },
                )
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.com"}
        )
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
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
