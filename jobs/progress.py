"""A job's progress, counted as the work goes and written to its row now and then (about
every hundredth of the work, and never more often than every ``MIN_STEP`` items), so a
page polling the job sees it move without a write for every row. Counting by items, not
by time, keeps the writes of a given job the same from one run to the next."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .models import Job


class Progress:
    MIN_STEP = 100
    #: Without a known total, written every this many items.
    UNKNOWN_TOTAL_STEP = 1000

    def __init__(self, job_id):
        self.job_id = job_id
        self.done = 0
        self.total: int | None = None
        self._step = self.UNKNOWN_TOTAL_STEP
        self._written = 0

    def start(self, total: int | None) -> None:
        self.total, self.done, self._written = total, 0, 0
        self._step = self.UNKNOWN_TOTAL_STEP if total is None else max(self.MIN_STEP, total // 100)
        Job.objects.filter(pk=self.job_id).update(total=total, done=0)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.done - self._written >= self._step:
            self.flush()

    def flush(self) -> None:
        Job.objects.filter(pk=self.job_id).update(done=self.done)
        self._written = self.done

    def over(self, items: Iterable, total: int | None = None) -> Iterator:
        """Each item of ``items``, counted as it is taken."""
        self.start(total)
        for item in items:
            yield item
            self.advance()
        self.flush()
