/** The audit trail (append-only: the database rejects UPDATE and DELETE on audit_event). */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { auditEvent } from './schema';

type Executor = Pick<Db, 'insert' | 'select'>;

export type AuditChannel = 'web' | 'api' | 'cli';

export interface AuditEventInput {
	at: Date;
	actorId: string | null;
	actorLabel: string;
	actorRole: string | null;
	action: string;
	objectType: string;
	objectId: string | null;
	/** Already redacted by the caller (services go through redactSecrets). */
	changes: Record<string, unknown>;
	requestId: string | null;
	channel: AuditChannel;
}

export type AuditEventRow = typeof auditEvent.$inferSelect;

export async function insertAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
	await db.insert(auditEvent).values(event);
}

export async function listAuditEvents(
	db: Executor,
	filter: { objectType?: string; objectId?: string; action?: string } = {}
): Promise<AuditEventRow[]> {
	const where: SQL[] = [];
	if (filter.objectType) where.push(eq(auditEvent.objectType, filter.objectType));
	if (filter.objectId) where.push(eq(auditEvent.objectId, filter.objectId));
	if (filter.action) where.push(eq(auditEvent.action, filter.action));
	return db
		.select()
		.from(auditEvent)
		.where(and(...where))
		.orderBy(asc(auditEvent.id));
}
