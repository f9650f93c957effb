from django.urls import path

from .views import records

app_name = "sessions"

urlpatterns = [
    path(
        "clients/<int:client_pk>/sessions/new/",
        records.SessionCreateView.as_view(),
        name="session-create",
    ),
    path("sessions/<int:pk>/", records.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<int:pk>/edit/", records.SessionUpdateView.as_view(), name="session-update"),
    path("sessions/<int:pk>/sign/", records.SessionSignView.as_view(), name="session-sign"),
    path("sessions/<int:pk>/amend/", records.SessionAmendView.as_view(), name="session-amend"),
]
