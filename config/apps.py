from django.contrib.admin.apps import AdminConfig


class OpsAdminConfig(AdminConfig):
    """Django's admin with the product's site (`config.admin.OpsAdminSite`): an index that shows what needs
    attention first."""

    default_site = "config.admin.OpsAdminSite"
