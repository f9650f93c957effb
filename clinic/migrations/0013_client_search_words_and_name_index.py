"""Clients are found through their words (clinic/client_search.py), written here for the
clients there are; the list reads a clinic's clients in name order off one index."""

import django.db.models.deletion
from django.db import migrations, models


def write_search_words(apps, schema_editor):
    from clinic.client_search import words_of  # a pure function of the client's fields

    Client = apps.get_model("clinic", "Client")
    ClientSearchWord = apps.get_model("clinic", "ClientSearchWord")
    fields = ["pk", "clinic_id", "first_name", "last_name", "preferred_name", "email", "phone"]
    batch = []
    for client in Client.objects.only(*fields).iterator(chunk_size=2000):
        batch += [
            ClientSearchWord(client_id=client.pk, clinic_id=client.clinic_id, word=word)
            for word in words_of(client)
        ]
        if len(batch) >= 5000:
            ClientSearchWord.objects.bulk_create(batch)
            batch = []
    ClientSearchWord.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0012_access_log_diary_records"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClientSearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100)),
            ],
        ),
        migrations.RemoveIndex(
            model_name="client",
            name="client_name_idx",
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["clinic", "last_name", "first_name", "id"], name="client_clinic_name_idx"
            ),
        ),
        migrations.AddField(
            model_name="clientsearchword",
            name="client",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="search_words",
                to="clinic.client",
            ),
        ),
        migrations.AddField(
            model_name="clientsearchword",
            name="clinic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clinic.clinic"
            ),
        ),
        migrations.AddIndex(
            model_name="clientsearchword",
            index=models.Index(
                fields=["clinic", "word"],
                name="client_search_word_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddConstraint(
            model_name="clientsearchword",
            constraint=models.UniqueConstraint(
                fields=("client", "word"), name="client_search_word_once"
            ),
        ),
        migrations.RunPython(write_search_words, migrations.RunPython.noop),
    ]
