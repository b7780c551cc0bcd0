from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civicbridge.accounts"
    label = "accounts"
