"""The demo data: the campaign of the seed report, built by ``manage.py seed_demo``.

``demo.data`` holds the texts and figures, ``demo.builder`` turns them into rows, and
``demo.summary`` says what was built. Nothing below ``demo`` in the app order imports it.
"""
