FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY grants ./grants
COPY workers ./workers
COPY migrations ./migrations
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["grants", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
