from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("clients/<int:pk>/export/", views.ClientExportView.as_view(), name="client-export"),
]
