"""On a phone, an anonymous visitor leaves an opinion in the online opinion box and gets a
code; staff of that branch find it waiting in "my work"; the visitor's code shows it."""

import re
import tempfile
from pathlib import Path

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from receipts.models import BoxOpinion
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
#: Where the pages are saved to look at: /tmp/shots/box/ on a developer's machine.
SHOTS = Path(tempfile.gettempdir()) / "shots" / "box"
CONTENT = "锅炉定期检验的预约电话总是占线，希望开通网上预约"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)


def test_an_anonymous_opinion_reaches_my_work_and_its_code_shows_it(
    browser, live_server, world, staff_a, log_in
):
    visitor = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = visitor.new_page()
    phone.set_default_timeout(60_000)
    phone.goto(f"{live_server.url}/r/")
    phone.get_by_role("link", name="打开意见箱").click()
    expect(phone.get_by_test_id("box-form")).to_be_visible()
    expect(phone.get_by_test_id("challenge-image")).to_be_visible()
    # The language switch posts from the box page (its referrer policy lets the browser
    # send the Origin the CSRF check needs); in English, then back to Chinese.
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Online opinion box")
    shoot(phone, "box-form-en")
    phone.get_by_role("button", name="中文").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("网上意见箱")

    phone.get_by_label("分院").select_option(label=world.a.branch.name)
    phone.get_by_label("匿名提交").check()
    expect(phone.get_by_label("企业名称")).to_be_hidden()
    phone.get_by_label("意见类别").select_option(label=world.a.feedback.category.name)
    phone.get_by_role("radio", name="建议").check()
    phone.get_by_label("您的意见建议").fill(CONTENT)
    # Another sum, asked for by the page's script (no reload: the text stays).
    first_key = phone.locator("input[name='captcha_0']").input_value()
    phone.get_by_role("button", name="换一题").click()
    expect(phone.locator("input[name='captcha_0']")).not_to_have_value(first_key)
    expect(phone.get_by_label("您的意见建议")).to_have_value(CONTENT)
    key = phone.locator("input[name='captcha_0']").input_value()
    assert phone.get_by_test_id("challenge-image").get_attribute("src").endswith(f"/{key}/")
    phone.get_by_label("图中算式的答案").fill(CaptchaStore.objects.get(hashkey=key).response)
    shoot(phone, "box-form")
    phone.get_by_test_id("box-send").click()

    expect(phone.get_by_test_id("box-received")).to_be_visible()
    expect(phone.get_by_test_id("public-opinions")).to_contain_text(CONTENT)
    code = phone.get_by_test_id("box-code").inner_text().strip()
    assert re.fullmatch(r"([0-9A-Z]{4}-){8}[0-9A-Z]{4}", code)
    receipt_url = phone.url
    shoot(phone, "box-receipt")
    stated = BoxOpinion.objects.get()
    assert stated.anonymous and stated.stated_name == ""
    assert stated.feedback_item.kind == "suggestion"

    # Staff of branch A: the opinion waits in "my work", marked as from the box.
    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/issues/mine/")
    row = page.get_by_test_id("section-opinions").locator(
        f"[data-testid='opinion-row'][data-pk='{stated.feedback_item_id}']"
    )
    expect(row).to_contain_text(CONTENT)
    expect(row.get_by_test_id("box-mark")).to_be_visible()
    expect(row.get_by_test_id("needs-disposition")).to_be_visible()
    shoot(page, "box-my-work")
    row.get_by_role("link").first.click()
    expect(page.get_by_test_id("box-sender")).to_be_visible()

    # The visitor opens their code again (typed at /r/): the opinion, without the
    # "received" block this time.
    phone.goto(f"{live_server.url}/r/")
    phone.get_by_label("查询码").fill(code.lower())
    phone.get_by_role("button", name="查看我的意见").click()
    assert phone.url == receipt_url
    expect(phone.get_by_test_id("public-opinions")).to_contain_text(CONTENT)
    expect(phone.get_by_test_id("box-received")).to_have_count(0)
    visitor.close()
