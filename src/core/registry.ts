import type { DeviceBinding, Estate, Unit } from './estate.js';

/**
 * The estates this gateway serves. Reloading swaps whole estates at once, so a message handled during a
 * reload sees either the old or the new registry, never a mix.
 */
export class EstateRegistry {
  #estates: ReadonlyMap<string, Estate>;

  constructor(estates: readonly Estate[]) {
    this.#estates = EstateRegistry.#index(estates);
  }

  static #index(estates: readonly Estate[]): ReadonlyMap<string, Estate> {
    const map = new Map<string, Estate>();
    for (const e of estates) {
      if (map.has(e.id)) throw new Error(`estate "${e.id}" is loaded twice`);
      map.set(e.id, e);
    }
    return map;
  }

  replace(estates: readonly Estate[]): void {
    this.#estates = EstateRegistry.#index(estates);
  }

  estate(estateId: string): Estate | undefined {
    return this.#estates.get(estateId);
  }

  estates(): Estate[] {
    return [...this.#estates.values()];
  }

  device(estateId: string, deviceId: string): DeviceBinding | undefined {
    return this.#estates.get(estateId)?.devices.get(deviceId);
  }

  unit(estateId: string, unitId: string): Unit | undefined {
    return this.#estates.get(estateId)?.units.get(unitId);
  }
}
