from django.contrib.auth import views as auth_views

from .. import login_throttle


class ThrottledLoginView(auth_views.LoginView):
    """Django's login page, refusing further tries after too many failures."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        ip = login_throttle.client_ip(request)
        if login_throttle.too_many_failures(username, ip):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, login_throttle.TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_throttle.record_failure(
            self.request.POST.get("username", ""), login_throttle.client_ip(self.request)
        )
        return super().form_invalid(form)
