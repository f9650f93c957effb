from django.urls import path

from .views import access_log, account, clients, dashboard, lockouts, second_factor, team

app_name = "clinic"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("access-log/", access_log.AccessLogView.as_view(), name="access-log"),
    path("account/", account.AccountView.as_view(), name="account"),
    path(
        "account/tokens/<int:pk>/revoke/",
        account.TokenRevokeView.as_view(),
        name="token-revoke",
    ),
    path("clients/", clients.ClientListView.as_view(), name="client-list"),
    path("clients/new/", clients.ClientCreateView.as_view(), name="client-create"),
    path("clients/<int:pk>/", clients.ClientDetailView.as_view(), name="client-detail"),
    path("clients/<int:pk>/edit/", clients.ClientUpdateView.as_view(), name="client-update"),
    path("clients/<int:pk>/archive/", clients.ClientArchiveView.as_view(), name="client-archive"),
    path(
        "clients/<int:pk>/restore/",
        clients.ClientArchiveView.as_view(restore=True),
        name="client-restore",
    ),
    path(
        "accounts/second-factor/",
        second_factor.VerifyView.as_view(),
        name="second-factor-verify",
    ),
    path(
        "account/second-factor/setup/",
        second_factor.SetupView.as_view(),
        name="second-factor-setup",
    ),
    path(
        "account/second-factor/recovery-codes/",
        second_factor.RecoveryCodesView.as_view(),
        name="second-factor-recovery-codes",
    ),
    path(
        "account/second-factor/remove/",
        second_factor.RemoveView.as_view(),
        name="second-factor-remove",
    ),
    path("team/", team.TeamView.as_view(), name="team"),
    path("team/new/", team.TeamAddView.as_view(), name="team-add"),
    path("team/<int:pk>/", team.TeamMemberView.as_view(), name="team-member"),
    path(
        "team/second-factor/",
        team.SecondFactorSettingView.as_view(),
        name="team-second-factor",
    ),
    path("lockouts/", lockouts.LockoutListView.as_view(), name="lockout-list"),
    path("lockouts/clear/", lockouts.LockoutClearView.as_view(), name="lockout-clear"),
]
