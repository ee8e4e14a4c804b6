"""Forms of the supplies pages, by subject."""

from supplies.forms.stock import AdjustForm, DisposeForm, IssueForm, ReceiveForm
from supplies.forms.transfers import ApproveForm, OrderForm, ReceiveTransferForm, RejectForm, RequestForm

__all__ = [
    "AdjustForm",
    "DisposeForm",
    "IssueForm",
    "ReceiveForm",
    "ApproveForm",
    "OrderForm",
    "ReceiveTransferForm",
    "RejectForm",
    "RequestForm",
]
