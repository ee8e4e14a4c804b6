"""Stock-take: the expected counts exported, the counted sheet imported whole (nothing saved when a
row is bad, each bad row named in Chinese), the differences pending the owner tier's approval,
then adjustment rows in the ledger."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supplies import services
from supplies.models import Lot, Movement, StockTake
from supplies.tests.factories import counted_sheet, depot, lot, sheet


@pytest.fixture
def point(world):
    village = depot(world.village_a, name="陇雅村储备点")
    by = world.village_officer_a
    return {
        "depot": village,
        "jackets": lot(village, "救生衣", 20, by=by),
        "bags": lot(village, "编织袋", 300, by=by, expires_in=None),
        "torches": lot(village, "手电", 6, by=by),
    }


def test_the_counting_sheet_lists_the_books(client_for, world, point):
    from openpyxl import load_workbook

    response = client_for(world.village_officer_a).get(reverse("supplies:stocktake_sheet", args=[point["depot"].pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "批次编号" and rows[0][-1] == "实盘数量"
    assert sorted((r[2], r[7]) for r in rows[1:]) == [("手电", 6), ("救生衣", 20), ("编织袋", 300)]


def test_a_bad_row_saves_nothing_and_every_bad_row_is_named(world, point):
    rows = [row[:] for row in services.expected_rows(point["depot"])]
    rows[0][-1] = "十九"  # not a number
    rows[1][-1] = 290
    rows[2][-1] = -1
    rows.append([999999, "", "", "", "", None, "", 0, 5])  # no such lot
    rows.append([point["bags"].pk, "", "", "", "", None, "", 0, 280])  # counted twice
    result = services.stocktake_import(depot=point["depot"], by=world.village_officer_a, data=sheet(rows))
    assert not result.ok
    text = "\n".join(result.errors)
    assert "第 2 行" in text and "第 4 行" in text and "第 5 行：本库没有批次 999999" in text
    assert "重复盘点" in text and "第 3 行" not in text
    assert not StockTake.objects.exists() and Movement.objects.filter(kind="adjust").count() == 0


def test_not_a_workbook_is_refused(world, point):
    with pytest.raises(ValidationError):
        services.stocktake_import(depot=point["depot"], by=world.village_officer_a, data=b"not a workbook")


def test_differences_await_approval_then_become_adjustments(world, point):
    data = counted_sheet(point["depot"], {point["jackets"].pk: 18, point["bags"].pk: 305})
    result = services.stocktake_import(depot=point["depot"], by=world.village_officer_a, data=data)
    assert result.ok and result.rows == 3
    take = result.stock_take
    assert take.state == "pending" and sorted(line.difference for line in take.lines.all()) == [-2, 5]
    assert Lot.objects.get(pk=point["jackets"].pk).quantity == 20  # nothing moves before approval
    again = services.stocktake_import(depot=point["depot"], by=world.village_officer_a, data=data)
    assert not again.ok and "待审批" in again.errors[0]
    services.stock_issue(lot=point["jackets"], quantity=1, by=world.village_officer_a, recipient="某户")
    with pytest.raises(PermissionDenied):
        services.stocktake_approve(stock_take=take, by=world.township_leader)  # not the owner's tier
    services.stocktake_approve(stock_take=take, by=world.village_officer_a)
    assert Lot.objects.get(pk=point["jackets"].pk).quantity == 17  # 20 - 1 issued - 2 missing
    assert Lot.objects.get(pk=point["bags"].pk).quantity == 305
    rows = Movement.objects.filter(kind="adjust", stock_take=take).order_by("quantity")
    assert [(m.quantity, m.document_no) for m in rows] == [(-2, take.number), (5, take.number)]
    with pytest.raises(ValidationError):
        services.stocktake_approve(stock_take=take, by=world.village_officer_a)


def test_a_rejected_count_adjusts_nothing(world, point):
    take = services.stocktake_import(
        depot=point["depot"], by=world.village_officer_a, data=counted_sheet(point["depot"], {point["bags"].pk: 1})
    ).stock_take
    with pytest.raises(ValidationError):
        services.stocktake_reject(stock_take=take, by=world.village_officer_a, note="")
    services.stocktake_reject(stock_take=take, by=world.village_officer_a, note="请复盘")
    assert Lot.objects.get(pk=point["bags"].pk).quantity == 300 and not Movement.objects.filter(kind="adjust").exists()


def test_a_count_that_agrees_saves_nothing(world, point):
    result = services.stocktake_import(
        depot=point["depot"], by=world.village_officer_a, data=counted_sheet(point["depot"], {})
    )
    assert result.ok and result.stock_take is None and not StockTake.objects.exists()


def test_only_the_owners_people_import(world, point):
    with pytest.raises(PermissionDenied):
        services.stocktake_import(
            depot=point["depot"], by=world.township_officer, data=counted_sheet(point["depot"], {})
        )


def test_the_stocktake_pages(client_for, world, point):
    client = client_for(world.village_officer_a)
    url = reverse("supplies:stocktake_import", args=[point["depot"].pk])
    assert client.get(url).status_code == 200
    rows = [row[:] for row in services.expected_rows(point["depot"])]
    rows[0][-1] = None
    bad = client.post(url, {"file": SimpleUploadedFile("count.xlsx", sheet(rows))})
    assert bad.status_code == 400 and "未保存任何数据" in bad.content.decode() and "第 2 行" in bad.content.decode()
    good = client.post(
        url, {"file": SimpleUploadedFile("count.xlsx", counted_sheet(point["depot"], {point["torches"].pk: 5}))}
    )
    take = StockTake.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("supplies:stocktake_detail", args=[take.pk])
    page = client.get(good["Location"]).content.decode()
    assert "待审批" in page and "批准调整" in page
    assert client_for(world.township_officer).get(good["Location"]).status_code == 200
    assert (
        client_for(world.township_officer)
        .post(reverse("supplies:stocktake_act", args=[take.pk, "approve"]))
        .status_code
        == 403
    )
    assert client_for(world.village_officer_b).get(good["Location"]).status_code == 404
    client = client_for(world.village_officer_a)
    done = client.post(reverse("supplies:stocktake_act", args=[take.pk, "approve"]), {"note": ""})
    assert done.status_code == 302 and Lot.objects.get(pk=point["torches"].pk).quantity == 5
