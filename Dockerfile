# syntax=docker/dockerfile:1
# One Dockerfile for every process of the shop: `docker build --build-arg SERVICE=users .`
# SERVICE is one of users, catalogue, orders, promotions, recommendations, notifications,
# notifications-worker, router (scripts/processes.ts). The build stage compiles the TypeScript
# once (npm run build); the runtime stage holds only production dependencies, the compiled
# JavaScript and the files read at run time, and runs it with plain node as user `node`.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /shop
COPY package.json package-lock.json ./
COPY packages/kernel/package.json packages/kernel/
COPY router/package.json router/
COPY subgraphs/users/package.json subgraphs/users/
COPY subgraphs/catalogue/package.json subgraphs/catalogue/
COPY subgraphs/orders/package.json subgraphs/orders/
COPY subgraphs/promotions/package.json subgraphs/promotions/
COPY subgraphs/recommendations/package.json subgraphs/recommendations/
COPY subgraphs/notifications/package.json subgraphs/notifications/
COPY web/package.json web/
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
# Every process's dist/ (tsc -b) and the storefront's web/dist, which the router serves.
RUN npm run build

# Production dependencies of the server workspaces only (the storefront is bundled in web/dist).
FROM ${NODE_IMAGE} AS deps
WORKDIR /shop
COPY --from=build /shop/package.json /shop/package-lock.json ./
COPY --from=build /shop/packages/kernel/package.json packages/kernel/
COPY --from=build /shop/router/package.json router/
COPY --from=build /shop/subgraphs/users/package.json subgraphs/users/
COPY --from=build /shop/subgraphs/catalogue/package.json subgraphs/catalogue/
COPY --from=build /shop/subgraphs/orders/package.json subgraphs/orders/
COPY --from=build /shop/subgraphs/promotions/package.json subgraphs/promotions/
COPY --from=build /shop/subgraphs/recommendations/package.json subgraphs/recommendations/
COPY --from=build /shop/subgraphs/notifications/package.json subgraphs/notifications/
COPY --from=build /shop/web/package.json web/
RUN npm ci --omit=dev --no-audit --no-fund \
      --workspace=packages/kernel --workspace=router \
      --workspace=subgraphs/users --workspace=subgraphs/catalogue --workspace=subgraphs/orders \
      --workspace=subgraphs/promotions --workspace=subgraphs/recommendations --workspace=subgraphs/notifications \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=router
WORKDIR /shop
# NODE_OPTIONS: @shop/kernel resolves to its compiled dist/ under the `production` condition;
# the V8 flags are scripts/processes.ts's NODE_FLAGS.
ENV NODE_ENV=production \
    NODE_OPTIONS="--conditions=production --max-semi-space-size=32" \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    APOLLO_TELEMETRY_DISABLED=true \
    SHOP_PROCESS=${SERVICE}
# Package files and node_modules of every workspace (npm nests some dependencies per workspace).
COPY --from=deps /shop ./
COPY --from=build /shop/supergraph.yaml ./
COPY --from=build /shop/scripts/dist scripts/dist
COPY --from=build /shop/packages/kernel/dist packages/kernel/dist
COPY --from=build /shop/router/supergraph.graphql router/
COPY --from=build /shop/router/dist router/dist
COPY --from=build /shop/web/dist web/dist
COPY --from=build /shop/subgraphs/users/schema.graphql subgraphs/users/
COPY --from=build /shop/subgraphs/users/dist subgraphs/users/dist
COPY --from=build /shop/subgraphs/catalogue/schema.graphql subgraphs/catalogue/
COPY --from=build /shop/subgraphs/catalogue/dist subgraphs/catalogue/dist
COPY --from=build /shop/subgraphs/orders/schema.graphql subgraphs/orders/
COPY --from=build /shop/subgraphs/orders/dist subgraphs/orders/dist
COPY --from=build /shop/subgraphs/promotions/schema.graphql subgraphs/promotions/
COPY --from=build /shop/subgraphs/promotions/dist subgraphs/promotions/dist
COPY --from=build /shop/subgraphs/recommendations/schema.graphql subgraphs/recommendations/
COPY --from=build /shop/subgraphs/recommendations/dist subgraphs/recommendations/dist
COPY --from=build /shop/subgraphs/notifications/schema.graphql subgraphs/notifications/
COPY --from=build /shop/subgraphs/notifications/dist subgraphs/notifications/dist
# DATA_DIR: the notifications' .eml/.sms outbox when no SMTP_URL is set; owned by the runtime user.
RUN mkdir -p /data && chown node:node /data
USER node
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "scripts/dist/healthcheck.js"]
CMD ["node", "scripts/dist/service.js"]
