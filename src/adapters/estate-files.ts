import { readFileSync } from 'node:fs';
import { type Estate, EstateError, parseEstate } from '../core/estate.js';

/** Reads and validates estate registry files; any problem names the file and the entry. */
export function loadEstateFiles(paths: readonly string[]): Estate[] {
  return paths.map((path) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new EstateError(`estate file ${path}: ${e.code === 'ENOENT' ? 'not found' : e.message}`);
    }
    return parseEstate(json, `estate file ${path}`);
  });
}
