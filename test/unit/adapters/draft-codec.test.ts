import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeDraft, encodeDraft } from '../../../src/adapters/redis/draft-codec.js';
import { groupRentalDraft } from '../../helpers/core-fixtures.js';

describe('alert draft encoding', () => {
  it('gives back the draft it encoded, with the dictionary, far smaller than deflate alone', () => {
    const draft = groupRentalDraft('b1-101', 9);
    const stored = encodeDraft(draft);
    expect(decodeDraft(stored)).toEqual(draft);
    expect(stored).toMatch(/^z2:[A-Za-z0-9+/=]+$/);
    const alone = deflateRawSync(JSON.stringify(draft), { level: 6 }).toString('base64');
    expect(stored.length).toBeLessThan(alone.length / 2);
  });

  it('reads the drafts of every earlier encoding: plain JSON, and deflate without a dictionary', () => {
    const draft = groupRentalDraft('b1-102', 7);
    expect(decodeDraft(JSON.stringify(draft))).toEqual(draft);
    const z1 = `z1:${deflateRawSync(JSON.stringify(draft), { level: 1 }).toString('base64')}`;
    expect(decodeDraft(z1)).toEqual(draft);
  });

  it('encodes equal drafts alike, so a repeated raise stores nothing new', () => {
    expect(encodeDraft(groupRentalDraft('b1-101', 9))).toBe(encodeDraft(groupRentalDraft('b1-101', 9)));
  });
});
