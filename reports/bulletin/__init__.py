"""The monthly bulletin (通报), written from the assessment's figures in the style of the
institute's reports: the province's figures, the ranking, the branches praised and
criticised by rule, the overdue and supervised cases named.

- ``data``: everything a bulletin says, read once (the assessment, the cases, the
  institute's name);
- ``writer``: the shape of a bulletin, the rules of praise and criticism, and the
  skeleton both languages follow;
- ``chinese`` and ``english``: the sentences of each language (the interface's language
  chooses which one a user reads);
- ``word``: the bulletin as an official document (红头, 仿宋_GB2312 and 黑体 declared for
  East Asian text, page numbers);
- ``views``: the page (its Word file is a job: ``reports.jobs``).

Like the briefing, the bulletin's text is the document itself: written by one writer per
language, not through gettext.
"""
