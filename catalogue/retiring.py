from django.db import models


class RetirableQuerySet(models.QuerySet):
    """Points, tools, conditions, health flags and warning signs are retired (`is_active`),
    never deleted: old records keep them, new ones are offered only the active ones."""

    def active(self):
        return self.filter(is_active=True)
