"""OPTIONS answers: DRF's metadata, which never turns into a 500.

DRF describes the fields of POST and PUT with `view.get_serializer()` after checking the caller's permissions
(and, for PUT, the object). Views here keep input and output serializers apart (`input_serializer_class`, or one
built inside the action) and look objects up through selectors that raise domain errors, so DRF's version
failed on them. This one describes a method's input when the view names it, leaves a method out when the caller
may not use it (as DRF does) or when the view has no serializer to describe it with, and keeps the rest of
DRF's answer: name, description, renders, parses.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request, clone_request
from rest_framework.serializers import BaseSerializer

from common.errors import ApplicationError

REFUSALS = (exceptions.APIException, DjangoPermissionDenied, Http404, ApplicationError)


class APIMetadata(SimpleMetadata):
    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        actions: dict[str, Any] = {}
        for method in sorted({"PUT", "POST"} & set(view.allowed_methods)):
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
                if method == "PUT" and hasattr(view, "get_object"):
                    view.get_object()
                serializer = self._input_serializer(view)
            except REFUSALS:
                continue
            finally:
                view.request = request
            if serializer is not None:
                actions[method] = self.get_serializer_info(serializer)
        return actions

    @staticmethod
    def _input_serializer(view: Any) -> BaseSerializer | None:
        input_class = getattr(view, "input_serializer_class", None)
        if input_class is not None:
            return input_class(context=view.get_serializer_context())
        try:
            return view.get_serializer()
        except (AssertionError, ImproperlyConfigured):  # no `serializer_class`: the action builds its own
            return None
