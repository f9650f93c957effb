from django.urls import path

from .views import plans, today

app_name = "scheduling"

# Each block is one topic's pages; their views are in views/<topic>.py.
urlpatterns = []

# Appointments and the calendar (views/appointments.py, views/calendar.py).
urlpatterns += []

# Today's list and "Start session" (views/today.py).
urlpatterns += [
    path(
        "appointments/<int:pk>/mark/",
        today.MarkAppointmentView.as_view(),
        name="appointment-mark",
    ),
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
urlpatterns += []
