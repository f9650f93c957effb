"""The catalogue's pages. The catalogue is the lowest layer and knows nothing of
practitioners: config.urls includes these pages behind clinic.access.practitioner_required,
as DRF's default permission guards the catalogue API."""

from django.urls import path

from .views import browse

app_name = "catalogue"

urlpatterns = [
    path("", browse.PointListView.as_view(), name="point-list"),
    path("points/<str:code>/", browse.PointDetailView.as_view(), name="point-detail"),
    path("conditions/<slug:slug>/", browse.ConditionDetailView.as_view(), name="condition-detail"),
]
