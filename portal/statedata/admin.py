from __future__ import annotations

from django import forms
from django.contrib import admin

from portal.statedata.models import DemoRecord
from portal.statedata.systems import system_choices


class DemoRecordForm(forms.ModelForm[DemoRecord]):
    system = forms.ChoiceField(choices=system_choices)

    class Meta:
        model = DemoRecord
        fields = ["system", "key", "valid_from", "valid_until", "data", "note"]


@admin.register(DemoRecord)
class DemoRecordAdmin(admin.ModelAdmin[DemoRecord]):
    """The demo backend's answers (``STATEDATA_BACKEND=demo``): what each state system says about a key."""

    form = DemoRecordForm
    list_display = ["system", "valid_from", "valid_until", "note", "updated_at"]
    list_filter = ["system"]
    search_fields = ["=key"]
