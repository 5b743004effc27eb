"""The recheck spider: fetches each target once, follows no link, keeps each verdict."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from netpatrol.crawl.errors import error_kind
from netpatrol.crawl.middlewares import OUTCOME, target_url
from netpatrol.crawl.recheck import Outcome, RecheckState, failed, judge
from netpatrol.crawl.spider import SEED_PRIORITY, PatrolSpider


class RecheckSpider(PatrolSpider):
    name = "netpatrol-recheck"

    @property
    def recheck(self) -> RecheckState:
        if self.context.recheck is None:
            raise RuntimeError("the recheck spider needs the recheck targets")
        return self.context.recheck

    async def start(self) -> AsyncIterator[Request]:
        for url in self.recheck.targets:
            request = self._request(url, SEED_PRIORITY)
            if request is not None:
                yield request

    def parse(self, response: Response) -> Iterator[Request]:
        self.count(response)
        url = target_url(response.request) if response.request is not None else response.url
        target = self.recheck.targets.get(url)
        if target is None:
            return iter(())
        outcome = response.meta.get(OUTCOME)
        if not isinstance(outcome, Outcome):
            # Replayed from evidence on resume: judged here, its capture already stored.
            text = response.text if isinstance(response, TextResponse) else None
            outcome = judge(target, response.status, response.body, text)
        self.recheck.results[url] = outcome
        return iter(())

    def failed(self, failure: Failure) -> None:
        super().failed(failure)
        request: Request | None = getattr(failure, "request", None)
        if request is None or failure.value is None:
            return
        target = self.recheck.targets.get(target_url(request))
        if target is not None:
            fetched = not isinstance(failure.value, IgnoreRequest)
            self.recheck.results[target.url] = failed(target, error_kind(failure.value), fetched)
