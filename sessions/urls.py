from django.urls import path

from .views import homecare, records

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
    path(
        "sessions/<int:pk>/homecare/",
        homecare.SheetFromSessionView.as_view(),
        name="homecare-from-session",
    ),
    path(
        "clients/<int:client_pk>/homecare/new/",
        homecare.SheetCreateView.as_view(),
        name="homecare-create",
    ),
    path("homecare/<int:pk>/", homecare.SheetDetailView.as_view(), name="homecare-detail"),
    path("homecare/<int:pk>/edit/", homecare.SheetUpdateView.as_view(), name="homecare-update"),
    path("homecare/<int:pk>/print/", homecare.SheetPrintView.as_view(), name="homecare-print"),
    path("homecare/<int:pk>/pdf/", homecare.SheetPdfView.as_view(), name="homecare-pdf"),
    path("homecare/<int:pk>/issue/", homecare.SheetIssueView.as_view(), name="homecare-issue"),
    path(
        "homecare/<int:pk>/new-version/",
        homecare.SheetNewVersionView.as_view(),
        name="homecare-new-version",
    ),
]
