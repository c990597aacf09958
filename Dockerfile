# Production image for web, worker and beat (one image, three commands in docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=cpd_portal.settings VAR_DIR=/app/var

# Pango and HarfBuzz for WeasyPrint certificates; fonts for the certificate serif.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock && pip install --no-deps .
COPY . .
# collectstatic runs with throwaway values: the real ones come from the environment at run time.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghij \
    CREDENTIAL_SIGNING_KEY="$(python -m credits.certificates.openbadges.keys)" \
    python manage.py collectstatic --no-input \
 && useradd --system --home /app cpd && mkdir -p /app/var && chown -R cpd /app/var
USER cpd

EXPOSE 8000
CMD ["gunicorn", "cpd_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
