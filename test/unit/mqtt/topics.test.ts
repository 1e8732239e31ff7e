import { describe, expect, it } from 'vitest';
import { ingestFilters, parseTopic } from '../../../src/adapters/mqtt/topics.js';

describe('gateway subscriptions', () => {
  it('subscribes to events and statuses of every device', () => {
    expect(ingestFilters()).toEqual(['linli/v1/+/+/event', 'linli/v1/+/+/status']);
  });

  it('shares events in a group, but not statuses: every instance records them in the broker order', () => {
    expect(ingestFilters('g1')).toEqual(['$share/g1/linli/v1/+/+/event', 'linli/v1/+/+/status']);
  });

  it('reads the estate, device and kind from a contract topic, and nothing from another', () => {
    expect(parseTopic('linli/v1/e1/gate-1/status')).toEqual({ estateId: 'e1', deviceId: 'gate-1', kind: 'status' });
    expect(parseTopic('linli/v1/e1/gate-1/other')).toBeUndefined();
    expect(parseTopic('linli/v2/e1/gate-1/event')).toBeUndefined();
  });
});
