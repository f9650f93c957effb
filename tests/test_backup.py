"""A backup taken while writers run holds every write acknowledged before it began, and a
restore puts it all back and says so."""

import hashlib
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.clinic.test_settings_and_commands import json_from_a_file_database

WRITERS = 4


def backup_while_writing(directory: Path) -> dict:
    """Writers add clients until the backup is done; returns what was acknowledged before
    the backup began, and what the restore found."""
    from clinic.models import Client, Clinic
    from operations.backups import backup, restore

    clinic = Clinic.objects.create(name="Backup rehearsal")
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    enough = threading.Barrier(WRITERS + 1)  # every writer has written before the backup

    def write(number):
        try:
            for index in range(100_000):
                client = Client.objects.create(
                    clinic=clinic, first_name=f"W{number}", last_name=f"{index}"
                )
                with lock:
                    acknowledged.append(client.pk)
                if index == 2:
                    enough.wait()
                if stop.is_set():
                    return
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    enough.wait()
    with lock:
        before = list(acknowledged)
    path = directory / "clinic.backup"
    backup(path)
    with lock:
        during = len(acknowledged) - len(before)
    stop.set()
    for writer in writers:
        writer.join()
    written = len(acknowledged)
    report = restore(path)
    return {
        "before": len(before),
        "during": during,
        "written": written,
        "found": Client.objects.filter(pk__in=before).count(),
        "after_restore": Client.objects.filter(clinic__name="Backup rehearsal").count(),
        "ok": report.ok,
        "integrity": report.integrity,
    }


def check(result):
    assert result["before"] >= WRITERS * 3
    assert result["found"] == result["before"]  # nothing acknowledged before it is lost
    assert result["before"] <= result["after_restore"] <= result["written"]
    assert result["ok"] and result["integrity"] == "ok"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL test is below")
def test_a_sqlite_backup_taken_while_writing_is_complete(tmp_path):
    imports = "from pathlib import Path; from tests.test_backup import backup_while_writing"
    check(
        json_from_a_file_database(
            tmp_path, imports, f"backup_while_writing(Path({str(tmp_path)!r}))"
        )
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQLite test is above")
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_taken_while_writing_is_complete(tmp_path):
    check(backup_while_writing(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_restore_checks_the_pdfs_and_says_so(tmp_path, practitioner, capsys):
    from homecare.models import HomeCareSheet
    from tests.homecare.api_support import a_sheet

    sheet = a_sheet(practitioner.clinic.clients.create(first_name="A", last_name="B"), practitioner)
    pdf = b"%PDF-1.7 stored bytes \x00\xff"
    HomeCareSheet.objects.filter(pk=sheet.pk).update(
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=sheet.created_at,
        issued_by=practitioner,
    )
    path = tmp_path / "clinic.backup"
    call_command("backup", str(path))
    assert "Backed up" in capsys.readouterr().out
    call_command("restore", str(path))
    out = capsys.readouterr().out
    assert "Integrity check: ok." in out
    assert "Issued PDFs checked: 1, wrong: 0" in out
    assert "everything is there" in out

    # A backup whose PDF was altered is reported, and the command fails.
    HomeCareSheet.objects.filter(pk=sheet.pk).update(pdf=b"%PDF-1.7 altered")
    altered = tmp_path / "altered.backup"
    call_command("backup", str(altered))
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(altered))
    assert f"wrong: 1 [{sheet.pk}]" in capsys.readouterr().out


def test_a_backup_never_overwrites_a_file(tmp_path, db):
    path = tmp_path / "clinic.backup"
    path.write_text("an older backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(path))
    assert path.read_text() == "an older backup"
