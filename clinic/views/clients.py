from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from catalogue.cautioning import RuleBook
from catalogue.models import HealthFlag

from .. import panels
from ..access import PractitionerRequiredMixin, clients_for, get_client_or_404
from ..access_log import AccessEvent, record_view, viewers_of
from ..client_search import search_clients
from ..forms import ClientForm
from ..keyset import keyset_page
from ..models import NAME_ORDER, Client
from ..revisions import StaleEdit, locked_current, show_conflicts

STATUS_CHOICES = {"active": "Active", "archived": "Archived", "all": "All"}


class ClientListView(PractitionerRequiredMixin, ListView):
    """A clinic's clients in name order, 25 a page, each page read off the (clinic, name)
    index after the last one shown: no count of them all, no offset past them."""

    template_name = "clinic/client_list.html"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:100]
        self.status = self.request.GET.get("status", "active")
        if self.status not in STATUS_CHOICES:
            self.status = "active"
        clients = clients_for(self.practitioner).select_related("primary_practitioner")
        if self.status == "active":
            clients = clients.active()
        elif self.status == "archived":
            clients = clients.archived()
        return search_clients(clients, self.query, clinic_id=self.practitioner.clinic_id)

    def get_context_data(self, **kwargs):
        page = keyset_page(
            self.object_list,
            fields=NAME_ORDER,
            after=self.request.GET.get("after"),
            before=self.request.GET.get("before"),
        )
        add_last_sessions(page.rows)
        return super().get_context_data(
            clients=page.rows,
            page=page,
            query=self.query,
            status=self.status,
            status_choices=STATUS_CHOICES,
            flag_labels=dict(HealthFlag.objects.values_list("code", "label")),
            **kwargs,
        )


def add_last_sessions(clients) -> None:
    """Each client's `last_session` (start time or None), read for this page's clients
    alone, through the sessions' (client, started_at) index."""
    last = dict(
        Client.objects.filter(pk__in=[c.pk for c in clients])
        .annotate(last=Max("treatment_sessions__started_at"))
        .values_list("pk", "last")
    )
    for client in clients:
        client.last_session = last.get(client.pk)


class ClientScopedMixin(PractitionerRequiredMixin):
    """Fetches the client through the practitioner's clinic: strangers get 404."""

    def get_object(self, queryset=None):
        return get_client_or_404(self.practitioner, self.kwargs["pk"])


class ClientDetailView(ClientScopedMixin, DetailView):
    """The client's record; each view is logged, and the page lists the latest views."""

    template_name = "clinic/client_detail.html"
    context_object_name = "client"
    viewers_shown = 10

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        record_view(
            request,
            client=self.object,
            record_type=AccessEvent.RecordType.CLIENT,
            record_id=self.object.pk,
        )
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        history = self.object.history.select_related("history_user").order_by("-history_date")[:10]
        return super().get_context_data(
            changes=describe_changes(history),
            rule_book=RuleBook(self.object.flag_profile()),
            viewers=viewers_of(self.object, limit=self.viewers_shown),
            **panels.panels_context(
                panels.CLIENT_PAGE,
                practitioner=self.practitioner,
                client=self.object,
                query=self.request.GET,
            ),
            **kwargs,
        )


def describe_changes(records):
    """Who changed what and when, newest first, from simple-history records."""
    records = list(records)
    changes = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            fields = ["created"] if record.history_type == "+" else []
        else:
            delta = record.diff_against(older, excluded_fields=["updated_at"])
            fields = [
                record.instance_type._meta.get_field(name).verbose_name
                for name in delta.changed_fields
            ]
        changes.append({"record": record, "fields": fields})
    return changes


class ClientCreateView(PractitionerRequiredMixin, CreateView):
    template_name = "clinic/client_form.html"
    form_class = ClientForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "practitioner": self.practitioner}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"{self.object.full_name} was added.")
        return response

    def get_success_url(self):
        return reverse("clinic:client-detail", args=[self.object.pk])


class ClientUpdateView(ClientScopedMixin, UpdateView):
    template_name = "clinic/client_form.html"
    form_class = ClientForm
    context_object_name = "client"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "practitioner": self.practitioner}

    def form_valid(self, form):
        """Saved only over the revision the form was opened at."""
        try:
            with transaction.atomic():
                locked_current(
                    Client,
                    self.object.pk,
                    expected_revision=form.cleaned_data["revision"],
                    noun="client",
                )
                self.object = form.save()
        except StaleEdit as stale:
            form.add_error(None, stale)
            show_conflicts(form, stale.current, [*form.Meta.fields, "consent"])
            return self.form_invalid(form)
        messages.success(self.request, "Changes saved.")
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse("clinic:client-detail", args=[self.object.pk])


class ClientArchiveView(ClientScopedMixin, View):
    """POST only: archive (or restore) a client. Clients are never deleted."""

    restore = False
    http_method_names = ["post"]

    def post(self, request, pk):
        client = self.get_object()
        if self.restore:
            client.restore()
            messages.success(request, f"{client.full_name} was restored.")
        else:
            client.archive()
            messages.success(request, f"{client.full_name} was archived. Restore them at any time.")
        return redirect("clinic:client-detail", pk=client.pk)
