"""Forms of the evacuation pages: the workbook upload (checked for type and size) and a shelter's state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grids import limits


class EvacuationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("The template's workbook (.xlsx) with its sheets 危险区, 安置点 and 转移户, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Upload the evacuation list as an Excel file (.xlsx) made from the template.")
            )
        if upload.size > limits.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it into several files."))
        return upload


class ShelterStateForm(forms.Form):
    is_open = forms.TypedChoiceField(
        label=_("State"),
        choices=[("1", pgettext_lazy("shelter", "open")), ("0", pgettext_lazy("shelter", "closed"))],
        coerce=lambda value: value == "1",
    )
