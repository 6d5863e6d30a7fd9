/**
 * The events that the records of mailroom's two table streams bring to the stream function:
 * - the events table's (NEW_IMAGE): each new event item is one event;
 * - the messages table's (NEW_AND_OLD_IMAGES): a write of a message item that added events it
 *   carries (a new message's `queued` events, an attempt's `sent` ones: carried-events.ts)
 *   brings those, and any other write of it brings none.
 * Each record brings its events in the same order every time it is read again, and each
 * event comes in one record only, so a batch handed over again brings the same events.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { newlyCarried } from '../../domain/carried-events.ts';
import { EVENT_TYPES, type MailEvent } from '../../domain/events.ts';
import { MESSAGE_SK, toStoredMessage } from './message-items.ts';

type Image = Record<string, AttributeValue>;

/** The events a stream record of the events or messages table brings (none for removals, body items and writes that added none). */
export function streamRecordEvents(record: DynamoDBRecord): MailEvent[] {
  const data = record.dynamodb;
  if (!data?.NewImage || (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY')) return [];
  if (data.Keys?.sk?.S === MESSAGE_SK) {
    const before = data.OldImage && toStoredMessage(unmarshall(data.OldImage as Image));
    return newlyCarried(before, toStoredMessage(unmarshall(data.NewImage as Image)));
  }
  const event = eventOf(record);
  return event ? [event] : [];
}

/** The MailEvent of an events-table record, or undefined for anything but a new event item. */
export function eventOf(record: DynamoDBRecord): MailEvent | undefined {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return undefined;
  const item = unmarshall(record.dynamodb.NewImage as Image);
  if (typeof item.eventId !== 'string' || !(EVENT_TYPES as readonly string[]).includes(item.type)) return undefined;
  return {
    eventId: item.eventId,
    messageId: item.messageId,
    tenant: item.tenant,
    recipient: item.recipient,
    type: item.type,
    at: item.at,
    attempt: item.attempt ?? 0,
    tags: item.tags ?? {},
    ...(typeof item.fromDomain === 'string' && { fromDomain: item.fromDomain }),
    ...(typeof item.list === 'string' && { list: item.list }),
    ...(typeof item.campaign === 'string' && { campaign: item.campaign }),
    detail: item.detail ?? {},
  };
}
