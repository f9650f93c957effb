from django.urls import path

from .views import appointments, calendar, feeds, hours, plans, today

app_name = "scheduling"

# Each block is one topic's pages; their views are in views/<topic>.py.
urlpatterns = []

# Working hours and time off (views/hours.py).
urlpatterns += [
    path("diary/hours/", hours.HoursView.as_view(), name="hours"),
    path("diary/hours/<int:practitioner_pk>/", hours.HoursView.as_view(), name="hours-of"),
    path("diary/hours/time-off/", hours.TimeOffAddView.as_view(), name="time-off-add"),
    path(
        "diary/hours/<int:practitioner_pk>/time-off/",
        hours.TimeOffAddView.as_view(),
        name="time-off-add-for",
    ),
    path(
        "diary/time-off/<int:pk>/remove/",
        hours.TimeOffRemoveView.as_view(),
        name="time-off-remove",
    ),
]

# Appointments and the calendar (views/appointments.py, views/calendar.py).
urlpatterns += [
    path("diary/", calendar.CalendarView.as_view(), name="calendar"),
    path("diary/events/", calendar.CalendarEventsView.as_view(), name="calendar-events"),
    path(
        "appointments/new/",
        appointments.BookAppointmentView.as_view(),
        name="appointment-create",
    ),
    path(
        "appointments/<int:pk>/",
        appointments.AppointmentDetailView.as_view(),
        name="appointment-detail",
    ),
    path(
        "appointments/<int:pk>/edit/",
        appointments.EditAppointmentView.as_view(),
        name="appointment-edit",
    ),
    path(
        "appointments/<int:pk>/status/",
        appointments.AppointmentStatusView.as_view(),
        name="appointment-status",
    ),
    path(
        "appointments/<int:pk>/move/",
        calendar.MoveAppointmentView.as_view(),
        name="appointment-move",
    ),
]

# Today's list and "Start session" (views/today.py).
urlpatterns += [
    path(
        "appointments/<int:pk>/session/",
        today.StartSessionView.as_view(),
        name="appointment-session",
    ),
]

# Treatment plans (views/plans.py).
urlpatterns += [
    path("clients/<int:client_pk>/plans/new/", plans.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
]

# Calendar feeds (views/feeds.py).
urlpatterns += [
    path("diary/feed/", feeds.FeedPageView.as_view(), name="feed"),
    path("diary/feed/revoke/", feeds.FeedRevokeView.as_view(), name="feed-revoke"),
    path("diary/feed/<str:token>.ics", feeds.feed_ics, name="feed-ics"),
]
