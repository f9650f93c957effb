from django.urls import path  # noqa: F401

app_name = "scheduling"

# Each block is one topic's pages; their views are in views/<topic>.py.
urlpatterns = []

# Appointments and the calendar (views/appointments.py, views/calendar.py).
urlpatterns += []

# Today's list and "Start session" (views/today.py).
urlpatterns += []

# Treatment plans (views/plans.py).
urlpatterns += []

# Calendar feeds (views/feeds.py).
urlpatterns += []
