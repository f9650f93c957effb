from django.contrib.auth import views as auth_views

from .. import second_factor


class ThrottledLoginView(auth_views.LoginView):
    """Django's login page; django-axes throttles it in the authentication backend
    (clinic/throttle.py)."""

    def get_success_url(self):
        """After the password, an account with a second factor is asked for its code
        (one that needs a second factor and has none sets one up) before the page."""
        url = super().get_success_url()
        step = second_factor.step_for(self.request)
        return second_factor.step_url(step, url) if step else url
