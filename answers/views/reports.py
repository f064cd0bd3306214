"""Reports and doctors' agreements: a reader reports a question or reply (answers:report),
a doctor agrees with another doctor's reply (answers:agree), and the moderators' report
queue (answers:moderation-reports) with the decision page of one item
(answers:report-decide). The writes are answers/actions/reports.py and agreements.py.

The Q&A page only links here (the same link for everyone), so its anonymous cache is
untouched: an anonymous visitor who follows the link is sent to log in first.
"""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Max, Min, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from answers.actions.agreements import toggle_agreement
from answers.actions.errors import ActionNotAllowed
from answers.actions.reports import KINDS, AlreadyReported, decide_reports, report_item
from answers.forms import ReportDecisionForm, ReportForm
from answers.models import Reply
from answers.permissions import can_agree_with
from answers.views.access import doctor_required, moderator_required
from answers.views.moderation import moderation_counts
from forum import roles
from forum.models import DoctorProfile, Report

QUEUE_PAGE_SIZE = 20


def _item(kind: str, pk: int, *, visible: bool):
    """The item a report is about (404 for an unknown kind or item, and, with `visible`,
    for one the public cannot see)."""
    rules = KINDS.get(kind)
    if rules is None:
        raise Http404("No such kind of item.")
    item = rules.items().filter(pk=pk).first()
    if item is None or (visible and not rules.is_visible(item)):
        raise Http404("No such item.")
    return item


def _specialty_ids(doctor: DoctorProfile) -> set[int]:
    return set(doctor.specialties.values_list("pk", flat=True))


def _may_flag(user, reply: Reply) -> bool:
    """Whether this user may agree with or flag the reply as a doctor (two queries)."""
    doctor = roles.verified_doctor(user)
    if doctor is None or reply.doctor_id == doctor.pk:
        return False
    return can_agree_with(
        doctor,
        reply,
        doctor_specialty_ids=_specialty_ids(doctor),
        author_specialty_ids=_specialty_ids(reply.doctor),
    )


def _item_url(kind: str, item) -> str:
    return item.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def report(request, kind: str, pk: int):
    item = _item(kind, pk, visible=True)
    doctor_flag = kind == Report.Kind.REPLY and _may_flag(request.user, item)
    author = kind == Report.Kind.QUESTION and item.author_id == request.user.pk
    already = Report.objects.filter(
        reporter=request.user, target_kind=kind, target_id=item.pk
    ).exists()
    # "Flag as medically questionable" links here with that reason chosen.
    form = ReportForm(
        request.POST or None,
        initial={"reason": Report.Reason.CORRECTION if author else request.GET.get("reason")},
        doctor_flag=doctor_flag,
        author=author,
    )
    status = 200
    if request.method == "POST" and not already and form.is_valid():
        if not ratelimit.consume(request, action="report", user=request.user):
            form.add_error(
                None, _("You have sent many reports in a short time; please try again later.")
            )
            status = 429
        else:
            reason = form.cleaned_data["reason"]
            try:
                made = report_item(
                    reporter=request.user,
                    kind=kind,
                    item=item,
                    reason=reason,
                    text=form.cleaned_data["text"],
                    from_doctor=reason == Report.Reason.QUESTIONABLE,
                )
            except AlreadyReported:
                already = True
            except ActionNotAllowed as error:
                messages.error(request, str(error))
                return redirect("forum:home")
            else:
                messages.success(
                    request,
                    _("Thank you. A moderator will review your request and e-mail you.")
                    if author
                    else _("Thank you. A moderator will review your report."),
                )
                if made.hid_item and kind == Report.Kind.QUESTION:
                    return redirect("forum:home")
                return redirect(_item_url(kind, item))
    return render(
        request,
        "answers/report_form.html",
        {
            "form": form,
            "kind": kind,
            "item": item,
            "item_url": _item_url(kind, item),
            "already": already,
            "author": author,
        },
        status=status,
    )


@doctor_required
@require_POST
def agree(request, pk: int):
    """A verified doctor agrees with another doctor's published reply, or takes it back."""
    reply = get_object_or_404(Reply.objects.select_related("question", "doctor"), pk=pk)
    if not _may_flag(request.user, reply):
        raise PermissionDenied(
            _("Only verified doctors of a relevant specialty can agree with this reply.")
        )
    if toggle_agreement(reply=reply, doctor=request.doctor):
        messages.success(
            request, _("You agree with Dr. %(name)s's reply.") % {"name": reply.doctor.display_name}
        )
    else:
        messages.success(request, _("Your agreement is withdrawn."))
    return redirect(reply.get_absolute_url())


@moderator_required
@require_GET
def moderation_reports(request):
    """Items with open reports: doctors' flags first, then authors' requests for a
    correction, then the most reported, then the longest waiting; what each was reported
    for, never by whom."""
    groups = (
        Report.objects.open()
        .values("target_kind", "target_id")
        .annotate(
            count=Count("id"),
            first_at=Min("created_at"),
            flagged=Max(
                Case(When(from_doctor=True, then=1), default=0, output_field=IntegerField())
            ),
            correction=Max(
                Case(
                    When(reason=Report.Reason.CORRECTION, then=1),
                    default=0,
                    output_field=IntegerField(),
                )
            ),
            hidden=Max(Case(When(hid_item=True, then=1), default=0, output_field=IntegerField())),
        )
        .order_by("-flagged", "-correction", "-count", "first_at", "target_kind", "target_id")
    )
    page = Paginator(groups, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids: dict[str, list[int]] = {}
    for row in rows:
        ids.setdefault(row["target_kind"], []).append(row["target_id"])
    items = {
        (kind, item.pk): item
        for kind, kind_ids in ids.items()
        for item in KINDS[kind].items().filter(pk__in=kind_ids)
    }
    reasons: dict[tuple[str, int], list] = {}
    if rows:
        which = Q()
        for kind, kind_ids in ids.items():
            which |= Q(target_kind=kind, target_id__in=kind_ids)
        labels = dict(Report.Reason.choices)
        for kind, target_id, reason, count in (
            Report.objects.open()
            .filter(which)
            .values_list("target_kind", "target_id", "reason")
            .annotate(n=Count("id"))
            .order_by("-n", "reason")
        ):
            reasons.setdefault((kind, target_id), []).append((labels.get(reason, reason), count))
    for row in rows:
        key = (row["target_kind"], row["target_id"])
        row["item"] = items.get(key)
        row["reasons"] = reasons.get(key, [])
    return render(
        request,
        "answers/moderation_reports.html",
        {"page_obj": page, "rows": rows, "counts": moderation_counts(), "tab": "reports"},
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def report_decide(request, kind: str, pk: int):
    """One reported item with its open reports (and who sent them: moderators may see
    that), and the decision on them."""
    item = _item(kind, pk, visible=False)
    has_title = kind == Report.Kind.QUESTION
    initial = {"body": item.body, **({"title": item.title} if has_title else {})}
    form = ReportDecisionForm(request.POST or None, initial=initial, has_title=has_title)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decide_reports(
                kind=kind,
                item=item,
                moderator=request.user,
                decision=data["decision"],
                reason=data["reason"],
                fields={"title": data.get("title", ""), "body": data["body"]},
            )
        except ActionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision saved; the reporters will be told."))
        return redirect("answers:moderation-reports")
    reports = Report.objects.open().about(kind, item.pk).select_related("reporter")
    return render(
        request,
        "answers/moderation_report_detail.html",
        {
            "form": form,
            "kind": kind,
            "item": item,
            "reports": reports,
            "counts": moderation_counts(),
            "tab": "reports",
        },
    )
