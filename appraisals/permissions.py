"""Who may use the appraisal API: the app's Django model permissions, granted through the hr-integration group
(created by migration 0002, kept by post_migrate; `common.permissions.ModelPermissions` checks them)."""

from django.contrib.auth.models import Group

from common.groups import keep_group

HR_INTEGRATION_GROUP = "hr-integration"

#: post_migrate receiver (connected in AppraisalsConfig.ready): a flushed database gets the group back.
keep_hr_integration_group = keep_group("appraisals", HR_INTEGRATION_GROUP)


def hr_group_ensure() -> Group:
    """The hr-integration group, holding every model permission of this app: made by migration 0002, kept by
    post_migrate."""
    return Group.objects.get(name=HR_INTEGRATION_GROUP)
