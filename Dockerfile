FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
# a 32 MiB young generation: fewer scavenges of each batch's short-lived objects (npm run bench measures it)
CMD ["node", "--max-semi-space-size=32", "--import", "tsx", "src/main.ts"]
