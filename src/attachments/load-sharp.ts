import type Sharp from 'sharp';

/**
 * sharp, loaded on first use: start-up stays fast, and a bot nobody sends pictures to never loads libvips.
 * Its operation cache is turned off: it keeps recent results (up to 50 MB) to reuse, and a member's picture is read
 * once, so the cache would only hold memory. libvips' threads per picture stay at sharp's default (one on glibc
 * without jemalloc, as in our Debian image, to limit fragmentation).
 */
export async function loadSharp(): Promise<typeof Sharp> {
	const { default: sharp } = await import('sharp');
	sharp.cache(false);
	return sharp;
}
