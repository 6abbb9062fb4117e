// The token of authRefresh(), alone: one refresh at a time for every caller of a client.
// Each token has a generation. A call remembers the generation it was sent with; a 401 for
// generation g asks for a token newer than g, so:
// - 10 concurrent 401s for g start one refresh and all wait for it;
// - a 401 that arrives after the refresh, for a request sent with the old token, gets the
//   newer token at once, with no second refresh.
// A failed refresh rejects its waiters and leaves the generation alone. A 401 for a request
// sent before that failure gets the same failure (it would have waited for that refresh had
// it come back sooner); a request sent after it may try once more. So no call waits for more
// than one refresh, and a burst of 401s never turns into a loop of refreshes.

/** A token and the generation it belongs to (0: none yet). */
export interface Issued {
  readonly token: string;
  readonly generation: number;
}

export interface TokenSource {
  /** The token now, if any, with its generation. */
  readonly issued: Issued | undefined;
  /** Refreshes settled so far, successful or not: a caller notes it when it sends. */
  readonly epoch: number;
  /**
   * A token newer than `staleGeneration`: the current one if it is, else the refresh already
   * running, else the failure of a refresh that settled after `sentEpoch`, else a new refresh.
   */
  renew(staleGeneration: number, sentEpoch?: number): Promise<Issued>;
  /** How many times `refresh` was called. */
  readonly refreshes: number;
}

/** A token source over `refresh`, which the caller validated; it starts with no token. */
export function tokenSource(refresh: () => Promise<string>): TokenSource {
  let issued: Issued | undefined;
  let running: Promise<Issued> | undefined;
  let refreshes = 0;
  let epoch = 0;
  let failure: { readonly epoch: number; readonly error: unknown } | undefined;

  const start = (): Promise<Issued> => {
    refreshes++;
    const generation = (issued?.generation ?? 0) + 1;
    // Called inside a promise chain so that a refresh that throws synchronously rejects too.
    const pending = Promise.resolve()
      .then(refresh)
      .then((token) => {
        if (typeof token !== 'string' || token.length === 0) {
          throw new TypeError(`refresh() must resolve to a non-empty string, received ${token === '' ? 'an empty string' : typeof token}`);
        }
        // It goes into a header: CR, LF or NUL would inject one, and fetch sends only Latin-1.
        if (/[\r\n\0]|[^\x00-\xff]/.test(token)) throw new TypeError('refresh() resolved to a token that cannot be sent in a header');
        issued = { token, generation };
        return issued;
      });
    running = pending;
    pending.then(
      () => {
        running = undefined;
        epoch++;
      },
      (error: unknown) => {
        running = undefined;
        failure = { epoch: ++epoch, error };
      },
    );
    return pending;
  };

  return {
    get issued() {
      return issued;
    },
    get refreshes() {
      return refreshes;
    },
    get epoch() {
      return epoch;
    },
    renew(staleGeneration, sentEpoch = epoch) {
      if (issued !== undefined && issued.generation > staleGeneration) return Promise.resolve(issued);
      if (running !== undefined) return running;
      if (failure !== undefined && failure.epoch > sentEpoch) return Promise.reject(failure.error);
      return start();
    },
  };
}

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts (the promise runs on for others). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | null): Promise<T> {
  if (signal === null) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
