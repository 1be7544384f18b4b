"""The site as production runs it, with uploaded media served beside it, as the
web server or object storage in front of production would (Django serves media
only in development). For the offline benchmark, which saves lesson images."""

import os

from whitenoise import WhiteNoise

from lms.wsgi import application as site

# autorefresh: image renditions are made on first use, after start-up.
application = WhiteNoise(
    site,
    root=os.environ["MEDIA_ROOT"],
    prefix="/media/",
    max_age=3600,
    autorefresh=True,
)
