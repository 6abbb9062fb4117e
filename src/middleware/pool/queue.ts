// The pool's slot queue: at most `maxsize` holders per origin, the others wait in order and get
// a freed slot handed straight to them. Pure bookkeeping: no timers, signals or requests, so
// pool() owns every wait and this file is tested alone.

/** What one origin holds: slots taken, and the requests waiting for one, in order. */
export interface Slots {
  active: number;
  readonly waiting: Array<() => void>;
}

export class SlotQueue {
  readonly #maxsize: number;
  readonly #origins = new Map<string, Slots>();

  constructor(maxsize: number) {
    this.#maxsize = maxsize;
  }

  /** Every origin that holds a slot or a waiter, read-only; an idle origin is removed. */
  get origins(): ReadonlyMap<string, Readonly<Slots>> {
    return this.#origins;
  }

  /** Takes a slot of `key` if one is free; false means the caller must wait (`enqueue`). */
  tryTake(key: string): boolean {
    let slots = this.#origins.get(key);
    if (slots === undefined) this.#origins.set(key, (slots = { active: 0, waiting: [] }));
    if (slots.active >= this.#maxsize) return false;
    slots.active++;
    return true;
  }

  /** Queues `admit`, called once a slot of `key` passes to it; returns how many wait now. */
  enqueue(key: string, admit: () => void): number {
    const slots = this.#origins.get(key)!;
    slots.waiting.push(admit);
    return slots.waiting.length;
  }

  /** Takes back a waiter that gave up (an abort, a timeout); false if it was not waiting. */
  leave(key: string, admit: () => void): boolean {
    const waiting = this.#origins.get(key)?.waiting;
    const index = waiting === undefined ? -1 : waiting.indexOf(admit);
    if (index === -1) return false;
    waiting!.splice(index, 1);
    return true;
  }

  /** Frees a slot of `key`: it passes straight to the first waiter, or is given back. */
  free(key: string): void {
    const slots = this.#origins.get(key);
    if (slots === undefined) return;
    const admit = slots.waiting.shift();
    if (admit) return admit();
    slots.active--;
    // An idle origin is forgotten: a client calling many origins keeps no entry for each.
    if (slots.active === 0) this.#origins.delete(key);
  }
}
