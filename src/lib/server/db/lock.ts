/**
 * Exclusive lock on an embedded data dir. PGlite is single-process: two processes on one
 * dir silently lose committed rows (measured), so a second server or writing command must
 * refuse to start. proper-lockfile creates `<dir>.lock` atomically and refreshes its mtime;
 * a lock left by a crashed process goes stale after STALE_MS and is taken over.
 */
import lockfile from 'proper-lockfile';
import { DomainError } from '../../core/shared/errors';

const STALE_MS = 60_000;
const UPDATE_MS = 10_000;

export interface DataDirLock {
	release(): Promise<void>;
}

export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
	try {
		const release = await lockfile.lock(dataDir, {
			stale: STALE_MS,
			update: UPDATE_MS,
			realpath: false,
			onCompromised: (err) => {
				// Another process took the lock (ours looked stale): stop writing at once.
				console.error(`Lost the lock on ${dataDir}: ${err.message}. Exiting to protect the data.`);
				process.exit(70);
			}
		});
		let released = false;
		return {
			release: async () => {
				if (released) return;
				released = true;
				await release();
			}
		};
	} catch (err) {
		if ((err as { code?: string }).code === 'ELOCKED') {
			throw new DomainError(
				'DATA_DIR_LOCKED',
				`The data directory ${dataDir} is in use by another GCM Observatory process (a running server or command). ` +
					`Stop it first, or point GCM_DATA_DIR at another directory. The embedded database allows one process at a time.`
			);
		}
		throw err;
	}
}
