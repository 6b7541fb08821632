# ParentVoice: `parentvoice run` as a non-root user, with the database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PARENTVOICE_DB=/data/parentvoice.db

RUN useradd --create-home --uid 10001 parentvoice \
    && mkdir -p /data && chown parentvoice:parentvoice /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY locales ./locales
COPY migrations ./migrations
# Editable install: the bot finds locales/ and migrations/ beside its package, as in a checkout.
RUN pip install --no-cache-dir -e . && chown -R root:root /app && chmod -R a+rX /app

USER parentvoice
VOLUME ["/data"]
# Webhook mode listens here when PARENTVOICE_WEBHOOK_URL is set; polling needs no port.
EXPOSE 8443
# TELEGRAM_BOT_TOKEN and PARENTVOICE_SECRET come from the environment (docker run -e / secrets), never the image.
CMD ["parentvoice", "run"]
