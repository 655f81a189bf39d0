# Finance settings (the unpaid-claim alert threshold) and one unpaid alert row per claim.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workplans', '0003_birthing_population'),
    ]

    operations = [
        migrations.CreateModel(
            name='FinanceSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unpaid_alert_days', models.PositiveSmallIntegerField(default=30, help_text='Host staff are alerted, once, about a claim still unpaid this many days after it was submitted.', validators=[django.core.validators.MinValueValidator(1)])),
            ],
            options={
                'verbose_name': 'finance settings',
            },
        ),
        migrations.CreateModel(
            name='UnpaidClaimAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('claim', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='unpaid_alert', to='workplans.expenseclaim')),
            ],
            options={
                'verbose_name': 'unpaid claim alert',
                'ordering': ['-created_at', '-pk'],
            },
        ),
    ]
