import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { FindingSet, FindingStore } from '../findings/FindingStore.js';
import { maskSecretsIn } from '../findings/sarif/maskSecretsIn.js';
import type { FindingRecord } from '../findings/types.js';

/** `source` of every finding event. */
export const FINDING_EVENT_SOURCE = 'headless-workers';
/** `detail-type` per lifecycle change that is announced; suppressed, open and fixed findings send nothing. */
export const FINDING_EVENT_TYPES = { new: 'Finding New', returned: 'Finding Returned' } as const;
/** Entries in one PutEvents call (EventBridge's limit). */
const PUT_EVENTS_LIMIT = 10;

/**
 * The findings one update announced: new or returned ones that the update's
 * run reported (a finding stays `new` until the next run, which must not
 * announce it again), never suppressed ones.
 */
export function announcedFindings(before: FindingSet, after: FindingSet): FindingRecord[] {
  if (after.lastRunId === null || after.lastRunId === before.lastRunId) return [];
  return after.records.filter((record) => (record.state === 'new' || record.state === 'returned') && record.latestRunId === after.lastRunId);
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

  async publish(records: readonly FindingRecord[]): Promise<number> {
    const time = (this.options.clock ?? (() => new Date()))();
    let put = 0;
    for (let start = 0; start < records.length; start += PUT_EVENTS_LIMIT) {
      const entries = records.slice(start, start + PUT_EVENTS_LIMIT).map((record) => ({
        EventBusName: this.options.busName,
        Source: FINDING_EVENT_SOURCE,
        DetailType: record.state === 'returned' ? FINDING_EVENT_TYPES.returned : FINDING_EVENT_TYPES.new,
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
 * A FindingStore that announces each update's new and returned findings
 * after the update is stored. Publishing is at most once: a failure is
 * reported to `onError` and never undoes or fails the update (the run's
 * result and the findings are what must not be lost).
 *
 * @example
 * const findingStore = new AnnouncingFindingStore(new DynamoFindingStore({ documentClient, tableName }), publisher, (e) => log.warn('finding events not sent', { error: e }));
 */
export class AnnouncingFindingStore implements FindingStore {
  constructor(
    private readonly inner: FindingStore,
    private readonly publisher: Pick<FindingEventPublisher, 'publish'>,
    private readonly onError: (error: unknown) => void,
  ) {}

  load(target: string, worker: string): Promise<FindingSet> {
    return this.inner.load(target, worker);
  }

  list(filter?: { target?: string; worker?: string }): Promise<FindingSet[]> {
    return this.inner.list(filter);
  }

  async update(target: string, worker: string, change: (current: FindingSet) => FindingSet): Promise<FindingSet> {
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
}
