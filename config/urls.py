"""Root URLs: the pages of each app, the admin, and the API under one `api` namespace."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

import catalogue.urls
from catalogue.api import (
    CautionRuleViewSet,
    ConditionViewSet,
    HealthFlagViewSet,
    PointViewSet,
    PressureToolViewSet,
    WarningSignViewSet,
)
from clinic.access import guard_patterns, practitioner_required
from clinic.api import ClientViewSet
from clinic.api_auth import ApiTokenViewSet, LogoutView, ObtainTokenView
from clinic.password_reset import LimitedPasswordResetView
from clinic.views.accounts import ThrottledLoginView
from config.api_docs import ApiDocsView
from homecare.api import HomeCareSheetViewSet
from letters.api import ReferralLetterViewSet
from records.api import ClientExportView
from scheduling.api import AppointmentViewSet
from scheduling.api_plans import TreatmentPlanViewSet
from scheduling.api_setup import AppointmentTypeViewSet, RoomViewSet, WorkingHoursViewSet
from sessions.api import SessionViewSet
from sessions.api_cautions import ClientCautionsView

router = DefaultRouter()
router.include_format_suffixes = False  # /clients/1/archive.json is not a route
router.register("clients", ClientViewSet, basename="client")
router.register("points", PointViewSet, basename="point")
router.register("conditions", ConditionViewSet, basename="condition")
router.register("tools", PressureToolViewSet, basename="tool")
router.register("health-flags", HealthFlagViewSet, basename="health-flag")
router.register("caution-rules", CautionRuleViewSet, basename="caution-rule")
router.register("warning-signs", WarningSignViewSet, basename="warning-sign")
router.register("sessions", SessionViewSet, basename="session")
router.register("homecare-sheets", HomeCareSheetViewSet, basename="homecare-sheet")
router.register("letters", ReferralLetterViewSet, basename="letter")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("appointment-types", AppointmentTypeViewSet, basename="appointment-type")
router.register("rooms", RoomViewSet, basename="room")
router.register("working-hours", WorkingHoursViewSet, basename="working-hours")
router.register("plans", TreatmentPlanViewSet, basename="plan")
router.register("auth/tokens", ApiTokenViewSet, basename="token")

api_urls = [
    path("v1/auth/token/", ObtainTokenView.as_view(), name="token"),
    path("v1/auth/logout/", LogoutView.as_view(), name="logout"),
    path("v1/clients/<int:pk>/export/", ClientExportView.as_view(), name="client-export"),
    path("v1/clients/<int:pk>/cautions/", ClientCautionsView.as_view(), name="client-cautions"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include((api_urls, "api"))),
    path(
        "catalogue/",
        include((guard_patterns(practitioner_required, catalogue.urls.urlpatterns), "catalogue")),
    ),
    path("", include("sessions.urls")),
    path("", include("homecare.urls")),
    path("", include("letters.urls")),
    path("", include("records.urls")),
    path("", include("scheduling.urls")),
    path("", include("clinic.urls")),
]

handler400 = "config.server_errors.bad_request"
handler404 = "config.server_errors.not_found"
handler500 = "config.server_errors.server_error"
