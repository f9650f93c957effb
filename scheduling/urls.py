from django.urls import path

from .views import feeds

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
urlpatterns += [
    path("diary/feed/", feeds.FeedPageView.as_view(), name="feed"),
    path("diary/feed/revoke/", feeds.FeedRevokeView.as_view(), name="feed-revoke"),
    path("diary/feed/<str:token>.ics", feeds.feed_ics, name="feed-ics"),
]
