"""Give every hazard photo stored without a thumbnail its thumbnail (photos saved before thumbnails
were made with them). Safe to rerun or to run beside the site: each photo is claimed by a
conditional update (``hazards.services.photos.photo_ensure_thumbnail``)."""

from django.core.management.base import BaseCommand

from hazards.models import HazardPhoto
from hazards.services.photos import photo_ensure_thumbnail, process_all_pending


class Command(BaseCommand):
    help = "Make the 320 px thumbnails of hazard photos that have none."

    def handle(self, *args, **options):
        processed = process_all_pending()  # photos the worker has not processed yet (with their thumbnails)
        self.stdout.write(f"photos processed: {processed}")
        made = 0
        done = HazardPhoto.objects.filter(thumbnail="", processing=HazardPhoto.Processing.DONE)
        for photo in done.only("id", "image", "thumbnail").iterator(chunk_size=200):
            made += photo_ensure_thumbnail(photo)
        self.stdout.write(f"thumbnails made: {made}")
