/** mailroom's version, as package.json has it (a test keeps the two equal): the webhooks' User-Agent names it. */
export const MAILROOM_VERSION = '0.1.0';
