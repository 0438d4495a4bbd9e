/** The first line of whatever was thrown: enough to say what happened, without stack or request dumps. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
