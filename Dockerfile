# One image for every process: pick the process with the command, e.g.
#   docker run mentoring services/catalog/dist/main.js
FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund \
  && npx turbo run build \
  && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["gateway/dist/main.js"]
