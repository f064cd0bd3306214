from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import mail
from forum.models import DoctorProfile, ModerationEvent, OutgoingEmail, Specialty, User

admin.site.site_header = format_lazy(_("{site} administration"), site=settings.SITE_NAME)
admin.site.site_title = format_lazy(_("{site} admin"), site=settings.SITE_NAME)
admin.site.index_title = _("Site administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh_hant", "slug", "position"]
    fields = ["name", "name_zh_hant", "slug", "description", "description_zh_hant", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_zh_hant"]


@admin.register(DoctorProfile)
class DoctorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "hospital", "status", "verified_at"]
    list_filter = ["status", "specialties"]
    search_fields = ["display_name", "hospital", "license_number"]
    autocomplete_fields = ["user"]
    readonly_fields = ["verified_by", "verified_at"]
    filter_horizontal = ["specialties"]


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "target_repr", "actor", "reason"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "reason"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, for whoever runs the site: whether each e-mail went out, how many
    attempts it took and why it failed, and a way to send failed ones again. Only
    superusers and accounts given the outbox's permissions see it (no role's group has
    them): a message's text is about a patient's question, so it is never shown here,
    nor its headers, whose unsubscribe link would act for the recipient."""

    list_display = ["id", "kind", "status", "attempts", "last_error", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["=id", "=to"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "topic",
        "to",
        "status",
        "attempts",
        "last_error",
        "question_id",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request):
        return request.user.has_perm("forum.change_outgoingemail")

    @admin.action(
        description=_("Send the selected failed e-mails again"), permissions=["send_again"]
    )
    def send_again(self, request, queryset):
        count = mail.retry_failed(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d failed e-mail will be sent again.",
                "%(count)d failed e-mails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
