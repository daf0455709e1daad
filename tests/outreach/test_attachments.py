"""Activity attachments: the upload service and view, the download scope, the partial."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from core import files
from outreach import services
from outreach.models import ActivityAttachment
from outreach.views.attachments import MAX_FILES_PER_UPLOAD
from tests import crafted, samples
from tests.factories import TINY_GIF, ActivityAttachmentFactory, ActivityFactory
from tests.samples import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services and partials are checked in English; pages answer in Chinese (the default
    language, see core.middleware), so the views' messages are checked in Chinese."""
    with translation.override("en"):
        yield


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def messages_of(response) -> list[str]:
    """The messages a view queued for the next page (without rendering that page)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_url(activity) -> str:
    return reverse("outreach:attachment_add", kwargs={"activity_pk": activity.pk})


def download_url(attachment) -> str:
    return reverse("outreach:attachment_download", kwargs={"pk": attachment.pk})


# --- the service ----------------------------------------------------------------------


def test_staff_attaches_a_photo_to_their_activity(world, staff_a):
    attachment = services.attachment_add(
        actor=staff_a, activity=world.a.activity, uploaded_file=upload("签到表.png", samples.PNG)
    )
    assert attachment.activity == world.a.activity
    assert attachment.original_name == "签到表.png"
    assert attachment.content_type == "image/png"
    assert attachment.size == len(samples.PNG)
    assert attachment.uploaded_by == staff_a
    with attachment.file.open("rb") as stored:
        assert stored.read() == samples.PNG


def test_the_file_is_stored_under_a_random_name_not_the_original_one(world, staff_a):
    attachment = services.attachment_add(
        actor=staff_a,
        activity=world.a.activity,
        uploaded_file=upload("quanzhou-sign-in.PNG", samples.PNG),
    )
    stored = Path(attachment.file.name)
    assert stored.parent.name == "activities"
    assert "sign-in" not in stored.name and "quanzhou" not in stored.name
    assert len(stored.stem) == 32 and stored.suffix == ".png"
    other = services.attachment_add(
        actor=staff_a,
        activity=world.a.activity,
        uploaded_file=upload("quanzhou-sign-in.PNG", samples.PNG),
    )
    assert other.file.name != attachment.file.name


def test_the_original_name_is_kept_without_any_path(world, staff_a):
    uploaded = upload("scan.pdf", samples.PDF)
    uploaded.name = "C:\\Users\\张三\\Desktop\\会议纪要.pdf"
    attachment = services.attachment_add(
        actor=staff_a, activity=world.a.activity, uploaded_file=uploaded
    )
    assert attachment.original_name == "会议纪要.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", samples.HTML),
        ("logo.svg", samples.SVG),
        ("photo.png", samples.PNG + samples.HTML),
        ("photo.png", samples.PNG + b"\x00"),
        ("photo.png", samples.HTML),
        ("report.pdf", samples.EXE),
        ("minutes.docx", samples.docx(extra={"word/vbaProject.bin": b"macro"})),
        ("empty.pdf", b""),
        ("scan.pdf", crafted.pdf(b"<</S /JavaScript /JS (app.alert(1))>>")),
        ("minutes.docx", crafted.docx_bomb(unpacked=30 << 20)),
    ],
)
def test_nothing_is_saved_when_a_file_is_refused(world, staff_a, settings, name, content):
    before = ActivityAttachment.objects.count()
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=staff_a, activity=world.a.activity, uploaded_file=upload(name, content)
        )
    assert ActivityAttachment.objects.count() == before
    assert not [path for path in stored_files(settings) if path.suffix != ".gif"]


def test_an_oversized_file_is_refused_by_the_setting(world, staff_a, settings):
    settings.OUTREACH_MAX_UPLOAD_MB = 1
    big = samples.PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            actor=staff_a, activity=world.a.activity, uploaded_file=upload("big.pdf", big)
        )
    assert caught.value.code == "too_large"
    assert "1.0\xa0MB" in caught.value.messages[0]


def test_staff_of_another_branch_may_not_attach(world, staff_b):
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=staff_b, activity=world.a.activity, uploaded_file=upload("p.png", samples.PNG)
        )


def test_nothing_is_attached_to_a_withdrawn_activity(world, staff_a):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign, withdrawn=True)
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=staff_a, activity=activity, uploaded_file=upload("p.png", samples.PNG)
        )
    assert not activity.attachments.exists()


# --- the upload view ------------------------------------------------------------------


def test_staff_uploads_through_the_view_and_sees_it_listed(client, world, staff_a):
    client.force_login(staff_a)
    activity = world.a.activity
    response = client.post(add_url(activity), {"file": upload("签到表.xlsx", samples.xlsx())})
    assert response.status_code == 302
    assert response.url == reverse("outreach:activity_detail", kwargs={"pk": activity.pk})
    attachment = activity.attachments.get(original_name="签到表.xlsx")
    assert attachment.content_type == files.XLSX
    assert messages_of(response) == ["已添加 1 个附件。"]

    body = client.get(response.url).content.decode()
    assert "签到表.xlsx" in body
    assert download_url(attachment) in body
    assert attachment.file.name not in body  # the stored name never reaches the page


def test_several_files_are_uploaded_at_once_and_refusals_named(client, world, staff_a):
    client.force_login(staff_a)
    activity = world.a.activity
    response = client.post(
        add_url(activity),
        {
            "file": [
                upload("第1页.jpg", samples.JPEG),
                upload("第2页.png", samples.PNG),
                upload("evil.html", samples.HTML),
            ]
        },
    )
    names = set(activity.attachments.values_list("original_name", flat=True))
    assert {"第1页.jpg", "第2页.png"} <= names
    assert "evil.html" not in names
    messages = messages_of(response)
    assert "已添加 2 个附件。" in messages
    assert (
        "evil.html 未上传：不能上传此类型的文件。允许的类型：JPG、PNG、PDF、DOCX 和 XLSX。"
        in messages
    )


def test_a_refused_upload_comes_back_to_the_activity_with_the_reason(client, world, staff_a):
    client.force_login(staff_a)
    count = ActivityAttachment.objects.count()
    response = client.post(
        add_url(world.a.activity), {"file": upload("photo.png", samples.PNG + b"<html>")}
    )
    assert response.status_code == 302
    assert response.url == reverse("outreach:activity_detail", kwargs={"pk": world.a.activity.pk})
    assert ActivityAttachment.objects.count() == count
    assert messages_of(response) == ["photo.png 未上传：文件中含有网页或脚本内容，不能接收。"]


def test_a_pdf_that_would_run_a_script_comes_back_with_the_reason(client, world, staff_a):
    client.force_login(staff_a)
    content = crafted.pdf(b"<</S /Launch /F (cmd.exe)>>")
    response = client.post(add_url(world.a.activity), {"file": upload("scan.pdf", content)})
    assert response.status_code == 302
    assert not ActivityAttachment.objects.filter(original_name="scan.pdf").exists()
    [message] = messages_of(response)
    assert message.startswith("scan.pdf 未上传：该 PDF 含有脚本")


def test_too_many_files_at_once_are_refused_together(client, world, staff_a):
    client.force_login(staff_a)
    count = ActivityAttachment.objects.count()
    pages = [upload(f"{n}.png", samples.PNG) for n in range(MAX_FILES_PER_UPLOAD + 1)]
    response = client.post(add_url(world.a.activity), {"file": pages})
    assert messages_of(response) == [f"每次最多上传 {MAX_FILES_PER_UPLOAD} 个文件。"]
    assert ActivityAttachment.objects.count() == count


def test_posting_no_file_asks_for_one(client, world, staff_a):
    client.force_login(staff_a)
    response = client.post(add_url(world.a.activity), {})
    assert messages_of(response) == ["请选择要上传的文件。"]


def test_the_leader_may_see_but_not_upload(client, world, leader):
    client.force_login(leader)
    response = client.post(add_url(world.a.activity), {"file": upload("p.png", samples.PNG)})
    assert response.status_code == 403
    assert not world.a.activity.attachments.filter(original_name="p.png").exists()


def test_staff_of_another_branch_gets_404_uploading_to_a_foreign_activity(client, world, staff_b):
    client.force_login(staff_b)
    response = client.post(add_url(world.a.activity), {"file": upload("p.png", samples.PNG)})
    assert response.status_code == 404


def test_anonymous_upload_is_sent_to_login(client, world):
    response = client.post(add_url(world.a.activity), {"file": upload("p.png", samples.PNG)})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not world.a.activity.attachments.filter(original_name="p.png").exists()


def test_get_on_the_upload_route_is_refused(client, world, staff_a):
    client.force_login(staff_a)
    assert client.get(add_url(world.a.activity)).status_code == 405


# --- the download view ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "office", "leader", "admin_user"])
def test_those_who_see_branch_a_download_its_attachment(client, world, personas, persona):
    client.force_login(personas[persona])
    response = client.get(download_url(world.a.attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_GIF


@pytest.mark.parametrize("persona", ["staff_b", "no_role_user"])
def test_others_get_404_for_branch_a_attachment_even_knowing_its_pk(
    client, world, personas, persona
):
    client.force_login(personas[persona])
    assert client.get(download_url(world.a.attachment)).status_code == 404


def test_anonymous_download_is_sent_to_login(client, world):
    response = client.get(download_url(world.a.attachment))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_download_is_an_attachment_with_its_original_name_and_no_sniffing(client, world, staff_a):
    attachment = services.attachment_add(
        actor=staff_a, activity=world.a.activity, uploaded_file=upload("会议纪要.pdf", samples.PDF)
    )
    client.force_login(staff_a)
    response = client.get(download_url(attachment))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == samples.PDF


def test_attachments_of_a_withdrawn_activity_stay_downloadable(client, world, staff_a):
    activity = world.a.activity
    activity.withdrawn_at = timezone.now()
    activity.withdrawn_by = staff_a
    activity.withdrawn_reason = "重复录入"
    activity.save()
    client.force_login(staff_a)
    response = client.get(download_url(world.a.attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_GIF


def test_download_costs_a_fixed_number_of_queries(
    client, world, staff_a, django_assert_num_queries
):
    client.force_login(staff_a)
    url = download_url(world.a.attachment)
    client.get(url)  # warm the session
    # session, user, membership, attachment
    with django_assert_num_queries(4):
        client.get(url)


# --- the partial ----------------------------------------------------------------------


def render_partial(user, *, activity, can_write):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "outreach/partials/activity_attachments.html",
        {
            "activity": activity,
            "attachments": list(activity.attachments.select_related("uploaded_by")),
            "can_write": can_write,
        },
        request=request,
    )


def test_the_partial_lists_attachments_with_download_links_only(world, staff_a):
    ActivityAttachmentFactory(activity=world.a.activity, uploaded_by=staff_a)
    html = render_partial(staff_a, activity=world.a.activity, can_write=True)
    assert html.count('data-testid="attachment"') == 2
    assert download_url(world.a.attachment) in html
    assert "/media/" not in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".jpg,.jpeg,.png,.pdf,.docx,.xlsx"' in html
    assert 'capture="environment"' in html
    assert add_url(world.a.activity) in html
    assert "style=" not in html and "<script" not in html


def test_the_partial_has_no_form_for_readers(world, leader):
    html = render_partial(leader, activity=world.a.activity, can_write=False)
    assert "<form" not in html
    assert download_url(world.a.attachment) in html


def test_the_partial_says_when_there_is_nothing_attached(world, staff_a):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    html = render_partial(staff_a, activity=activity, can_write=False)
    assert "No attachments yet." in html
