import { describe, expect, it } from 'vitest';
import { decodeDraft, encodeDraft } from '../../../src/adapters/redis/draft-codec.js';
import { groupRentalDraft } from '../../helpers/core-fixtures.js';

describe('alert draft encoding', () => {
  it('gives back the draft it encoded, smaller than its JSON', () => {
    const draft = groupRentalDraft('b1-101', 9);
    const stored = encodeDraft(draft);
    expect(decodeDraft(stored)).toEqual(draft);
    expect(stored.length).toBeLessThan(JSON.stringify(draft).length);
    expect(stored).toMatch(/^z1:[A-Za-z0-9+/=]+$/);
  });

  it('reads a draft stored as plain JSON before the encoding existed', () => {
    const draft = groupRentalDraft('b1-102', 7);
    expect(decodeDraft(JSON.stringify(draft))).toEqual(draft);
  });

  it('encodes equal drafts alike, so a repeated raise stores nothing new', () => {
    expect(encodeDraft(groupRentalDraft('b1-101', 9))).toBe(encodeDraft(groupRentalDraft('b1-101', 9)));
  });
});
