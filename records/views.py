from django.shortcuts import get_object_or_404
from django.views import View

from clinic.access import PractitionerRequiredMixin

from .downloads import export_response
from .export import clients_to_export


class ClientExportView(PractitionerRequiredMixin, View):
    """The client's whole record as a file: `?format=json` (the default) or `pdf`."""

    def get(self, request, pk):
        client = get_object_or_404(clients_to_export(self.practitioner), pk=pk)
        return export_response(
            request,
            client,
            practitioner=self.practitioner,
            export_format=request.GET.get("format", "json"),
        )
