from django.views.generic import TemplateView

from .. import panels
from ..access import PractitionerRequiredMixin, clients_for
from ..client_counts import client_counts


class DashboardView(PractitionerRequiredMixin, TemplateView):
    template_name = "clinic/dashboard.html"

    def get_context_data(self, **kwargs):
        recent = clients_for(self.practitioner).active().order_by("-updated_at", "-pk")[:8]
        return super().get_context_data(
            counts=client_counts(self.practitioner),
            recent_clients=recent,
            **panels.panels_context(panels.DASHBOARD, practitioner=self.practitioner),
            **kwargs,
        )
