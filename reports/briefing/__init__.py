"""The campaign briefing (简报), written from live figures in Chinese and in English.

- ``data``: everything a briefing says, read once in a fixed number of queries;
- ``writer``: the shape of a briefing and the skeleton both languages follow;
- ``chinese`` and ``english``: the sentences of each language;
- ``languages``: a writer per language, ``build_briefing`` and the download's file name;
- ``word``: the briefing as a Word document;
- ``views``: the page with both languages side by side, and its Word download.

The briefing's text is the document itself, not the interface: both languages are shown
side by side whatever the interface language, so its sentences are written by one writer
per language, not through gettext.
"""
