"""The inbox in the API: a delivery with its document, read-only (it changes through the actions)."""

from __future__ import annotations

from rest_framework import serializers

from delivery.models import Delivery, Document
from grids.models import GridUnit


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = GridUnit
        fields = ["id", "code", "name", "level"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    sender_unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "kind", "title", "body", "url", "sender_unit", "sent_at"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    document = DocumentSerializer(read_only=True)
    recipient_unit = UnitBriefSerializer(read_only=True)
    recipient_department = serializers.SlugRelatedField(slug_field="name", read_only=True)
    receipted_by = serializers.SlugRelatedField(slug_field="real_name", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "document",
            "recipient_unit",
            "recipient_department",
            "state",
            "read_at",
            "receipted_at",
            "receipted_by",
        ]
        read_only_fields = fields


class InboxQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)
