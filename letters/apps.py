from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    label = "letters"
    verbose_name = "Letters"
