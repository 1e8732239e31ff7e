/** Environment variables and the config path each overrides. Values are strings; the schema coerces them. */
export const ENV_OVERRIDES: Record<string, { path: string[]; parse?: (v: string) => unknown }> = {
  INSTANCE_ID: { path: ['instanceId'] },
  HOST: { path: ['http', 'host'] },
  PORT: { path: ['http', 'port'] },
  REDIS_URL: { path: ['redis', 'url'] },
  REDIS_CLUSTER_NODES: {
    path: ['redis', 'cluster'],
    parse: (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
  },
  KEY_PREFIX: { path: ['redis', 'keyPrefix'] },
  MQTT_URL: { path: ['mqtt', 'url'] },
  MQTT_USERNAME: { path: ['mqtt', 'username'] },
  MQTT_PASSWORD: { path: ['mqtt', 'password'] },
  MQTT_SHARE_GROUP: { path: ['mqtt', 'shareGroup'] },
  EMBEDDED_MQTT_PORT: { path: ['mqtt', 'embeddedPort'] },
  ESTATE_FILE: { path: ['estates'], parse: (v) => v.split(',').map((s) => s.trim()) },
  WINDOW_DAYS: { path: ['detection', 'windowDays'], parse: Number },
  LINK_GAP_S: { path: ['detection', 'linkGapS'], parse: Number },
  MAX_FUTURE_S: { path: ['ingest', 'maxFutureS'], parse: (v) => (v === 'off' ? null : Number(v)) },
  DEVICE_RATE_PER_S: {
    path: ['ingest', 'deviceRate', 'perSecond'],
    parse: (v) => (v === 'off' ? null : Number(v)),
  },
  PSEUDONYM_KEY: { path: ['privacy', 'pseudonymKey'] },
  LOG_LEVEL: { path: ['log', 'level'] },
};
