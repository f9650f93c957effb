from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from catalogue.api import ConditionViewSet, PointViewSet, PressureToolViewSet
from clinic.api import ClientViewSet, ObtainTokenView
from clinic.views.accounts import ThrottledLoginView
from sessions.api import SessionViewSet
from sessions.homecare_api import HomeCareSheetViewSet

router = DefaultRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("points", PointViewSet, basename="point")
router.register("conditions", ConditionViewSet, basename="condition")
router.register("tools", PressureToolViewSet, basename="tool")
router.register("sessions", SessionViewSet, basename="session")
router.register("homecare-sheets", HomeCareSheetViewSet, basename="homecare-sheet")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("catalogue/", include("catalogue.urls")),
    path("", include("sessions.urls")),
    path("", include("clinic.urls_pages")),
]
