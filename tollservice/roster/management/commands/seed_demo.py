"""``python manage.py seed_demo``: load the demo station into an empty database, print the demo logins."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from tollservice.roster import demo
from tollservice.roster.models import Station


class Command(BaseCommand):
    help = (
        "If the database has no station yet, load the demo station (the roster, then every seeder in "
        "settings.DEMO_SEEDERS). Running it again changes nothing. Prints the demo logins every time."
    )

    def handle(self, *args, **options):
        if Station.objects.exists():
            self.stdout.write("The database already has a station; the demo data was not loaded again.")
        else:
            with transaction.atomic():
                station = demo.create_station()
                for path in settings.DEMO_SEEDERS:
                    import_string(path)(station=station, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Demo station loaded: {station.name}."))
        self.print_logins()

    def print_logins(self) -> None:
        usernames = [login.username for login in demo.DEMO_LOGINS]
        present = set(
            get_user_model().objects.filter(username__in=usernames, is_active=True).values_list("username", flat=True)
        )
        logins = [login for login in demo.DEMO_LOGINS if login.username in present]
        if not logins:
            self.stdout.write("No demo logins in this database.")
            return
        width = max(len(login.username) for login in logins)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (password for all: {demo.DEMO_PASSWORD})"))
        self.stdout.write(f"  {'username'.ljust(width)}  {'password'.ljust(len(demo.DEMO_PASSWORD))}  role")
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {demo.DEMO_PASSWORD}  {login}")
        self.stdout.write("")
