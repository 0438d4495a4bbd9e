import type { z } from 'zod';

/** The first few validation issues as `path: message`, for errors that must say what was wrong and where. */
export const describeIssues = (error: z.ZodError, whole: string): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`)
    .join('; ');
