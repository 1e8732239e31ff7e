import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AlertDraft } from '../../core/alerts.js';

const DEFLATED = 'z1:';

/**
 * An alert's draft as stored in its hash and in every feed entry. A draft carries its evidence in words and
 * averages some 4 KB; the feed holds one copy per change, most of them daily updates, and was the second largest
 * share of Redis a unit (`npm run memory`). Raw deflate shrinks it about threefold; base64 keeps it a valid UTF-8
 * string, as ioredis reads replies, and Lua never looks inside. Level 1: the drafts repeat their own words, so
 * the fastest level gets nearly all of the gain, and a raise decision is encoded even when it changes nothing.
 */
export function encodeDraft(draft: AlertDraft): string {
  return DEFLATED + deflateRawSync(JSON.stringify(draft), { level: 1 }).toString('base64');
}

/** Reads an encoded draft, or a plain JSON one written before the encoding existed. */
export function decodeDraft(stored: string): AlertDraft {
  const json = stored.startsWith(DEFLATED)
    ? inflateRawSync(Buffer.from(stored.slice(DEFLATED.length), 'base64')).toString('utf8')
    : stored;
  return JSON.parse(json) as AlertDraft;
}
