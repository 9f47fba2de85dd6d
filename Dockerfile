# The portal's image: web (gunicorn), Celery worker and Celery beat run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; DejaVu carries the Polish diacritics; gettext compiles catalogues.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
 && useradd --system --home /app portal && mkdir -p /app/var && chown -R portal /app/var
USER portal

EXPOSE 8000
# gunicorn.conf.py: the app, workers (WEB_CONCURRENCY; default one per CPU the container may
# use, at least 2), and a timeout above the longest a PDF may be rendered inside a request
# (see the file).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
