export type Persona = { scopeId: string; guildId: string; prompt: string; setBy: string; setAt: number };

/** Moderators' system prompts, per channel or per thread. */
export type PersonaStore = {
	get(scopeId: string): Promise<Persona | undefined>;
	set(persona: Omit<Persona, 'setAt'>): Promise<Persona>;
	/** Returns whether there was one. */
	clear(scopeId: string): Promise<boolean>;
	/** The thread's own persona if it has one, else its channel's. */
	effective(threadId: string, channelId: string): Promise<Persona | undefined>;
};
