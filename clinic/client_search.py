"""Finding a client by what the practitioner types: the start of any of their names, of a
part of their email, or of their phone number's digits; accents and case aside ("zoe"
finds Zoë, "07700" finds 07700 111222).

Each client's words are kept in ClientSearchWord (written whenever the client is saved), so
that a search is a prefix range on one index (clinic, word) rather than a LIKE '%…%' over
five columns of every client the clinic has."""

import re
import unicodedata

from django.db import connection
from django.db.models import Q

SEARCHED_FIELDS = ("first_name", "last_name", "preferred_name", "email", "phone")
WORD_LENGTH = 100


def fold(text: str) -> str:
    """Lower case, without accents: "Ñúñez" → "nunez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def split_words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def words_of(client) -> set[str]:
    """Each name and email part, each name joined up ("O'Brien" → o, brien, obrien), the
    phone's digits whole and by group."""
    words: set[str] = set()
    for text in (client.first_name, client.last_name, client.preferred_name, client.email):
        parts = split_words(text)
        words.update(parts)
        if len(parts) > 1 and "@" not in text:
            words.add("".join(parts))
    if digits := re.sub(r"\D", "", client.phone):
        words.add(digits)
        words.update(group for group in re.findall(r"\d+", client.phone) if len(group) >= 3)
    return {word[:WORD_LENGTH] for word in words}


def refresh_words(client, *, adding: bool = False) -> None:
    from .models import ClientSearchWord

    wanted = words_of(client)
    kept = set() if adding else set(client.search_words.values_list("word", flat=True))
    if wanted == kept:
        return
    client.search_words.exclude(word__in=wanted).delete()
    ClientSearchWord.objects.bulk_create(
        ClientSearchWord(client=client, clinic_id=client.clinic_id, word=word)
        for word in sorted(wanted - kept)
    )


def starts_with(prefix: str) -> Q:
    """Words beginning with `prefix`, in a form each database reads from the (clinic, word)
    index: SQLite compares bytes, so a range; PostgreSQL's collation need not sort by
    bytes, so LIKE on the index built with the pattern operator class."""
    if connection.vendor == "postgresql":
        return Q(word__startswith=prefix)
    return Q(word__gte=prefix, word__lt=prefix + "\U0010ffff")


def search_clients(clients, query: str, *, clinic_id: int):
    """Those of `clients` (the clinic's) whose words start with every word of the query."""
    from .models import ClientSearchWord

    words = ClientSearchWord.objects.filter(clinic_id=clinic_id)
    for term in split_words(query)[:10]:
        found = words.filter(starts_with(term[:WORD_LENGTH])).values("client_id")
        clients = clients.filter(pk__in=found)
    return clients
