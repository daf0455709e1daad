"""``manage.py seed_demo``: load the campaign of the seed report as demo data."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from demo.box import demo_box_opinions
from demo.builder import build
from demo.data.content import CAMPAIGN_CODE, DEMO_PASSWORD
from demo.receipt import demo_receipt
from demo.summary import demo_logins, demo_summary
from demo.voice import demo_voice
from outreach.models import Campaign


class Command(BaseCommand):
    help = (
        "Create the demo campaign of the seed report (第二批党的群众路线教育实践活动): "
        "branches, counties, users, enterprises, activities, opinions, issues, replies. "
        "Does nothing if the campaign already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-box",
            dest="box",
            action="store_false",
            help=(
                "Leave no opinions in the online opinion box (the campaign's figures are "
                "then exactly the seed report's)."
            ),
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        campaign = build()
        box_opinions = []
        if options["box"]:
            box_opinions = demo_box_opinions(Campaign.objects.filter(code=CAMPAIGN_CODE).first())
        if campaign is None:
            self.stdout.write(
                self.style.WARNING(
                    f"The demo campaign “{CAMPAIGN_CODE}” already exists: nothing created."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo campaign {campaign.name} ({campaign.code}) "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
        demo_campaign = Campaign.objects.filter(code=CAMPAIGN_CODE).first()
        if demo_campaign is not None:
            # The enterprises' receipts and ratings (once: a later run writes none).
            rated = demo_voice(demo_campaign)
            if rated:
                self.stdout.write(f"Wrote {rated} enterprise ratings on their receipt pages.")
        self.stdout.write("")
        for label, count in demo_summary().items():
            self.stdout.write(f"  {label:<20} {count:>5}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        rows = demo_logins()
        width = max(len(username) for username, _role, _branch in rows)
        for username, role, branch in rows:
            self.stdout.write(f"  {username:<{width}}  {branch:<4}  {role}")
        self.write_receipt_link()
        self.write_box_link(box_opinions)

    def write_box_link(self, left):
        site = (settings.OUTREACH_SITE_URL or "http://127.0.0.1:8000").rstrip("/")
        self.stdout.write("")
        if left:
            self.stdout.write(f"Left {len(left)} opinions in the online opinion box.")
        self.stdout.write("The online opinion box (意见箱), open without a login:")
        self.stdout.write(f"  {site}{reverse('track:box')}")

    def write_receipt_link(self):
        """A working link to an enterprise's page (a new code each run: see demo.receipt)."""
        campaign = Campaign.objects.filter(code=CAMPAIGN_CODE).first()
        issued = demo_receipt(campaign) if campaign else None
        if issued is None:
            return
        receipt, code = issued
        site = (settings.OUTREACH_SITE_URL or "http://127.0.0.1:8000").rstrip("/")
        self.stdout.write("")
        self.stdout.write(
            f"An enterprise's page ({receipt.enterprise.name}), open without a login "
            "(a new code each run; the previous one stops working):"
        )
        self.stdout.write(f"  {site}{reverse('track:receipt', args=[code])}")
