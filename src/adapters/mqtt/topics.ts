import { ID_PATTERN } from '../../core/events.js';

/** Topic layout of contract v1; every topic string is built or parsed here and nowhere else. */
export const TOPIC_ROOT = 'linli/v1';

export type TopicKind = 'event' | 'status';
export type ParsedTopic = { estateId: string; deviceId: string; kind: TopicKind };

export const eventTopic = (estateId: string, deviceId: string): string => `${TOPIC_ROOT}/${estateId}/${deviceId}/event`;
export const statusTopic = (estateId: string, deviceId: string): string =>
  `${TOPIC_ROOT}/${estateId}/${deviceId}/status`;

/**
 * Subscriptions of the gateway. With a `group`, events are a shared subscription (MQTT 5 / Mosquitto): each event
 * goes to one instance. Statuses are not shared: every instance receives every status, in the broker's order. A
 * shared subscription hands a device's consecutive messages to different instances, and a last will carries no time
 * of its own, so two instances could record a device's will and its return in either order and leave it offline;
 * recording the same statuses in the same order everywhere leaves every instance with the device's last status.
 * Statuses are few (connects and disconnects), recording one twice changes nothing, and retained statuses reach
 * every instance when it subscribes, which shared subscriptions never deliver.
 */
export function ingestFilters(group?: string): string[] {
  const events = `${TOPIC_ROOT}/+/+/event`;
  const statuses = `${TOPIC_ROOT}/+/+/status`;
  return group ? [`$share/${group}/${events}`, statuses] : [events, statuses];
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
