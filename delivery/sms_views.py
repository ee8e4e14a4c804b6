"""The SMS gateway's delivery-report callback (/inbox/sms/report/): signed by the gateway with the
shared secret (HMAC-SHA256 of the sorted parameters, ``core.sms.verify``); anything unsigned, badly
signed or stale is refused with 403 and changes nothing."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import sms
from delivery import texts


@csrf_exempt  # the gateway is no browser: the HMAC signature stands for the CSRF token
@require_POST
def sms_report(request):
    params = request.POST.dict()
    signature = request.headers.get(sms.SIGNATURE_HEADER) or params.get("signature", "")
    if not sms.verify(params, signature):
        return HttpResponseForbidden("bad signature")
    if not params.get("reference") or params.get("status") not in texts.REPORT_STATES:
        return HttpResponse("bad report", status=400)
    changed = texts.text_message_report(
        reference=params["reference"], status=params["status"], error=params.get("error", "")
    )
    return JsonResponse({"ok": True, "changed": changed})
