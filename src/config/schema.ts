import { z } from 'zod';
import { ROLES } from '../core/access.js';
import { DetectionSchema } from '../core/detection.js';
import { ID_PATTERN } from '../core/events.js';
import { DeviceRateSchema } from './device-rate-schema.js';

const Port = z.coerce.number().int().min(0).max(65_535);

export const ConfigSchema = z
  .strictObject({
    instanceId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .default('gateway-1')
      .describe('name of this gateway instance: its MQTT client id and its status topic derive from it'),
    http: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1').describe('address the REST/WebSocket API listens on'),
        port: Port.default(8080).describe('port of the REST/WebSocket API'),
        allowedOrigins: z
          .array(
            z.string().regex(/^https?:\/\/[^/?#\s]+$/, 'must be an origin like https://control.example.org (no path)'),
          )
          .default([])
          .describe(
            "browser origins allowed to open the WebSocket feeds besides the API's own; clients that send no Origin are not affected",
          ),
        rateLimit: z
          .strictObject({
            perMinute: z
              .number()
              .int()
              .min(1)
              .max(1_000_000)
              .default(600)
              .describe('requests per minute each principal may make, shared by every gateway instance'),
            burst: z
              .number()
              .int()
              .min(1)
              .max(100_000)
              .default(120)
              .describe('requests a principal may make at once before the per-minute rate applies'),
            anonymousPerMinute: z
              .number()
              .int()
              .min(1)
              .max(1_000_000)
              .default(60)
              .describe('requests per minute per client IP without a valid token (token guessing, the page itself)'),
            anonymousBurst: z
              .number()
              .int()
              .min(1)
              .max(100_000)
              .default(30)
              .describe('requests per client IP without a valid token at once before the per-minute rate applies'),
          })
          .prefault({}),
        tls: z
          .strictObject({
            certFile: z.string().min(1).describe('PEM certificate chain of the API'),
            keyFile: z.string().min(1).describe('PEM private key of that certificate'),
          })
          .optional()
          .describe('serve HTTPS/WSS with this certificate; absent: plain HTTP (behind a TLS-terminating proxy)'),
      })
      .prefault({}),
    auth: z
      .strictObject({
        principals: z
          .array(
            z.strictObject({
              id: z
                .string()
                .regex(ID_PATTERN, 'must be 1-64 letters, digits, _ or -')
                .describe('who holds the token; a token is `<id>.<secret>`'),
              role: z.enum(ROLES).describe('what the principal may do; the table is in src/core/access.ts'),
              estates: z
                .union([
                  z.literal('all'),
                  z.array(z.string().regex(ID_PATTERN, 'not an estate id; write "all" for every estate')).min(1),
                ])
                .describe('ids of the estates the principal serves, or "all"'),
              tokenHash: z
                .string()
                .regex(
                  /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/,
                  'must be scrypt$<N>$<r>$<p>$<saltB64>$<hashB64>, as `npm run auth:token` prints it',
                )
                .describe('scrypt hash of the token; the token itself is never stored'),
              expiresAt: z.iso
                .datetime({ offset: true })
                .optional()
                .describe('the token is refused from this instant on (ISO 8601); absent: it does not expire'),
            }),
          )
          .superRefine((principals, ctx) => {
            const seen = new Set<string>();
            for (const [i, { id }] of principals.entries()) {
              if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `id ${id} is used twice`, path: [i, 'id'] });
              seen.add(id);
            }
          })
          .default([])
          .describe(
            'who may call the REST/WebSocket API: `{ id, role, estates, tokenHash, expiresAt? }` entries, made by `npm run auth:token`; none by default',
          ),
      })
      .prefault({}),
    redis: z
      .strictObject({
        url: z
          .string()
          .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
          .default('redis://127.0.0.1:6379')
          .describe('Redis server (ignored when `cluster` names nodes)'),
        cluster: z
          .array(
            z
              .string()
              .regex(
                /^rediss?:\/\/([^@/\s]*@)?[^:/\s]+:\d{1,5}\/?$/,
                'must be redis://host:port or rediss://host:port',
              ),
          )
          .min(1, 'name at least one node, or leave cluster out for a single Redis')
          .optional()
          .describe(
            'Redis Cluster: some of its nodes (redis://host:port), from which the rest are discovered; every instance of a scaled-out gateway names the same cluster',
          ),
        keyPrefix: z
          .string()
          .regex(/^[A-Za-z0-9_:-]{1,64}$/)
          .default('linli')
          .describe('prefix of every key, so several deployments (or tests) share a Redis'),
      })
      .prefault({}),
    mqtt: z
      .strictObject({
        url: z
          .string()
          .regex(/^(mqtts?|wss?|tcp):\/\//, 'must start with mqtt://, mqtts://, ws:// or wss://')
          .optional()
          .describe('external broker; when absent an embedded broker (aedes) is started'),
        embeddedHost: z.string().default('127.0.0.1').describe('address of the embedded broker'),
        embeddedPort: Port.default(1883).describe('port of the embedded broker'),
        username: z.string().optional().describe('user name at the external broker'),
        password: z.string().optional().describe('password at the external broker (redacted from logs)'),
        shareGroup: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional()
          .describe('subscribe through $share/<group>/… so that instances split the devices between them'),
        deviceSecretsFile: z
          .string()
          .min(1)
          .optional()
          .describe(
            'embedded broker: JSON file of per-device secret hashes from `npm run mqtt:credentials`; only those devices may connect, each publishing only its own topics. Absent: anonymous devices (development only)',
          ),
        tls: z
          .strictObject({
            certFile: z
              .string()
              .min(1)
              .optional()
              .describe('embedded broker: PEM certificate chain; it then speaks mqtts:// only'),
            keyFile: z.string().min(1).optional().describe('embedded broker: PEM private key of that certificate'),
            caFile: z
              .string()
              .min(1)
              .optional()
              .describe(
                'PEM CA the gateway trusts for an mqtts:// broker (the external one, or the embedded one when its certificate is not self-signed)',
              ),
          })
          .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
            message: 'certFile and keyFile go together',
          })
          .optional()
          .describe('MQTT over TLS'),
      })
      .prefault({}),
    estates: z
      .array(z.string().min(1))
      .default(['config/estate.sample.json'])
      .describe('estate registry files (JSON, see the device contract)'),
    detection: DetectionSchema.prefault({}),
    estateDetection: z
      .record(z.string().regex(ID_PATTERN), z.record(z.string(), z.unknown()))
      .default({})
      .describe(
        'per-estate calibration: estate id → detection settings that differ from `detection` (same names and bounds)',
      ),
    devices: z
      .strictObject({
        sweepS: z
          .number()
          .min(0.05)
          .max(3600)
          .default(60)
          .describe(
            'seconds between two looks for silent devices (the `*SilenceH` detection settings); every instance sweeps, and a verdict reached twice is a repeat',
          ),
      })
      .prefault({}),
    ingest: z
      .strictObject({
        maxFutureS: z
          .number()
          .int()
          .min(0)
          .nullable()
          .default(300)
          .describe('events more than this far ahead of the gateway clock are quarantined; null turns the check off'),
        maxBatch: z.number().int().min(1).max(10_000).default(500).describe('messages committed to Redis together'),
        deviceRate: DeviceRateSchema.prefault({}),
      })
      .prefault({}),
    privacy: z
      .strictObject({
        pseudonymKey: z
          .string()
          .min(32, 'must be at least 32 characters')
          .optional()
          .describe('HMAC key for identifiers; when absent a key is generated into .data/ (development only)'),
        pseudonymKeyVersion: z
          .number()
          .int()
          .min(1)
          .max(999)
          .default(1)
          .describe('prefix of every pseudonym; raise it when rotating the key'),
        retentionDays: z
          .number()
          .int()
          .min(1)
          .max(365)
          .default(30)
          .describe(
            'longest any person-scoped key lives after its last write; correlation state expires sooner, a day after the window',
          ),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        retentionDays: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .default(180)
          .describe('days an alert is kept after its last change'),
        streamMaxLen: z
          .number()
          .int()
          .min(100)
          .default(100_000)
          .describe('approximate length of the alert feed a client can resume from'),
      })
      .prefault({}),
    cases: z
      .strictObject({
        noticeDays: z
          .number()
          .int()
          .min(1)
          .max(90)
          .default(7)
          .describe('deadline of a rectification notice when the supervisor gives none, in days'),
        watchDays: z
          .number()
          .int()
          .min(1)
          .max(730)
          .default(90)
          .describe('days a rectified case is watched at the lower thresholds before it closes; a breach reopens it'),
        acknowledgeWithinMin: z
          .number()
          .int()
          .min(1)
          .max(10_080)
          .default(30)
          .describe('a candidate case nobody acknowledged within this many minutes escalates'),
        dismissedRegrowth: z
          .number()
          .int()
          .min(1)
          .max(50)
          .default(2)
          .describe('a dismissed unit becomes a candidate again only once its estimate grew by this many people'),
      })
      .prefault({}),
    deadLetters: z
      .strictObject({
        retentionDays: z.number().int().min(1).max(365).default(14).describe('days dead letters are kept'),
        maxLen: z.number().int().min(100).default(100_000).describe('approximate length of the dead-letter stream'),
      })
      .prefault({}),
    ws: z
      .strictObject({
        heartbeatS: z
          .number()
          .int()
          .min(1)
          .max(300)
          .default(15)
          .describe('seconds between heartbeats on the alert feed'),
        maxBufferedBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .default(4 * 1024 * 1024)
          .describe('a client whose unsent data passes this is disconnected; it resumes from its last id'),
      })
      .prefault({}),
    log: z
      .strictObject({
        level: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default('info')
          .describe('pino log level'),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    // each estate's settings are the global ones with its own on top, checked by the same schema
    for (const [estateId, own] of Object.entries(config.estateDetection)) {
      const merged = DetectionSchema.safeParse({ ...config.detection, ...own });
      for (const issue of merged.success ? [] : merged.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['estateDetection', estateId, ...issue.path] });
      }
    }
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
