from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self):
        from django.contrib.auth import signals

        from . import access_log, second_factor, session_lifetime

        signals.user_logged_in.connect(access_log.log_login, dispatch_uid="access_log_login")
        signals.user_logged_out.connect(access_log.log_logout, dispatch_uid="access_log_logout")
        signals.user_logged_in.connect(second_factor.note_login, dispatch_uid="second_factor_login")
        signals.user_logged_in.connect(
            session_lifetime.note_login, dispatch_uid="session_lifetime_login"
        )
        signals.user_login_failed.connect(
            access_log.log_login_failure, dispatch_uid="access_log_login_failed"
        )
