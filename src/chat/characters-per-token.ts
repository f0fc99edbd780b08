/** Google's rule of thumb: about 4 characters per token. Good enough to keep text under a budget. */
export const CHARACTERS_PER_TOKEN = 4;
