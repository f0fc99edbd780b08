import sharp from 'sharp';

const pixel = (format: 'png' | 'jpeg' | 'gif', color: string, size = 8) => {
	const image = sharp({ create: { width: size, height: size, channels: 3, background: color } });
	return image[format]().toBuffer();
};

/** Small real files of each kind, whose magic numbers file sniffing recognises. */
export const sampleFiles = {
	png: (color = '#3366ff', size?: number) => pixel('png', color, size),
	jpeg: (color = '#ff6633') => pixel('jpeg', color),
	gif: (color = '#33cc66') => pixel('gif', color),
	pdf: () => Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
	/** An Ogg Opus stream header, as a Discord voice message starts. */
	ogg: () =>
		Buffer.concat([
			Buffer.from('OggS'),
			Buffer.from([0, 2]),
			Buffer.alloc(22),
			Buffer.from('OpusHead'),
			Buffer.alloc(30),
		]),
	zip: () => Buffer.from(`PK\u0003\u0004${'x'.repeat(100)}`, 'binary'),
};
