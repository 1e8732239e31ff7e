import { ID_PATTERN } from '../../core/events.js';

/** Topic layout of contract v1; every topic string is built or parsed here and nowhere else. */
export const TOPIC_ROOT = 'linli/v1';

export type TopicKind = 'event' | 'status';
export type ParsedTopic = { estateId: string; deviceId: string; kind: TopicKind };

export const eventTopic = (estateId: string, deviceId: string): string => `${TOPIC_ROOT}/${estateId}/${deviceId}/event`;
export const statusTopic = (estateId: string, deviceId: string): string =>
  `${TOPIC_ROOT}/${estateId}/${deviceId}/status`;

/** Subscriptions of the gateway; `group` makes them MQTT 5 / Mosquitto shared subscriptions for scale-out. */
export function ingestFilters(group?: string): string[] {
  const filters = [`${TOPIC_ROOT}/+/+/event`, `${TOPIC_ROOT}/+/+/status`];
  return group ? filters.map((f) => `$share/${group}/${f}`) : filters;
}

export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return undefined;
  const [, , estateId, deviceId, kind] = parts as [string, string, string, string, string];
  if (!ID_PATTERN.test(estateId) || !ID_PATTERN.test(deviceId)) return undefined;
  if (kind !== 'event' && kind !== 'status') return undefined;
  return { estateId, deviceId, kind };
}

/** Retained status of the gateway itself (last will `offline`), so operators see a dead gateway on the broker. */
export const gatewayStatusTopic = (instanceId: string): string => `linli/gateway/${instanceId}/status`;
