"""FastJSONNegotiation picks what DRF's own negotiation picks, for the Accept headers it answers itself and for
those it leaves to DRF."""

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common.fastjson import FastJSONNegotiation, fast_renderers


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "text/html", "application/json; indent=2", "*/*; q=0.5, text/html"]
)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api", "?page=2"])
def test_the_fast_negotiation_picks_what_drf_picks(accept: str | None, query: str) -> None:
    factory = APIRequestFactory()
    renderers = [renderer() for renderer in fast_renderers()]

    def pick(negotiation: DefaultContentNegotiation) -> tuple[type, str] | type:
        path = f"/x{query}"
        request = Request(factory.get(path) if accept is None else factory.get(path, HTTP_ACCEPT=accept))
        try:
            renderer, media_type = negotiation.select_renderer(request, renderers)
        except NotAcceptable as refused:  # ?format= naming one renderer, Accept naming another
            return type(refused)
        return type(renderer), media_type

    assert pick(FastJSONNegotiation()) == pick(DefaultContentNegotiation())
