from django.urls import path  # noqa: F401

from .views import appointments, calendar

app_name = "scheduling"

# Each block is one topic's pages; their views are in views/<topic>.py.
urlpatterns = []

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
urlpatterns += []

# Treatment plans (views/plans.py).
urlpatterns += []

# Calendar feeds (views/feeds.py).
urlpatterns += []
