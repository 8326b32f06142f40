"""API of the emulation app: score sheets, award proposals and clusters' rankings (read-only, scoped;
others answer 404), and ballot casting (``POST /api/v1/emulation-clusters/{id}/ballot/``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.accounts.permissions import WritableScope, scoped
from congdoan.core.lookups import ID_IN_URL
from congdoan.org import selectors as org_selectors
from congdoan.org.models import EmulationCluster, OrgUnit

from . import selectors, services
from .models import AwardProposal, ScoreSheet


def _pk(kwargs: dict[str, Any]) -> int:
    try:
        return int(kwargs["pk"])
    except ValueError as exc:
        raise Http404 from exc


class ScoreSheetSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    template = serializers.CharField(source="template.code", read_only=True)
    grade_label = serializers.CharField(read_only=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "template",
            "state",
            "deadline",
            "self_total",
            "appraised_total",
            "grade",
            "grade_label",
        ]


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """Score sheets of the units in the caller's subtrees."""

    serializer_class = ScoreSheetSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[ScoreSheet]:
        return selectors.sheet_list(user=self.request.user)

    def get_object(self) -> ScoreSheet:
        return selectors.sheet_get(user=self.request.user, pk=_pk(self.kwargs))


class AwardProposalSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recipient = serializers.CharField(read_only=True)
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = AwardProposal
        fields = [
            "id",
            "year",
            "form",
            "level",
            "unit",
            "recipient",
            "state",
            "proposed_on",
            "awarded_on",
            "decision_number",
        ]


class AwardProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Award proposals and awards of the units in the caller's subtrees."""

    serializer_class = AwardProposalSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[AwardProposal]:
        return selectors.proposal_list(user=self.request.user)

    def get_object(self) -> AwardProposal:
        return selectors.proposal_get(user=self.request.user, pk=_pk(self.kwargs))


class StandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    role = serializers.CharField()
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    votes = serializers.IntegerField(allow_null=True)
    combined = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class ClusterSerializer(serializers.ModelSerializer):
    organiser = serializers.CharField(source="organiser.code", read_only=True)
    ranking = serializers.SerializerMethodField()
    next_leader = serializers.SerializerMethodField()

    class Meta:
        model = EmulationCluster
        fields = ["id", "name", "year", "organiser", "ranking", "next_leader"]

    def _vote(self, obj: EmulationCluster) -> Any:
        return selectors.vote_of(obj)

    @extend_schema_field(StandingSerializer(many=True))
    def get_ranking(self, obj: EmulationCluster) -> list[dict[str, Any]]:
        vote = self._vote(obj)
        rows = selectors.cluster_ranking(obj, vote=vote)
        hide = vote is not None and vote.state != "closed"  # the tally is secret until the count
        data = StandingSerializer(rows, many=True).data
        if hide:
            for row in data:
                row["votes"] = None
                row["combined"] = None
        return list(data)

    def get_next_leader(self, obj: EmulationCluster) -> str | None:
        vote = self._vote(obj)
        return vote.next_leader.code if vote is not None and vote.next_leader is not None else None


class ClusterViewSet(viewsets.ReadOnlyModelViewSet):
    """Clusters the caller's units organise or belong to, with the ranking; ``ballot`` casts a vote."""

    serializer_class = ClusterSerializer
    lookup_value_regex = ID_IN_URL
    permission_classes = [WritableScope]

    def get_queryset(self) -> QuerySet[EmulationCluster]:
        return org_selectors.cluster_list(user=self.request.user).order_by("-year", "name", "id")

    def get_object(self) -> EmulationCluster:
        return selectors.cluster_get(user=self.request.user, pk=_pk(self.kwargs))

    @extend_schema(
        request=inline_serializer(
            "BallotIn", {"voter": serializers.CharField(), "choice": serializers.CharField()}
        ),
        responses={201: inline_serializer("BallotOut", {"detail": serializers.CharField()})},
    )
    @action(detail=True, methods=["post"])
    def ballot(self, request: Request, pk: str | None = None) -> Response:
        cluster = self.get_object()
        vote = selectors.vote_of(cluster)
        data: Any = request.data
        units = scoped(OrgUnit.objects.all(), request.user)
        voter = units.filter(code=str(data.get("voter", ""))).first()
        members = OrgUnit.objects.filter(pk__in=cluster.memberships.values("unit_id"))
        choice = members.filter(code=str(data.get("choice", ""))).first()
        if vote is None or voter is None or choice is None:
            return Response(
                {"detail": "Chưa mở bình xét, hoặc không tìm thấy đơn vị bỏ phiếu / được suy tôn."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            services.ballot_cast(actor=request.user, vote=vote, voter=voter, choice=choice)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": f"Đã ghi nhận phiếu của «{voter.name}»."}, status=status.HTTP_201_CREATED)
