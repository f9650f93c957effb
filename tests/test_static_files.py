"""The README's production recipe runs collectstatic with the manifest storage: every file a
vendored script or stylesheet names (a source map, a font) has to be there, or it fails."""

from django.core.management import call_command
from django.test import override_settings

MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def test_collectstatic_with_the_manifest_storage_finds_every_file_named(tmp_path, settings):
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    hashed = list((tmp_path / "vendor" / "event-calendar-5.10.1").glob("event-calendar.min.*.js"))
    assert len(hashed) == 1
    assert "sourceMappingURL=event-calendar.min.js." in hashed[0].read_text()
    assert (tmp_path / "staticfiles.json").exists()
