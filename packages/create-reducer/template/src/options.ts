import { z } from 'zod';

/**
 * The plugin's options: one schema. latentkit validates --opt values against it (unknown keys are
 * refused: keep it strict), fills the defaults, and shows it in `latentkit list` and --help.
 */
export const optionsSchema = z.strictObject({
  center: z.boolean().default(true).describe('subtract the training mean before projecting'),
});

export type __CLASS_NAME__Options = z.output<typeof optionsSchema>;
