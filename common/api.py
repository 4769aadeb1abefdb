"""The API layer's one piece of wiring: serializer in, one service or selector call, serializer out.

    class OrderCreateView(ApiWiring, APIView):
        output_serializer_class = OrderCreatedOutputSerializer

        def post(self, request):
            order = services.order_create(**self.validated(OrderCreateInputSerializer))
            return self.output(order, status_code=201)

`paginated` needs a GenericAPIView (or viewset): it filters with the view's filter backends and pages with its
paginator; a paginator that declines (`paginate_queryset` → None) gets the bare list.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _View = GenericAPIView[Any]
else:
    _View = object


class ApiWiring(_View):
    #: what `output` and `paginated` answer with; GenericAPIView's `serializer_class` when not set
    output_serializer_class: type[BaseSerializer] | None = None

    def get_serializer_context(self) -> dict[str, Any]:
        """GenericAPIView's context, for plain APIViews too."""
        return {"request": self.request, "format": self.format_kwarg, "view": self}

    def validated(self, serializer_class: type[BaseSerializer], *, data: Any = None, **kwargs: Any) -> dict[str, Any]:
        """The request body (or `data`) validated by `serializer_class`; a 400 naming every bad field otherwise."""
        body = self.request.data if data is None else data
        serializer = serializer_class(data=body, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output_data(self, instance: Any, *, many: bool = False) -> Any:
        serializer_class = self.output_serializer_class or self.get_serializer_class()
        return serializer_class(instance, many=many, context=self.get_serializer_context()).data

    def output(self, instance: Any, *, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        return Response(self.output_data(instance), status=status_code, **kwargs)

    def paginated(self, queryset: QuerySet[Any]) -> Response:
        queryset = self.filter_queryset(queryset)
        page = self.paginate_queryset(queryset)
        data = self.output_data(queryset if page is None else page, many=True)
        return Response(data) if page is None else self.get_paginated_response(data)
