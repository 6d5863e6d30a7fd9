/** Named errors of the DynamoDB adapters. */

/** The message has moved past the attempt a worker tried to finish: a later attempt took it over. */
export class StaleAttemptError extends Error {
  constructor(
    readonly messageId: string,
    readonly attempt: number,
    options?: { cause?: unknown },
  ) {
    super(`attempt ${attempt} of message ${messageId} is no longer current`, options);
    this.name = 'StaleAttemptError';
  }
}

/** A message with this id is stored already. */
export class MessageExistsError extends Error {
  constructor(
    readonly messageId: string,
    options?: { cause?: unknown },
  ) {
    super(`message ${messageId} exists already`, options);
    this.name = 'MessageExistsError';
  }
}

/** A write named a recipient that the message does not have. */
export class UnknownRecipientError extends Error {
  constructor(
    readonly messageId: string,
    options?: { cause?: unknown },
  ) {
    super(`a recipient given for message ${messageId} is not one of its recipients`, options);
    this.name = 'UnknownRecipientError';
  }
}

/** DynamoDB kept refusing part of a batch (throttling) after every retry. */
export class UnprocessedItemsError extends Error {
  constructor(
    readonly operation: string,
    readonly remaining: number,
  ) {
    super(`${operation}: ${remaining} item(s) still unprocessed after retries`);
    this.name = 'UnprocessedItemsError';
  }
}
