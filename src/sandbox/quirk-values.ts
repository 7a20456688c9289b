/**
 * Readers for quirk values as written (`src/sandbox/quirks.ts` hands every value over as a raw
 * string), for the vendors' strict quirk schemas.
 */
import { z } from 'zod';

/** A switch: `1`/`true` on, `0`/`false` off; a bare quirk is `1`. */
export const quirkFlag = z
  .enum(['1', '0', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true');

/** A whole number in `min..max`, written in decimal. */
export const quirkInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'a whole number')
    .transform(Number)
    .pipe(z.int().min(min).max(max));
