"""Admin access for the editors' and moderators' screens.

Editors see replies only read-only inside the question admin (the inline checks the
question permission), so they lose the stand-alone Reply screen. Moderators see
which articles are attached to a question in the question admin, read-only.
"""

from django.db import migrations

REMOVE = {"Editors": [("answers", "view_reply")]}
ADD = {"Moderators": [("answers", "view_article")]}


def _apply(apps, add, remove):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for changes, method in ((add, "add"), (remove, "remove")):
        for name, perms in changes.items():
            group = Group.objects.filter(name=name).first()
            if group is None:
                continue
            for app_label, codename in perms:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                getattr(group.permissions, method)(permission)


def forwards(apps, schema_editor):
    _apply(apps, ADD, REMOVE)


def backwards(apps, schema_editor):
    _apply(apps, REMOVE, ADD)


class Migration(migrations.Migration):
    dependencies = [("forum", "0003_moderationevent_unpublish_article")]

    operations = [migrations.RunPython(forwards, backwards)]
