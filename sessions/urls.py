from django.urls import path

from . import views

app_name = "sessions"

urlpatterns = [
    path(
        "clients/<int:client_pk>/sessions/new/",
        views.SessionCreateView.as_view(),
        name="session-create",
    ),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<int:pk>/edit/", views.SessionUpdateView.as_view(), name="session-update"),
    path("sessions/<int:pk>/sign/", views.SessionSignView.as_view(), name="session-sign"),
    path("sessions/<int:pk>/amend/", views.SessionAmendView.as_view(), name="session-amend"),
]
