"""The second factor's pages: the login's second step, setting up an authenticator app,
new recovery codes and removing it (the rules are in clinic/second_factor.py)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from .. import second_factor

SETUP_KEY = "second_factor_setup_key"  # the key shown on the setup page, until confirmed
ACCOUNT = "clinic:account"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class SetupForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from the app",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label="Your password",
        required=False,
        help_text="Needed to replace the authenticator app you have now.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ReauthForm(forms.Form):
    """Your password, or a code, before something that changes your second factor."""

    password = forms.CharField(
        label="Your password",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="or a code",
        required=False,
        max_length=32,
        help_text="The 6-digit code from your authenticator app, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, request, with_password=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if not with_password:
            del self.fields["password"]
            self.fields["code"].label = "Code"
            self.fields["code"].required = True

    def clean(self):
        data = super().clean()
        user = self.request.user
        if data.get("code"):
            check = second_factor.check_code(user, data["code"])
            second_factor.record_check(self.request, user, check)
            if not check.passed:
                self.throttled = check.throttled
                raise forms.ValidationError(check.error)
        elif data.get("password"):
            # Through authenticate(), so wrong passwords are throttled like at the login.
            name = user.get_username()
            if authenticate(self.request, username=name, password=data["password"]) is None:
                raise forms.ValidationError("That password is not right.")
        elif "password" in self.fields:
            raise forms.ValidationError("Enter your password or a code.")
        return data


def next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


class VerifyView(LoginRequiredMixin, View):
    """The login's second step: a code from the app, or a recovery code."""

    template_name = "clinic/second_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and second_factor.step_for(request) != "verify":
            return redirect(next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.show(form)
        check = second_factor.pass_second_factor(request, form.cleaned_data["code"])
        if not check.passed:
            form.add_error("code", check.error)
            return self.show(form, status=429 if check.throttled else 200)
        second_factor.warn_if_few_codes_left(request, check)
        return redirect(next_url(request))

    def show(self, form, status=200):
        context = {"form": form, "next": next_url(self.request)}
        return render(self.request, self.template_name, context, status=status)


class SetupView(LoginRequiredMixin, View):
    """A new key as a QR code and as text; the app is set up once it gives a right code."""

    template_name = "clinic/second_factor_setup.html"

    def get(self, request):
        return self.show(SetupForm())

    def post(self, request):
        form = SetupForm(request.POST)
        key = request.session.get(SETUP_KEY)
        if not form.is_valid():
            return self.show(form)
        if key is None:  # no key was shown in this login
            form.add_error("code", "Scan the QR code below, then type the code the app shows.")
            return self.show(form)
        if self.replacing and not self.password_ok(form):
            return self.show(form)
        codes = second_factor.set_up(request=request, key=key, code=form.cleaned_data["code"])
        if codes is None:
            form.add_error(
                "code",
                "That code does not match. Check that the phone's clock is right, and type "
                "the code the app shows now.",
            )
            return self.show(form)
        del request.session[SETUP_KEY]
        return show_codes(request, codes, next_url(request), first_time=not self.replacing)

    def password_ok(self, form):
        password = form.cleaned_data["password"]
        user = self.request.user
        if password and authenticate(self.request, username=user.get_username(), password=password):
            return True
        form.add_error("password", "Enter your password to replace your authenticator app.")
        return False

    @property
    def replacing(self):
        return second_factor.has_second_factor(self.request.user)

    def show(self, form, status=200):
        request = self.request
        key = request.session.setdefault(SETUP_KEY, second_factor.new_key())
        replacing = self.replacing
        if not replacing:
            del form.fields["password"]
        context = {
            "form": form,
            "next": next_url(request),
            "qr": second_factor.qr_svg(request.user, key),
            "secret": second_factor.secret_text(key),
            "replacing": replacing,
            "required": second_factor.required_because(request.user),
        }
        return render(request, self.template_name, context, status=status)


def show_codes(request, codes, next_url, first_time=False):
    context = {"codes": codes, "next": next_url, "first_time": first_time}
    return render(request, "clinic/second_factor_codes.html", context)


class NeedsAppMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not second_factor.has_second_factor(request.user):
            messages.info(request, "You have no second factor yet.")
            return redirect("clinic:second-factor-setup")
        return super().dispatch(request, *args, **kwargs)


class RecoveryCodesView(NeedsAppMixin, View):
    """New recovery codes (the old ones stop working), after the password or a code."""

    template_name = "clinic/second_factor_recovery_codes.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ReauthForm(request=request)})

    def post(self, request):
        form = ReauthForm(request.POST, request=request)
        if not form.is_valid():
            status = 429 if getattr(form, "throttled", False) else 200
            return render(request, self.template_name, {"form": form}, status=status)
        codes = second_factor.new_recovery_codes(user=request.user)
        return show_codes(request, codes, reverse(ACCOUNT))


class RemoveView(NeedsAppMixin, View):
    """Remove the app and the recovery codes, with a current code; not where required."""

    template_name = "clinic/second_factor_remove.html"

    def get(self, request):
        return self.show(ReauthForm(request=request, with_password=False))

    def post(self, request):
        if second_factor.required_because(request.user):
            raise PermissionDenied(self.required_message())
        form = ReauthForm(request.POST, request=request, with_password=False)
        if not form.is_valid():
            return self.show(form, status=429 if getattr(form, "throttled", False) else 200)
        second_factor.remove(request=request, user=request.user)
        messages.success(request, "Your second factor is removed: you log in with your password.")
        return redirect(ACCOUNT)

    def required_message(self):
        reason = second_factor.required_because(self.request.user)
        return second_factor.REQUIRED.format(reason=reason) if reason else ""

    def show(self, form, status=200):
        context = {"form": form, "required": self.required_message()}
        return render(self.request, self.template_name, context, status=status)
