# One image for every process of the shop; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
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
RUN npm ci --no-audit --no-fund
COPY . .
# The storefront's static bundle (web/dist), served by the router from its own origin.
RUN npm run build:web
ENV HOST=0.0.0.0 APOLLO_TELEMETRY_DISABLED=true NODE_ENV=production
