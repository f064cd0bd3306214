"""Create the Doctors, Moderators and Editors groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Doctors": [
        ("answers", "add_reply"),
        ("answers", "change_reply"),
        ("answers", "view_reply"),
        ("questions", "view_question"),
    ],
    "Moderators": [
        ("questions", "view_question"),
        ("questions", "change_question"),
        ("answers", "view_reply"),
        ("answers", "change_reply"),
        ("forum", "view_doctorprofile"),
        ("forum", "change_doctorprofile"),
        ("forum", "view_moderationevent"),
    ],
    "Editors": [
        ("answers", "view_article"),
        ("answers", "add_article"),
        ("answers", "change_article"),
        ("answers", "delete_article"),
        ("answers", "view_faq"),
        ("answers", "add_faq"),
        ("answers", "change_faq"),
        ("answers", "delete_faq"),
        ("questions", "view_tag"),
        ("questions", "add_tag"),
        ("questions", "change_tag"),
        ("questions", "delete_tag"),
        ("questions", "view_question"),
        ("questions", "change_question"),
        ("answers", "view_reply"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0001_initial"),
        ("questions", "0001_initial"),
        ("answers", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
