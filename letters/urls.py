from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path(
        "sessions/<int:session_pk>/letter/",
        views.LetterFromSessionView.as_view(),
        name="letter-from-session",
    ),
    path("letters/<int:pk>/", views.LetterDetailView.as_view(), name="letter-detail"),
    path("letters/<int:pk>/pdf/", views.LetterPdfView.as_view(), name="letter-pdf"),
    path("letters/<int:pk>/issue/", views.LetterIssueView.as_view(), name="letter-issue"),
]
