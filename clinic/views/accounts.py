from django.contrib.auth import views as auth_views


class ThrottledLoginView(auth_views.LoginView):
    """Django's login page; django-axes throttles it in the authentication backend
    (clinic/throttle.py)."""
