/** "1 message", "2,048 messages": a count and its noun, plural when it is not one. */
export function countOf(amount: number, noun: string): string {
	return `${amount.toLocaleString('en-US')} ${noun}${amount === 1 ? '' : 's'}`;
}
