"""The analysis pool of a run: started ahead of the first changed page, off the event loop, and the same
results as analysing in-process."""
from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from crawler.analyze import Job, analyze
from crawler.pipeline import Store
from detector import DEFAULT_POLICY
from storage import open_db

PAGE = ("<html lang='en'><head><title>Toll rises</title>"
        "<meta property='article:published_time' content='2021-02-26T13:55:00Z'></head><body><article>"
        "<h1>Toll rises</h1>" + "<p>At least 22 people were killed in the strike, officials said on Friday.</p>" * 5
        + "</article></body></html>").encode()


def _job() -> Job:
    return Job(url="https://news.example/2021/02/26/toll/", fetched_at="2021-02-26T14:00:00Z", status=200,
               headers={"content-type": "text/html"}, body=PAGE, content_type="text/html", previous=None,
               policy=DEFAULT_POLICY)


def test_warm_starts_the_workers_without_blocking_the_loop(tmp_path):
    store = Store(db=open_db(tmp_path / "m.db"), pipeline={"workers": 2})

    async def run():
        store.warm()
        started_aside = store._starting is not None     # the pool starts in a thread of its own
        beats = 0
        while store._starting is not None and store._starting.is_alive() and beats < 400:
            await asyncio.sleep(0.01)               # the loop keeps turning while the workers start
            beats += 1
        result = await store.analyze(_job())
        return started_aside, beats, result

    try:
        started_aside, beats, result = asyncio.run(run())
        assert isinstance(store.pool, ProcessPoolExecutor)
        assert len(store.pool._processes) == 2          # both workers forked before the first job needed them
        assert started_aside
        assert result == analyze(_job())                # the same answer as in-process
        assert result.outcome == "new" and "22" in result.article.text
    finally:
        store.close()


def test_a_small_run_warms_an_in_process_pool(tmp_path):
    store = Store(db=open_db(tmp_path / "m.db"), targets_hint=3)
    try:
        store.warm()
        assert isinstance(store.pool, ThreadPoolExecutor)
        assert asyncio.run(store.analyze(_job())).outcome == "new"
    finally:
        store.close()
