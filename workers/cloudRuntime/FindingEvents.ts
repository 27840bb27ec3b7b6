import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { FindingSet, FindingStore } from '../findings/FindingStore.js';
import { maskSecretsIn } from '../findings/sarif/maskSecretsIn.js';
import type { FindingRecord } from '../findings/types.js';

/** `source` of every finding event. */
export const FINDING_EVENT_SOURCE = 'headless-workers';
/**
 * `detail-type` per lifecycle change that is announced; open and fixed findings send nothing, nor
 * do findings the operator suppressed. A new or returned finding the analysed repository
 * suppressed for itself is announced as such: a repository cannot silence its own alerts unseen.
 */
export const FINDING_EVENT_TYPES = { new: 'Finding New', returned: 'Finding Returned', suppressedByRepository: 'Finding Suppressed By Repository' } as const;

/** The `detail-type` an announced finding is sent with. */
export function findingEventType(record: FindingRecord): string {
  if (record.state === 'suppressed') return FINDING_EVENT_TYPES.suppressedByRepository;
  return record.state === 'returned' ? FINDING_EVENT_TYPES.returned : FINDING_EVENT_TYPES.new;
}
/** Entries in one PutEvents call (EventBridge's limit). */
const PUT_EVENTS_LIMIT = 10;

/** A finding event stored with its finding until EventBridge accepts it. */
export interface PendingFindingEvent {
  readonly target: string;
  readonly worker: string;
  readonly fingerprint: string;
  /** `<runId>:<detail-type>`: unique per finding item. */
  readonly id: string;
  readonly detailType: string;
  /** The event's `Detail` as it was when the finding was written (JSON). */
  readonly detail: string;
}

/**
 * A finding store that is also the outbox of its events: an update with
 * `storeEvents` stores the announced findings' events in the same write as
 * the findings; they stay until cleared after PutEvents accepted them.
 */
export interface FindingEventOutbox extends FindingStore {
  update(target: string, worker: string, change: (current: FindingSet) => FindingSet, options?: { readonly storeEvents?: boolean }): Promise<FindingSet>;
  pendingEvents(target: string, worker: string): Promise<PendingFindingEvent[]>;
  clearPendingEvents(events: readonly PendingFindingEvent[]): Promise<void>;
}

function isFindingEventOutbox(store: FindingStore): store is FindingEventOutbox {
  const candidate = store as Partial<FindingEventOutbox>;
  return typeof candidate.pendingEvents === 'function' && typeof candidate.clearPendingEvents === 'function';
}

/** What one PutEvents round did with pending events. */
export interface SendOutcome {
  readonly sent: readonly PendingFindingEvent[];
  readonly failed: readonly { readonly event: PendingFindingEvent; readonly reason: string }[];
}

/**
 * The findings one update announced: new or returned ones that the update's
 * run reported (a finding stays `new` until the next run, which must not
 * announce it again), and those the analysed repository suppressed that would
 * have been new or returned; never ones the operator suppressed.
 */
export function announcedFindings(before: FindingSet, after: FindingSet): FindingRecord[] {
  if (after.lastRunId === null || after.lastRunId === before.lastRunId) return [];
  const newsworthy = (state: FindingRecord['state'] | undefined) => state === 'new' || state === 'returned';
  return after.records.filter(
    (record) =>
      record.latestRunId === after.lastRunId &&
      (newsworthy(record.state) || (record.state === 'suppressed' && record.suppression?.origin === 'repository' && newsworthy(record.stateBeforeSuppression))),
  );
}

/**
 * A finding as an event carries it: the record with its message and evidence
 * masked again (local rules mask their evidence; a model quotes what it chose to).
 */
export function findingEventDetail(record: FindingRecord): FindingRecord {
  return {
    ...record,
    message: maskSecretsIn(record.message, record.file),
    ...(record.evidence !== undefined ? { evidence: maskSecretsIn(record.evidence, record.file) } : {}),
  };
}

/**
 * Puts one EventBridge event per new or returned finding on a bus, ten per
 * call; throws when any entry was refused (naming the first reason).
 *
 * @example
 * await new FindingEventPublisher({ eventBridge, busName: 'security-findings' }).publish(records);
 */
export class FindingEventPublisher {
  constructor(private readonly options: { readonly eventBridge: EventBridgeClient; readonly busName: string; readonly clock?: () => Date }) {}

  /**
   * Sends stored events, ten per call, and says which EventBridge accepted:
   * an entry it refused (FailedEntryCount) or a call that failed as a whole
   * (the bus missing, throttling) leaves those events failed, to be sent again.
   */
  async sendPending(events: readonly PendingFindingEvent[]): Promise<SendOutcome> {
    const time = (this.options.clock ?? (() => new Date()))();
    const sent: PendingFindingEvent[] = [];
    const failed: { event: PendingFindingEvent; reason: string }[] = [];
    for (let start = 0; start < events.length; start += PUT_EVENTS_LIMIT) {
      const batch = events.slice(start, start + PUT_EVENTS_LIMIT);
      const entries = batch.map((event) => ({ EventBusName: this.options.busName, Source: FINDING_EVENT_SOURCE, DetailType: event.detailType, Detail: event.detail, Time: time }));
      let answer;
      try {
        answer = await this.options.eventBridge.send(new PutEventsCommand({ Entries: entries }));
      } catch (error) {
        const reason = `${(error as Error).name}: ${(error as Error).message}`;
        failed.push(...batch.map((event) => ({ event, reason })));
        continue;
      }
      // PutEvents answers entry by entry, in the order sent.
      batch.forEach((event, index) => {
        const entry = answer.Entries?.[index];
        if (entry && !entry.ErrorCode && entry.EventId) sent.push(event);
        else failed.push({ event, reason: entry?.ErrorCode ? `${entry.ErrorCode} ${entry.ErrorMessage ?? ''}`.trim() : 'no answer for this entry' });
      });
    }
    return { sent, failed };
  }

  async publish(records: readonly FindingRecord[]): Promise<number> {
    const time = (this.options.clock ?? (() => new Date()))();
    let put = 0;
    for (let start = 0; start < records.length; start += PUT_EVENTS_LIMIT) {
      const entries = records.slice(start, start + PUT_EVENTS_LIMIT).map((record) => ({
        EventBusName: this.options.busName,
        Source: FINDING_EVENT_SOURCE,
        DetailType: findingEventType(record),
        Detail: JSON.stringify(findingEventDetail(record)),
        Time: time,
      }));
      const answer = await this.options.eventBridge.send(new PutEventsCommand({ Entries: entries }));
      const failed = (answer.Entries ?? []).filter((entry) => entry.ErrorCode);
      if ((answer.FailedEntryCount ?? 0) > 0 || failed.length > 0) {
        throw new Error(`EventBridge refused ${answer.FailedEntryCount ?? failed.length} finding event(s): ${failed[0]?.ErrorCode ?? 'unknown'} ${failed[0]?.ErrorMessage ?? ''}`.trim());
      }
      put += entries.length;
    }
    return put;
  }
}

/**
 * A FindingStore that announces each update's new and returned findings on
 * the bus. Over a FindingEventOutbox (DynamoFindingStore) it is at least
 * once: the events are stored with the findings in the same write, sent
 * after it, and cleared one by one when EventBridge accepted them; those it
 * refused, or all of them when PutEvents failed, stay pending and are sent
 * again after the next update of the same (target, worker), or by
 * `resendPending` (each task calls it as it starts). A consumer may see an event twice (a crash
 * between PutEvents and the clearing): the detail's fingerprint and
 * latestRunId identify it. Over another store it publishes once, after the
 * update (at most once). Either way a failure is reported to `onError` and
 * never undoes or fails the update (the run's result and the findings are
 * what must not be lost).
 *
 * @example
 * const findingStore = new AnnouncingFindingStore(new DynamoFindingStore({ documentClient, tableName }), publisher, (e) => log.warn('finding events not sent', { error: e }));
 */
export class AnnouncingFindingStore implements FindingStore {
  constructor(
    private readonly inner: FindingStore,
    private readonly publisher: Pick<FindingEventPublisher, 'publish'> & Partial<Pick<FindingEventPublisher, 'sendPending'>>,
    private readonly onError: (error: unknown) => void,
  ) {}

  load(target: string, worker: string): Promise<FindingSet> {
    return this.inner.load(target, worker);
  }

  list(filter?: { target?: string; worker?: string }): Promise<FindingSet[]> {
    return this.inner.list(filter);
  }

  async update(target: string, worker: string, change: (current: FindingSet) => FindingSet): Promise<FindingSet> {
    const outbox = this.outbox();
    if (outbox) {
      const after = await outbox.update(target, worker, change, { storeEvents: true });
      await this.flush(outbox, target, worker);
      return after;
    }
    let before: FindingSet | undefined;
    const after = await this.inner.update(target, worker, (current) => {
      before = current;
      return change(current);
    });
    const announced = before ? announcedFindings(before, after) : [];
    if (announced.length > 0) {
      try {
        await this.publisher.publish(announced);
      } catch (error) {
        this.onError(error);
      }
    }
    return after;
  }

  /**
   * Sends the events still pending in every set (or those of one target or
   * worker): what a task calls as it starts, so that events whose PutEvents failed
   * are not left waiting for the next run. Returns how many were sent.
   */
  async resendPending(filter?: { target?: string; worker?: string }): Promise<number> {
    const outbox = this.outbox();
    if (!outbox) return 0;
    let sent = 0;
    for (const set of await outbox.list(filter)) sent += await this.flush(outbox, set.target, set.worker);
    return sent;
  }

  private outbox(): FindingEventOutbox | null {
    return isFindingEventOutbox(this.inner) && this.publisher.sendPending ? this.inner : null;
  }

  /** Sends a set's pending events and clears those EventBridge accepted; reports the rest. */
  private async flush(outbox: FindingEventOutbox, target: string, worker: string): Promise<number> {
    let pending: PendingFindingEvent[];
    let outcome: SendOutcome;
    try {
      pending = await outbox.pendingEvents(target, worker);
      if (pending.length === 0) return 0;
      outcome = await this.publisher.sendPending!(pending);
      if (outcome.sent.length > 0) await outbox.clearPendingEvents(outcome.sent);
    } catch (error) {
      this.onError(error);
      return 0;
    }
    if (outcome.failed.length > 0) {
      this.onError(new Error(`${outcome.failed.length} of ${pending.length} finding event(s) of ${target}/${worker} not sent, kept to send again: ${outcome.failed[0]!.reason}`));
    }
    return outcome.sent.length;
  }
}
