from django.urls import path

from . import views

app_name = "homecare"

urlpatterns = [
    path(
        "sessions/<int:session_pk>/homecare/",
        views.SheetFromSessionView.as_view(),
        name="sheet-from-session",
    ),
    path(
        "sessions/<int:session_pk>/homecare/print/",
        views.SheetIssueAndPrintView.as_view(),
        name="sheet-print-from-session",
    ),
    path(
        "clients/<int:client_pk>/homecare/new/",
        views.SheetCreateView.as_view(),
        name="sheet-create",
    ),
    path("homecare/<int:pk>/", views.SheetDetailView.as_view(), name="sheet-detail"),
    path("homecare/<int:pk>/edit/", views.SheetUpdateView.as_view(), name="sheet-update"),
    path("homecare/<int:pk>/print/", views.SheetPrintView.as_view(), name="sheet-print"),
    path(
        "homecare/<int:pk>/print-options/",
        views.SheetPrintOptionsView.as_view(),
        name="sheet-print-options",
    ),
    path("homecare/<int:pk>/pdf/", views.SheetPdfView.as_view(), name="sheet-pdf"),
    path("homecare/<int:pk>/issue/", views.SheetIssueView.as_view(), name="sheet-issue"),
    path(
        "homecare/<int:pk>/new-version/",
        views.SheetNewVersionView.as_view(),
        name="sheet-new-version",
    ),
]
