/** `events`: custom event types beyond the built-in catalog. */
import { z } from 'zod';

export const eventsSchema = z
  .strictObject({
    custom: z
      .array(
        z.strictObject({
          type: z.string().regex(/^[a-z][a-z0-9_]*$/, {
            error: 'expected an event type in snake_case like `trial_extended`',
          }),
          description: z.string().optional(),
          properties: z.array(z.string().min(1)).default([]),
        }),
      )
      .default([]),
  })
  .describe('Custom event types.');
