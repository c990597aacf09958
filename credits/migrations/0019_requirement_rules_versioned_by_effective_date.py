"""Licence rules versioned by the date they take effect, with a cycle anchor, a live-only
portion, a carry-over allowance, the date their source was read and a kept history; seeds the
reference sets for Massachusetts nurses, pharmacists, physician assistants, psychologists and
social workers and New Hampshire physicians (credits.requirements.rules, decision 0021). The
Massachusetts physicians' set keeps every value, so its progress figures do not move."""
import datetime
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cpd_portal.db.append_only import AppendOnlyTriggers



def reference_rules_seed(apps, schema_editor):
    from credits.requirements.rules import SOURCES_READ_ON, reference_rules_ensure

    requirement_set_model = apps.get_model("credits", "RequirementSet")
    # The Massachusetts physicians' source was read again for this migration; nothing else of
    # that set changes.
    requirement_set_model.objects.filter(state="MA", profession="physician",
                                         source_read_on__isnull=True) \
        .update(source_read_on=SOURCES_READ_ON)
    reference_rules_ensure(requirement_set_model, apps.get_model("credits", "TopicRequirement"),
                           apps.get_model("courses", "Topic"))


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0018_merge_credit_type_codes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RequirementSetChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField(auto_now_add=True)),
                ('values', models.JSONField()),
            ],
            options={
                'ordering': ['-changed_at', '-pk'],
            },
        ),
        migrations.AlterModelOptions(
            name='requirementset',
            options={'ordering': ['state', 'profession', '-effective_from']},
        ),
        migrations.RemoveConstraint(
            model_name='requirementset',
            name='requirement_set_one_active_per_licence_kind',
        ),
        migrations.AddField(
            model_name='requirementset',
            name='carry_over_maximum',
            field=models.DecimalField(decimal_places=2, default=0, help_text='Credits above the total earned in the previous cycle that count toward this one, at most; 0 for none.', max_digits=6),
        ),
        migrations.AddField(
            model_name='requirementset',
            name='cycle_anchor',
            field=models.CharField(choices=[('licence_expiry', "Ends on the licence's expiry date"), ('birthday', "Ends on the holder's birthday in the year the licence expires"), ('calendar_years', 'Whole calendar years ending 31 December before the year the licence expires')], default='licence_expiry', max_length=20),
        ),
        migrations.AddField(
            model_name='requirementset',
            name='effective_from',
            field=models.DateField(default=datetime.date(2000, 1, 1), help_text="The first day these rules apply. Enter a board's change as a new set with a later date: progress keeps the current set until that day.", verbose_name='in force from'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='requirementset',
            name='live_minimum',
            field=models.DecimalField(decimal_places=2, default=0, help_text='Credits of the total that must come from live activities (live, hybrid or regularly scheduled series); 0 for none.', max_digits=6, verbose_name='live-only minimum'),
        ),
        migrations.AddField(
            model_name='requirementset',
            name='source_read_on',
            field=models.DateField(blank=True, null=True, verbose_name='source read on'),
        ),
        migrations.AlterField(
            model_name='requirementset',
            name='cycle_months',
            field=models.PositiveSmallIntegerField(verbose_name='cycle length (months)'),
        ),
        migrations.AlterField(
            model_name='requirementset',
            name='profession',
            field=models.CharField(help_text="A profession's code (Admin → Professions).", max_length=30),
        ),
        migrations.AddConstraint(
            model_name='requirementset',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('state', 'profession', 'effective_from'), name='requirement_set_one_active_per_licence_kind_and_date'),
        ),
        migrations.AddConstraint(
            model_name='requirementset',
            constraint=models.CheckConstraint(condition=models.Q(('live_minimum__gte', 0), ('live_minimum__lte', models.F('total_credits'))), name='requirement_set_live_minimum_within_total'),
        ),
        migrations.AddConstraint(
            model_name='requirementset',
            constraint=models.CheckConstraint(condition=models.Q(('carry_over_maximum__gte', 0)), name='requirement_set_carry_over_not_negative'),
        ),
        migrations.AddField(
            model_name='requirementsetchange',
            name='changed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='requirementsetchange',
            name='requirement_set',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='credits.requirementset'),
        ),
        AppendOnlyTriggers(
            function="credits_requirement_history_kept", reason="licence rule history is kept",
            refuse_update_or_delete={
                "credits_requirementsetchange_kept": "credits_requirementsetchange"}),
        migrations.RunPython(reference_rules_seed, migrations.RunPython.noop),
    ]
