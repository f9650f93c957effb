"""The second factor in the admin: django-otp's own admins are replaced, since they show
the secret key and the recovery codes."""

from django.contrib import admin
from django_otp.plugins.otp_static import admin as static_admin
from django_otp.plugins.otp_totp import admin as totp_admin

admin.site.unregister(totp_admin.TOTPDevice)
admin.site.unregister(static_admin.StaticDevice)
