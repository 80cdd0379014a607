import pino, { type Logger } from 'pino';

/** JSON logs (UTC), with secrets redacted wherever they appear in a logged object. */
export function createLogger(level: string): Logger {
	return pino({
		level,
		base: { app: 'gcm-observatory' },
		timestamp: pino.stdTimeFunctions.isoTime,
		redact: {
			paths: [
				'password',
				'*.password',
				'token',
				'*.token',
				'databaseUrl',
				'*.databaseUrl',
				'headers.cookie',
				'headers.authorization'
			],
			censor: '[redacted]'
		}
	});
}

export type { Logger };
