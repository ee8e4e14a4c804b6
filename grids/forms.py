from django import forms
from django.utils.translation import gettext_lazy as _

from grids import limits
from grids.models import ImportJob


class ImportForm(forms.Form):
    dataset = forms.ChoiceField(
        label=_("What the file holds"), choices=ImportJob.Dataset.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV, first row the template's header, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
        if upload.size > limits.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it into several files."))
        return upload
