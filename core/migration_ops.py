"""Operations the apps' data migrations share."""

from django.db import migrations


def first_history(app_label: str, *model_names: str) -> migrations.RunPython:
    """A migration step writing one "created" history row (django-simple-history) for every row of
    the named rule tables that has none, so that the admin's history of a rule seeded by a
    migration starts from its seeded value (a migration's models send no signals, so seeding them
    wrote no history). Run again, it adds nothing."""

    def run(apps, schema_editor):
        from django.utils import timezone

        now = timezone.now()
        for name in model_names:
            model = apps.get_model(app_label, name)
            historical = apps.get_model(app_label, f"Historical{name}")
            pk = model._meta.pk.attname
            kept = {f.attname for f in historical._meta.concrete_fields}
            fields = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
            have = set(historical.objects.filter(history_type="+").values_list(pk, flat=True))
            historical.objects.bulk_create(
                [
                    historical(history_date=now, history_type="+", **{f: getattr(row, f) for f in fields})
                    for row in model.objects.exclude(pk__in=have).iterator()
                ]
            )

    return migrations.RunPython(run, migrations.RunPython.noop, elidable=False)


def fill_names_en(
    app_label: str, model_name: str, names: dict[str, str], *, key: str = "code", **where
) -> migrations.RunPython:
    """A migration step giving the seeded rows of a rule table (``core.models.RuleName``) their
    English name: ``names`` maps a row's ``key`` (its code, or its Chinese name where the table has
    no code) to the English; ``where`` narrows the rows further (``county=None``: the seeded ones). Only blank ``name_en`` are filled, so an administrator's own English
    name stays; rows the county added itself are left alone. Reversed, it changes nothing."""

    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for value, english in names.items():
            model.objects.filter(**where, **{key: value}, name_en="").update(name_en=english)

    return migrations.RunPython(run, migrations.RunPython.noop, elidable=False)
