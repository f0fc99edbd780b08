/** The file name a drawn picture is posted under. */
export function imageName(index: number, mimeType: string): string {
	const extension = mimeType === 'image/jpeg' ? 'jpg' : (mimeType.split('/')[1] ?? 'png');
	return `gemini-${index + 1}.${extension}`;
}
