from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from hms.accounts.signals import use_the_users_language

        user_logged_in.connect(use_the_users_language, dispatch_uid="hms_user_language")
