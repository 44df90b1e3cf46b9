/**
 * The streams a home keeps for itself beside its profiles: `gc` (what each
 * collection deleted) and `roots` (registered GC roots). They record facts
 * of this home only, so no import may write them.
 */
export const gcStream = 'gc';
export const rootsStream = 'roots';
