from django.db.models import Count, Q
from django.views.generic import TemplateView

from .. import panels
from ..access import PractitionerRequiredMixin, clients_for


class DashboardView(PractitionerRequiredMixin, TemplateView):
    template_name = "clinic/dashboard.html"

    def get_context_data(self, **kwargs):
        clients = clients_for(self.practitioner)
        # Of the clinic column, not the id: PostgreSQL then counts off client_clinic_archived_idx
        # alone (COUNT(*) takes no filter in Django).
        counts = clients.aggregate(
            active=Count("clinic", filter=Q(archived_at__isnull=True)),
            archived=Count("clinic", filter=Q(archived_at__isnull=False)),
            mine=Count(
                "clinic",
                filter=Q(archived_at__isnull=True, primary_practitioner=self.practitioner),
            ),
        )
        recent = clients.active().order_by("-updated_at", "-pk")[:8]
        return super().get_context_data(
            counts=counts,
            recent_clients=recent,
            **panels.panels_context(panels.DASHBOARD, practitioner=self.practitioner),
            **kwargs,
        )
