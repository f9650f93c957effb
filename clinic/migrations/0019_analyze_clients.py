"""Fresh planner statistics for the client table after 0018's index.

Without them SQLite takes the partial recent-clients index for the client list (its WHERE
matches the list's "active" filter) and sorts the clinic's clients by name: 8 ms of SQL for
a page of 25 at 20,000 clients, instead of 0.4 ms off the name index. SQLite never gathers
statistics by itself; ANALYZE of one table takes about half a second at 100,000 clients.
PostgreSQL's autovacuum would get there, but not at once.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("clinic", "0018_recent_clients_tie_break")]

    operations = [
        migrations.RunSQL("ANALYZE clinic_client", reverse_sql=migrations.RunSQL.noop),
    ]
