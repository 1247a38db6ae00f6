// The backplane's timings. No imports: they are plain defaults, changed by
// passing options (tests), not by runtime config.

/**
 * How often an instance refreshes its liveness key and looks for instances
 * that died. Once a second is one SET and one SMEMBERS a second per
 * instance, nothing to Redis, and a visitor of a dead instance's host learns
 * it within a few seconds, about as fast as its own ICE would notice.
 */
export const BACKPLANE_HEARTBEAT_MS = 1000

/**
 * How long an instance's liveness key lives without a heartbeat: past it the
 * others take the instance for dead, hide its hosts and close their peers'
 * sessions with its peers. Three heartbeats, so a garbage-collection pause or
 * a slow Redis round trip of up to two seconds does not kill a live instance.
 */
export const BACKPLANE_INSTANCE_TTL_MS = 3000

/**
 * How long a registry lock lives if its holder never releases it (its
 * process died while holding it). A registry operation holding it is a few
 * Redis round trips, milliseconds; ten seconds leaves a hundredfold margin
 * and blocks a dead holder's site (and, for the join code lock, every new
 * site) for at most that long.
 */
export const REGISTRY_LOCK_TTL_MS = 10_000

/**
 * How long a registry operation waits for its lock before it fails with
 * "the registry is busy". A class of 100 claiming new names at once queue
 * on the one join code lock for some 100 × 2 ms; five seconds is well past
 * that, and short of the client's own give-up.
 */
export const REGISTRY_LOCK_WAIT_MS = 5000

/** The first wait between tries of a held lock; each retry doubles it, with jitter, up to REGISTRY_LOCK_RETRY_MAX_MS. */
export const REGISTRY_LOCK_RETRY_MIN_MS = 5
/** The longest wait between two tries of a held lock: a released lock is taken within this long. */
export const REGISTRY_LOCK_RETRY_MAX_MS = 100
