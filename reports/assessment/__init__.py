"""The monthly assessment of the branches (考核): rates the app already counts, weighted by
the provincial office, a score, a rank and the change from the previous period.

- ``components``: the rates a scheme may weigh, each with its numerator and denominator
  (figures of ``reports.metrics``) and how it scores;
- ``periods``: a month, a quarter or a year, and the one before it;
- ``scoring``: a period's figures and its scheme → each branch's row, score and rank;
- ``selectors``: the schemes in force and a period's assessment, counted for the whole
  province whoever asks (a branch is shown its own row and rank only);
- ``services``: the office sets a scheme (weights and the minimum for ranking);
- ``forms`` and ``views``: the page of the table and the office's form.

docs/metrics.md ("The assessment") says every rule in words.
"""
