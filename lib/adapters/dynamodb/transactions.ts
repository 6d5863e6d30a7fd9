/** Reading why DynamoDB refused a conditional write or cancelled a transaction. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * The cancellation reason codes of a cancelled transaction, one per action in request order
 * (`None`, `ConditionalCheckFailed`, `TransactionConflict`…), or undefined for any other error.
 */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/** Whether a transaction was cancelled only because another transaction touched the same items. */
export function isTransactionConflict(error: unknown): boolean {
  const codes = cancellationCodes(error);
  return codes !== undefined && codes.includes('TransactionConflict') && codes.every((c) => c === 'None' || c === 'TransactionConflict');
}
