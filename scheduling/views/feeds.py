"""The practitioner's calendar feed: the page in their account where they make, see and
revoke it, and the feed itself, opened by its secret alone (no login: the calendar app
that fetches it has none)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from clinic.access import PractitionerRequiredMixin

from .. import feeds


class FeedPageView(PractitionerRequiredMixin, View):
    """Your own feed (each practitioner has theirs): GET shows it, POST makes a new one,
    showing its address this once."""

    template_name = "scheduling/feed.html"

    def get(self, request):
        return self.page(request)

    def post(self, request):
        _, token = feeds.make_feed(practitioner=self.practitioner)
        address = request.build_absolute_uri(reverse("scheduling:feed-ics", args=[token]))
        return self.page(request, address=address)  # never cached: a logged-in page

    def page(self, request, address=None):
        context = {"feed": feeds.current_feed(self.practitioner), "address": address}
        return render(request, self.template_name, context)


class FeedRevokeView(PractitionerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        if feeds.revoke_feed(practitioner=self.practitioner):
            messages.success(request, "Feed revoked: calendars using its address get nothing now.")
        return redirect("scheduling:feed")


def feed_ics(request, token):
    """The feed: 404 for a secret that is unknown or revoked."""
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar feed.")
    response = HttpResponse(
        feeds.calendar(feed, host=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="diary.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
