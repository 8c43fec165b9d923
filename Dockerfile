# syntax=docker/dockerfile:1
# One image for every Starling service. The entrypoint is `node`; the service is chosen by the
# argument (the Helm charts set it as `args`):
#   registry      services/registry/dist/main.js
#   swarm-store   services/swarm-store/dist/main.js
#   entry-relay   services/entry-relay/dist/main.js
#   file-server   services/file-server/dist/main.js
#   open-groups   services/open-groups/dist/main.js
#   push          services/push/dist/main.js
# Build:  docker build -t starling:dev .
# Run:    docker run --rm -p 22029:22029 -e REGISTRY_HOST=0.0.0.0 -e REGISTRY_DATA_DIR=/data \
#           -v starling-registry:/data starling:dev services/registry/dist/main.js
# Settings come from environment variables (each service's src/config.ts; deploy/helm/README.md).
# This file has not been built on the project's own machines, which have no Docker engine.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, proto codegen and TypeScript build through Nx ---------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true CI=true
COPY . .
RUN npm ci --no-audit --no-fund
RUN npx nx run-many -t build --exclude=@starling/network-tests
# Gather what the runtime needs, paths kept: workspace manifests (npm ci needs every one),
# compiled output, SQL migrations, data files (mnemonic word list) and the .proto contracts
# (the gRPC servers load them at run time).
RUN mkdir -p /out \
 && cp package.json package-lock.json /out/ \
 && find libs services test -maxdepth 2 -name package.json -exec cp --parents {} /out \; \
 && find libs services -mindepth 2 -maxdepth 2 -type d \( -name dist -o -name migrations -o -name data \) -exec cp -r --parents {} /out \; \
 && cp -r proto /out/proto \
 && find /out \( -name '*.tsbuildinfo' -o -name '*.spec.js' -o -name '*.spec.d.ts' \) -delete

# --- runtime: production dependencies and compiled code only, non-root --------------------------
FROM ${NODE_IMAGE} AS runtime
# 2 MiB semi-spaces (Node's default is 16 MiB): 20-40 MiB less resident memory per process at no
# measured throughput cost; the local network's processes run with the same flag
# (test/src/devnet/service-process.ts SERVICE_NODE_OPTIONS, test/src/bench/memory.bench.ts).
ENV NODE_ENV=production NODE_OPTIONS=--max-semi-space-size=2
WORKDIR /app
COPY --from=build /out/ ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && groupadd --system --gid 1001 starling \
 && useradd --system --uid 1001 --gid 1001 --no-create-home --shell /usr/sbin/nologin starling \
 && mkdir -p /data && chown 1001:1001 /data
# Numeric user so that Kubernetes' runAsNonRoot can verify it; the charts run as 1001 too.
USER 1001:1001
VOLUME ["/data"]
ENTRYPOINT ["node"]
CMD ["services/registry/dist/main.js"]
